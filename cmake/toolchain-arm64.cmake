# Usage: cmake -S . -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm64.cmake   (scripts/test-arm64 does it)
#
# Cross-build for arm64 on a Debian 12 amd64 machine with multiarch: the arm64 libraries are installed on
# this very system as `:arm64` packages (in /usr/lib/aarch64-linux-gnu), so the "sysroot" is / itself.
# Test programs run under qemu-aarch64-static, which finds the arm64 loader and libraries under -L /.
#
# KIOSK_ARM64_EXTRA_ROOT: an extra root of arm64 -dev packages that cannot be installed next to their amd64
# twins (Multi-Arch: no: libgeos-dev, libsimdjson-dev). scripts/test-arm64 extracts them there with
# dpkg-deb -x and points their .pc files and .so links at the runtime packages installed in /.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(KIOSK_ARM64_EXTRA_ROOT "" CACHE PATH "Extra root of extracted arm64 -dev packages (Multi-Arch: no)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES KIOSK_ARM64_EXTRA_ROOT)

# Look for arm64 libraries, headers and CMake packages only under these roots; run host programs.
set(CMAKE_FIND_ROOT_PATH ${KIOSK_ARM64_EXTRA_ROOT} /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads the arm64 .pc files (and the arch-independent ones), never the amd64 ones.
set(_kiosk_pc_dirs /usr/lib/aarch64-linux-gnu/pkgconfig /usr/share/pkgconfig)
if(KIOSK_ARM64_EXTRA_ROOT)
  list(PREPEND _kiosk_pc_dirs ${KIOSK_ARM64_EXTRA_ROOT}/usr/lib/aarch64-linux-gnu/pkgconfig)
endif()
list(JOIN _kiosk_pc_dirs ":" _kiosk_pc_libdir)
set(ENV{PKG_CONFIG_LIBDIR} "${_kiosk_pc_libdir}")
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# ctest (and doctest's test discovery at build time) run the arm64 test programs through qemu.
set(CMAKE_CROSSCOMPILING_EMULATOR /usr/bin/qemu-aarch64-static -L /)
