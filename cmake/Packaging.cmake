# The panel's Debian package: install rules and CPack (DEB) settings. scripts/package drives it; what goes
# where, and why, is in docs/deploy.md. Maintainer scripts, copyright and changelog: config/deploy/debian/.

# The Debian version, "<upstream>-<revision>". scripts/package passes it (KIOSK_PACKAGE_VERSION in the
# environment), so a rebuilt package can carry a higher version than the one installed.
set(KIOSK_PACKAGE_VERSION "" CACHE STRING "Debian version of the .deb, e.g. 0.1.0-2 (empty: ${PROJECT_VERSION}-1)")
set(KIOSK_PACKAGE_MAINTAINER "kiosk maintainers <kiosk@example.org>" CACHE STRING
    "Maintainer field of the .deb: whoever answers for the packages your panels run")
set(_kiosk_deb_version "${KIOSK_PACKAGE_VERSION}")
if(_kiosk_deb_version STREQUAL "")
  set(_kiosk_deb_version "${PROJECT_VERSION}-1")
endif()
if(NOT _kiosk_deb_version MATCHES "^([0-9][A-Za-z0-9.+~]*)-([A-Za-z0-9.+~]+)$")
  message(FATAL_ERROR "KIOSK_PACKAGE_VERSION \"${_kiosk_deb_version}\" is not <upstream>-<revision> "
                      "(e.g. ${PROJECT_VERSION}-2); upstream starts with a digit")
endif()
set(_kiosk_deb_upstream "${CMAKE_MATCH_1}")
set(_kiosk_deb_revision "${CMAKE_MATCH_2}")

set(_kiosk_debian_dir "${PROJECT_SOURCE_DIR}/config/deploy/debian")
set(_kiosk_doc "share/doc/kiosk")

# Relative destinations land under CPACK_PACKAGING_INSTALL_PREFIX (/usr): /usr/bin, /usr/share/doc.
install(TARGETS kiosk RUNTIME DESTINATION bin)
# What dh_strip also drops after stripping: the compilers' version strings (lintian's
# binary-has-unneeded-section).
install(CODE "execute_process(COMMAND \"${CMAKE_OBJCOPY}\" --remove-section=.comment --remove-section=.note
                              \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/bin/kiosk\" COMMAND_ERROR_IS_FATAL ANY)")
# /usr/lib/systemd/system: bookworm's lintian calls it the standard place, systemd reads it on a merged-/usr
# system, and the trixie package will not have to move the file between /lib and /usr/lib (dpkg's aliasing
# problem).
install(FILES "${PROJECT_SOURCE_DIR}/config/deploy/kiosk@.service" DESTINATION lib/systemd/system)

# Examples, not live configuration: staff copy them into /etc/kiosk (docs/deploy.md). A package that
# started a panel on a fictional campus would show wrong data on the first boot.
install(FILES "${PROJECT_SOURCE_DIR}/config/site.toml" DESTINATION "${_kiosk_doc}/examples")
# Only the kinds of file the examples are made of: a development run leaves snapshots (*.db) beside them.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/config/panels" DESTINATION "${_kiosk_doc}/examples"
        FILES_MATCHING PATTERN "*.toml")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/config/campus" DESTINATION "${_kiosk_doc}/examples"
        FILES_MATCHING PATTERN "*.geojson" PATTERN "*.json" PATTERN "README.md")
install(FILES "${_kiosk_debian_dir}/copyright" "${PROJECT_SOURCE_DIR}/docs/deploy.md" DESTINATION "${_kiosk_doc}")

# /etc/kiosk is shipped empty and holds no file of the package's: dpkg then never touches what staff
# put there (no conffile prompt on an unattended panel, nothing overwritten on upgrade, kept on remove).
install(DIRECTORY DESTINATION /etc/kiosk)

# changelog.Debian.gz: lintian wants the newest entry to carry the package's version. Dated from
# SOURCE_DATE_EPOCH when set, so two builds of one commit give the same file.
string(TIMESTAMP _kiosk_changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(KIOSK_DEB_MAINTAINER "${KIOSK_PACKAGE_MAINTAINER}")
set(KIOSK_DEB_DATE "${_kiosk_changelog_date}")
if(_kiosk_deb_version STREQUAL "${PROJECT_VERSION}-1")
  set(KIOSK_DEB_REBUILD_ENTRY "")
else()
  # A rebuild's entry is dated when it is made, and after the entry below it (lintian checks the order).
  string(TIMESTAMP _kiosk_base_epoch "%s" UTC)  # SOURCE_DATE_EPOCH's, when set
  set(_kiosk_source_date "$ENV{SOURCE_DATE_EPOCH}")
  unset(ENV{SOURCE_DATE_EPOCH})
  string(TIMESTAMP _kiosk_rebuild_epoch "%s" UTC)
  if(NOT _kiosk_rebuild_epoch GREATER _kiosk_base_epoch)
    math(EXPR _kiosk_rebuild_epoch "${_kiosk_base_epoch} + 1")
  endif()
  set(ENV{SOURCE_DATE_EPOCH} "${_kiosk_rebuild_epoch}")
  string(TIMESTAMP _kiosk_rebuild_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
  set(ENV{SOURCE_DATE_EPOCH} "${_kiosk_source_date}")  # empty: unset again
  set(KIOSK_DEB_REBUILD_ENTRY "kiosk (${_kiosk_deb_version}) bookworm; urgency=medium\n\n  * Rebuilt as ${_kiosk_deb_version} (KIOSK_PACKAGE_VERSION).\n\n -- ${KIOSK_PACKAGE_MAINTAINER}  ${_kiosk_rebuild_date}\n\n")
endif()
configure_file("${_kiosk_debian_dir}/changelog.in" "${PROJECT_BINARY_DIR}/debian/changelog.Debian" @ONLY)
find_program(KIOSK_GZIP gzip REQUIRED)
add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz"
                   COMMAND "${KIOSK_GZIP}" -9nkf "${PROJECT_BINARY_DIR}/debian/changelog.Debian"
                   DEPENDS "${PROJECT_BINARY_DIR}/debian/changelog.Debian" VERBATIM)
add_custom_target(kiosk_deb_changelog ALL DEPENDS "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz")
install(FILES "${PROJECT_BINARY_DIR}/debian/changelog.Debian.gz" DESTINATION "${_kiosk_doc}")
# man pages are gzipped in Debian packages too
add_custom_command(OUTPUT "${PROJECT_BINARY_DIR}/debian/kiosk.1.gz"
                   COMMAND "${KIOSK_GZIP}" -9nc "${_kiosk_debian_dir}/kiosk.1" > "${PROJECT_BINARY_DIR}/debian/kiosk.1.gz"
                   DEPENDS "${_kiosk_debian_dir}/kiosk.1")
add_custom_target(kiosk_deb_manpage ALL DEPENDS "${PROJECT_BINARY_DIR}/debian/kiosk.1.gz")
install(FILES "${PROJECT_BINARY_DIR}/debian/kiosk.1.gz" DESTINATION share/man/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiosk)
set(CPACK_PACKAGE_VENDOR "kiosk maintainers")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # kiosk_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_NAME kiosk)
set(CPACK_DEBIAN_PACKAGE_VERSION "${_kiosk_deb_upstream}")
set(CPACK_DEBIAN_PACKAGE_RELEASE "${_kiosk_deb_revision}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KIOSK_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fullscreen floor panel showing free rooms and routes")
# CPack writes the summary as the synopsis and indents these lines itself; an empty line becomes " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "kiosk runs on the screens at a campus's entrance and floors. It follows room
occupancy sensors over MQTT, shows which spaces are free right now, sorted by
walking time, and draws the route there on an indoor map (IMDF). It keeps
working from a local SQLite snapshot when the network is gone.

One panel runs as the systemd service kiosk@<panel>, drawing through KMS/DRM
without X; its configuration lives in /etc/kiosk (examples in
/usr/share/doc/kiosk/examples).")
# Libraries from the binary's ELF dependencies (dpkg-shlibdeps); below, what it cannot see.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser: the maintainer scripts create the kiosk user. libegl1: SDL opens EGL at run time (dlopen) for
# KMS/DRM and for the headless driver. libgl1: the binary links GLVND's libOpenGL, but Debian's ImGui
# OpenGL3 backend opens libGL.so.1 at run time, even under EGL. No ELF link shows either.
# fonts-dejavu-core: its DejaVu Sans draws the symbols (arrows, state icons) whatever the text font.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, libegl1, libgl1, fonts-dejavu-core")
# Noto Sans is the preferred text font (DejaVu is the fallback). libgl1-mesa-dri holds Mesa's drivers,
# llvmpipe (software GL) included; libgl1 pulls it in on Debian 12 anyway, through libglx-mesa0.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-core, libgl1-mesa-dri")
# mosquitto-clients watches the fleet (mosquitto_sub); cage is the Wayland way of running a panel. The broker
# itself runs elsewhere (a building's mosquitto, a cluster), never on a panel: not even suggested.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "mosquitto-clients, cage")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${_kiosk_debian_dir}/postinst" "${_kiosk_debian_dir}/prerm" "${_kiosk_debian_dir}/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
