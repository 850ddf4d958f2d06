#pragma once
// A Host that answers from another host and remembers every question and
// answer. The compiler learns about the machine only through its Host, so a
// compile is a function of the config path and these answers: when the
// machine gives the same answers again, compiling again would give the same
// result. proctord keeps its last reread this way, because supervisorctl's
// `update` rereads the config right after `reread` did.
//
// A question asked twice is answered from memory the second time (Supervisor
// asks os.path.isdir of the same log directory for every program). Calls
// must not overlap; the compiler makes them one at a time.

#include <map>
#include <utility>
#include <variant>

#include "compiler/model/host.h"

namespace proctor::model {

class RecordingHost : public Host {
 public:
  explicit RecordingHost(const Host& host) : host_(host) {}

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

  /// Whether `host` gives every answer recorded so far (each question asked
  /// of it once more).
  bool same_answers(const Host& host) const;

 private:
  /// The questions of one Host method, keyed by argument (std::monostate
  /// for methods without one), with their answers.
  template <class Key, class Answer>
  using Answers = std::map<Key, Answer>;

  const Host& host_;
  mutable Answers<std::string, ReadResult> files_;
  mutable Answers<std::string, bool> exists_, dirs_, executables_;
  mutable Answers<std::string, std::vector<std::string>> globs_;
  mutable Answers<std::string, std::optional<std::int64_t>> uids_by_name_, gids_by_name_;
  mutable Answers<std::int64_t, bool> uids_, gids_;
  mutable Answers<std::int64_t, std::optional<std::int64_t>> primary_gids_;
  mutable Answers<std::monostate, std::int64_t> current_uid_;
  mutable Answers<std::monostate, std::string> cwd_, hostname_, temp_dir_;
  mutable Answers<std::monostate, std::vector<std::pair<std::string, std::string>>> environment_;
};

}  // namespace proctor::model
