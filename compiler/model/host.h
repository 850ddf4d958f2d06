#pragma once
// Everything the compiler asks of the machine it runs on. Supervisor checks
// users, directories and include globs against the real host while parsing,
// so the compiler must too; going through this interface keeps that in one
// place and lets tests substitute a fake host.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace proctor::model {

struct ReadResult {
  bool ok = false;
  std::string text;
  std::string error;  ///< strerror text when !ok
};

class Host {
 public:
  virtual ~Host() = default;

  virtual ReadResult read_file(const std::string& path) const = 0;
  virtual bool exists(const std::string& path) const = 0;   ///< os.path.exists
  virtual bool is_dir(const std::string& path) const = 0;   ///< os.path.isdir
  /// What Supervisor checks before execve: not a directory, some x bit set,
  /// os.access(X_OK). Used by lint --env-check; a fake host may keep this
  /// default.
  virtual bool is_executable(const std::string& path) const { return exists(path) && !is_dir(path); }
  /// Python glob.glob(pattern) results (unsorted is fine; callers sort).
  virtual std::vector<std::string> glob(const std::string& pattern) const = 0;

  virtual std::optional<std::int64_t> uid_for_name(const std::string& name) const = 0;
  virtual bool uid_exists(std::int64_t uid) const = 0;
  virtual std::optional<std::int64_t> primary_gid(std::int64_t uid) const = 0;
  virtual std::optional<std::int64_t> gid_for_name(const std::string& name) const = 0;
  virtual bool gid_exists(std::int64_t gid) const = 0;
  virtual std::int64_t current_uid() const = 0;

  virtual std::string cwd() const = 0;
  virtual std::string hostname() const = 0;      ///< platform.node()
  virtual std::string temp_dir() const = 0;      ///< tempfile.gettempdir()
  /// The process environment in its original order (os.environ order).
  virtual std::vector<std::pair<std::string, std::string>> environment() const = 0;
};

/// The real machine: files, glob(3), the passwd and group databases.
class PosixHost : public Host {
 public:
  /// `hostname_override` replaces uname's nodename (tests, --hostname).
  explicit PosixHost(std::optional<std::string> hostname_override = std::nullopt);

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
  std::optional<std::string> hostname_override_;
};

}  // namespace proctor::model
