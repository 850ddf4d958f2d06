#include <fcntl.h>
#include <glob.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "compiler/model/host.h"

extern char** environ;

namespace proctor::model {

PosixHost::PosixHost(std::optional<std::string> hostname_override)
    : hostname_override_(std::move(hostname_override)) {}

// Only regular files are read: a FIFO would block until a writer appears
// and /dev/zero never ends, where the user wants an error, not a hang.
// O_NONBLOCK makes opening a FIFO return at once so it can be refused.
ReadResult PosixHost::read_file(const std::string& path) const {
  constexpr off_t kMaxBytes = off_t{1} << 30;
  ReadResult r;
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    r.error = std::strerror(errno);
    return r;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxBytes) {
    r.error = S_ISDIR(st.st_mode) ? std::strerror(EISDIR)
              : !S_ISREG(st.st_mode) ? "not a regular file"
                                     : "larger than 1 GiB";
    ::close(fd);
    return r;
  }
  r.text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < r.text.size()) {
    ssize_t n = ::read(fd, r.text.data() + got, r.text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  r.text.resize(got);  // the file may have shrunk while being read
  r.ok = true;
  return r;
}

bool PosixHost::exists(const std::string& path) const {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

bool PosixHost::is_dir(const std::string& path) const {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool PosixHost::is_executable(const std::string& path) const {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode) && (st.st_mode & 0111) != 0 &&
         ::access(path.c_str(), X_OK) == 0;
}

namespace {

std::string basename_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

// glob(3) without backslash escapes matches Python's glob closely; unlike
// Python's scandir-based glob it also yields "." and ".." for ".*", which
// Python never does, so those are dropped.
std::vector<std::string> PosixHost::glob(const std::string& pattern) const {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), GLOB_NOESCAPE | GLOB_NOSORT, nullptr, &g) == 0) {
    const std::string last = basename_of(pattern);
    for (std::size_t i = 0; i < g.gl_pathc; ++i) {
      std::string path = g.gl_pathv[i];
      std::string base = basename_of(path);
      if ((base == "." || base == "..") && base != last) continue;
      out.push_back(std::move(path));
    }
  }
  globfree(&g);
  return out;
}

std::optional<std::int64_t> PosixHost::uid_for_name(const std::string& name) const {
  const passwd* pw = ::getpwnam(name.c_str());
  if (!pw) return std::nullopt;
  return pw->pw_uid;
}

bool PosixHost::uid_exists(std::int64_t uid) const {
  return uid >= 0 && uid <= 0xffffffffLL && ::getpwuid(static_cast<uid_t>(uid)) != nullptr;
}

std::optional<std::int64_t> PosixHost::primary_gid(std::int64_t uid) const {
  if (uid < 0 || uid > 0xffffffffLL) return std::nullopt;
  const passwd* pw = ::getpwuid(static_cast<uid_t>(uid));
  if (!pw) return std::nullopt;
  return pw->pw_gid;
}

std::optional<std::int64_t> PosixHost::gid_for_name(const std::string& name) const {
  const group* gr = ::getgrnam(name.c_str());
  if (!gr) return std::nullopt;
  return gr->gr_gid;
}

bool PosixHost::gid_exists(std::int64_t gid) const {
  return gid >= 0 && gid <= 0xffffffffLL && ::getgrgid(static_cast<gid_t>(gid)) != nullptr;
}

std::int64_t PosixHost::current_uid() const { return ::getuid(); }

std::string PosixHost::cwd() const {
  std::string buf(4096, '\0');
  if (!::getcwd(buf.data(), buf.size())) return ".";
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

std::string PosixHost::hostname() const {
  if (hostname_override_) return *hostname_override_;
  utsname u{};
  if (::uname(&u) != 0) return "";
  return u.nodename;
}

// tempfile.gettempdir(): the first of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp,
// /usr/tmp, cwd that is a writable directory.
std::string PosixHost::temp_dir() const {
  std::vector<std::string> candidates;
  for (const char* var : {"TMPDIR", "TEMP", "TMP"})
    if (const char* v = std::getenv(var); v && *v) candidates.push_back(v);
  for (const char* d : {"/tmp", "/var/tmp", "/usr/tmp"}) candidates.push_back(d);
  for (const auto& c : candidates)
    if (is_dir(c) && ::access(c.c_str(), W_OK | X_OK) == 0) return c;
  return cwd();
}

std::vector<std::pair<std::string, std::string>> PosixHost::environment() const {
  std::vector<std::pair<std::string, std::string>> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto eq = kv.find('=');
    if (eq == std::string::npos) continue;
    env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

}  // namespace proctor::model
