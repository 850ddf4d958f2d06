#include "tests/support/memory_host.h"

#include <fnmatch.h>

#include <cerrno>
#include <cstring>

namespace proctor::testing {

namespace {

// "a//b/" -> "a/b".
std::string clean(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

struct Account {
  const char* name;
  std::int64_t id;
  std::int64_t gid;
};
// The two accounts every Debian machine has; enough for user= and chown=.
constexpr Account kUsers[] = {{"root", 0, 0}, {"nobody", 65534, 65534}};
constexpr Account kGroups[] = {{"root", 0, 0}, {"nogroup", 65534, 65534}};

}  // namespace

std::string MemoryHost::resolve(const std::string& path) const {
  return clean(!path.empty() && path[0] == '/' ? path : cwd_ + "/" + path);
}

MemoryHost::MemoryHost() {
  for (const char* d : {"/", "/tmp", "/var", "/var/log", "/var/run", "/etc"}) dirs_.insert(d);
  env_ = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/root"}};
}

void MemoryHost::add_file(const std::string& path, std::string content) {
  std::string p = resolve(path);
  files_[p] = std::move(content);
  for (auto slash = p.rfind('/'); slash != std::string::npos && slash > 0; slash = p.rfind('/', slash - 1))
    dirs_.insert(p.substr(0, slash));
}

void MemoryHost::add_dir(const std::string& path) { dirs_.insert(resolve(path)); }

int MemoryHost::read_count(const std::string& path) const {
  auto it = reads_.find(resolve(path));
  return it == reads_.end() ? 0 : it->second;
}

model::ReadResult MemoryHost::read_file(const std::string& path) const {
  model::ReadResult r;
  std::string p = resolve(path);
  ++reads_[p];
  if (dirs_.count(p)) {
    r.error = std::strerror(EISDIR);
    return r;
  }
  auto it = files_.find(p);
  if (it == files_.end()) {
    r.error = std::strerror(ENOENT);
    return r;
  }
  r.ok = true;
  r.text = it->second;
  return r;
}

bool MemoryHost::exists(const std::string& path) const {
  std::string p = resolve(path);
  return files_.count(p) || dirs_.count(p);
}

bool MemoryHost::is_dir(const std::string& path) const { return dirs_.count(resolve(path)) > 0; }

std::vector<std::string> MemoryHost::glob(const std::string& pattern) const {
  std::vector<std::string> out;
  const std::string pat = resolve(pattern);
  const int flags = FNM_PATHNAME | FNM_PERIOD | FNM_NOESCAPE;
  for (const auto& [path, text] : files_)
    if (::fnmatch(pat.c_str(), path.c_str(), flags) == 0) out.push_back(path);
  for (const auto& dir : dirs_)
    if (::fnmatch(pat.c_str(), dir.c_str(), flags) == 0) out.push_back(dir);
  return out;
}

std::optional<std::int64_t> MemoryHost::uid_for_name(const std::string& name) const {
  for (const auto& u : kUsers)
    if (name == u.name) return u.id;
  return std::nullopt;
}

bool MemoryHost::uid_exists(std::int64_t uid) const {
  for (const auto& u : kUsers)
    if (uid == u.id) return true;
  return false;
}

std::optional<std::int64_t> MemoryHost::primary_gid(std::int64_t uid) const {
  for (const auto& u : kUsers)
    if (uid == u.id) return u.gid;
  return std::nullopt;
}

std::optional<std::int64_t> MemoryHost::gid_for_name(const std::string& name) const {
  for (const auto& g : kGroups)
    if (name == g.name) return g.id;
  return std::nullopt;
}

bool MemoryHost::gid_exists(std::int64_t gid) const {
  for (const auto& g : kGroups)
    if (gid == g.id) return true;
  return false;
}

}  // namespace proctor::testing
