#pragma once
// A Host with no machine behind it: files are a std::map of absolute path ->
// content, directories are the parents of those files plus any added
// explicitly, and the passwd database knows only root and nobody. The
// fuzzer uses it so inputs never touch the disk, and unit tests can build
// include trees without a temp directory.

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/model/host.h"

namespace proctor::testing {

class MemoryHost : public model::Host {
 public:
  MemoryHost();

  /// Adds (or replaces) a file; its parent directories start to exist.
  void add_file(const std::string& path, std::string content);
  void add_dir(const std::string& path);
  void set_environment(std::vector<std::pair<std::string, std::string>> env) {
    env_ = std::move(env);
  }
  void set_cwd(std::string cwd) { cwd_ = std::move(cwd); }
  /// How many times read_file was called for `path` (include-loop tests).
  int read_count(const std::string& path) const;

  model::ReadResult read_file(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  /// fnmatch(3) over every known file and directory with FNM_PATHNAME |
  /// FNM_PERIOD, which is how Python's glob treats '/' and leading dots.
  std::vector<std::string> glob(const std::string& pattern) const override;

  std::optional<std::int64_t> uid_for_name(const std::string& name) const override;
  bool uid_exists(std::int64_t uid) const override;
  std::optional<std::int64_t> primary_gid(std::int64_t uid) const override;
  std::optional<std::int64_t> gid_for_name(const std::string& name) const override;
  bool gid_exists(std::int64_t gid) const override;
  std::int64_t current_uid() const override { return 0; }

  std::string cwd() const override { return cwd_; }
  std::string hostname() const override { return "memory-host"; }
  std::string temp_dir() const override { return "/tmp"; }
  std::vector<std::pair<std::string, std::string>> environment() const override { return env_; }

 private:
  /// Absolute (relative paths are taken from cwd) and without "//" or a
  /// trailing "/", so lookups do not depend on how a path was joined.
  std::string resolve(const std::string& path) const;

  std::map<std::string, std::string> files_;
  std::set<std::string> dirs_;
  mutable std::map<std::string, int> reads_;
  std::vector<std::pair<std::string, std::string>> env_;
  std::string cwd_ = "/";
};

}  // namespace proctor::testing
