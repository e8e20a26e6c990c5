// Who may read a secret file ([mqtt] password_file), the way ssh judges a private key: nobody but the
// panel's user, except that a root-owned file may be shared with the panel's own group (a package or
// configuration management installs it root:kiosk 0640, and the panel runs as a member of that group).
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "config/validate.hpp"

namespace kiosk::config::detail {

std::string secret_file_problem(const std::filesystem::path& path, std::uint32_t mode, std::uint32_t uid,
                                std::uint32_t gid) {
  const bool others = (mode & S_IROTH) != 0;
  const bool group = (mode & S_IRGRP) != 0;
  const bool shared_with_panel_group = uid == 0 && gid == static_cast<std::uint32_t>(::getgid());
  if (!others && (!group || shared_with_panel_group)) return "";
  char octal[8];
  std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode & 07777));
  std::string text = path.string() + ": permissions " + octal + " are too open (" +
                     (others ? "every user of this machine" : "every member of the file's group") +
                     " can read the password); chmod 600 " + path.string();
  if (!others) {
    const struct group* mine = ::getgrgid(::getgid());
    const std::string name = mine && mine->gr_name ? mine->gr_name : std::to_string(::getgid());
    text += " (or, to share it with the panel's group, chown root:" + name + " " + path.string() + ")";
  }
  return text;
}

}  // namespace kiosk::config::detail
