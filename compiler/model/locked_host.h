#pragma once
// A Host that lets one caller at a time through to another Host. Section
// readers on several threads share the real host, whose passwd and group
// lookups (getpwnam and friends) use static buffers, and test hosts keep
// unguarded counters; serializing the calls is simpler than auditing each.
// is_dir answers are remembered: every process asks about its log
// directories, nearly always the same few, and a stat under the lock made
// the readers queue for it.

#include <map>
#include <mutex>

#include "compiler/model/host.h"

namespace proctor::model {

class LockedHost : public Host {
 public:
  explicit LockedHost(const Host& inner) : inner_(inner) {}

  ReadResult read_file(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  bool is_executable(const std::string& path) const override;
  std::vector<std::string> glob(const std::string& pattern) const override;
  std::optional<std::int64_t> uid_for_name(const std::string& name) const override;
  bool uid_exists(std::int64_t uid) const override;
  std::optional<std::int64_t> primary_gid(std::int64_t uid) const override;
  std::optional<std::int64_t> gid_for_name(const std::string& name) const override;
  bool gid_exists(std::int64_t gid) const override;
  std::int64_t current_uid() const override;
  std::string cwd() const override;
  std::string hostname() const override;
  std::string temp_dir() const override;
  std::vector<std::pair<std::string, std::string>> environment() const override;

 private:
  const Host& inner_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, bool, std::less<>> is_dir_;
};

}  // namespace proctor::model
