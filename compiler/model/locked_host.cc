#include "compiler/model/locked_host.h"

namespace proctor::model {

ReadResult LockedHost::read_file(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return inner_.read_file(path);
}

bool LockedHost::exists(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return inner_.exists(path);
}

bool LockedHost::is_dir(const std::string& path) const {
  std::lock_guard lock(mutex_);
  auto known = is_dir_.find(path);
  if (known != is_dir_.end()) return known->second;
  return is_dir_.emplace(path, inner_.is_dir(path)).first->second;
}

bool LockedHost::is_executable(const std::string& path) const {
  std::lock_guard lock(mutex_);
  return inner_.is_executable(path);
}

std::vector<std::string> LockedHost::glob(const std::string& pattern) const {
  std::lock_guard lock(mutex_);
  return inner_.glob(pattern);
}

std::optional<std::int64_t> LockedHost::uid_for_name(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return inner_.uid_for_name(name);
}

bool LockedHost::uid_exists(std::int64_t uid) const {
  std::lock_guard lock(mutex_);
  return inner_.uid_exists(uid);
}

std::optional<std::int64_t> LockedHost::primary_gid(std::int64_t uid) const {
  std::lock_guard lock(mutex_);
  return inner_.primary_gid(uid);
}

std::optional<std::int64_t> LockedHost::gid_for_name(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return inner_.gid_for_name(name);
}

bool LockedHost::gid_exists(std::int64_t gid) const {
  std::lock_guard lock(mutex_);
  return inner_.gid_exists(gid);
}

std::int64_t LockedHost::current_uid() const {
  std::lock_guard lock(mutex_);
  return inner_.current_uid();
}

std::string LockedHost::cwd() const {
  std::lock_guard lock(mutex_);
  return inner_.cwd();
}

std::string LockedHost::hostname() const {
  std::lock_guard lock(mutex_);
  return inner_.hostname();
}

std::string LockedHost::temp_dir() const {
  std::lock_guard lock(mutex_);
  return inner_.temp_dir();
}

std::vector<std::pair<std::string, std::string>> LockedHost::environment() const {
  std::lock_guard lock(mutex_);
  return inner_.environment();
}

}  // namespace proctor::model
