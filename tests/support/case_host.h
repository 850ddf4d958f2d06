#pragma once
// A real host whose environment, hostname and temp dir are those of the
// oracle's fixed case environment (env -i PATH HOME LC_ALL + the case's own
// "; oracle-env:" lines, --hostname oracle-host).

#include <string>
#include <utility>
#include <vector>

#include "compiler/model/host.h"

namespace proctor::testing {

class CaseHost : public model::PosixHost {
 public:
  explicit CaseHost(std::vector<std::pair<std::string, std::string>> env)
      : PosixHost("oracle-host"), env_(std::move(env)) {}

  std::vector<std::pair<std::string, std::string>> environment() const override { return env_; }
  std::string temp_dir() const override { return "/tmp"; }

  /// The oracle's environment plus the case's "; oracle-env: K=V" lines.
  static std::vector<std::pair<std::string, std::string>> env_for(const std::string& config_text);

 private:
  std::vector<std::pair<std::string, std::string>> env_;
};

}  // namespace proctor::testing
