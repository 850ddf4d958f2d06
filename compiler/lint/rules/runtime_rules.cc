// Rules about what happens when the config runs: commands, security,
// dependencies, environment. Each rule lives in rules/<rule_name>.cc.

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

void add_runtime_rules(std::vector<Rule>& out) {
  out.push_back({DiagCode::P3007, &check_shell_syntax_in_command});
  out.push_back({DiagCode::P3008, &check_daemonizing_command});
  out.push_back({DiagCode::P3015, &check_unauthenticated_inet_server});
  out.push_back({DiagCode::P3016, &check_plaintext_password});
  out.push_back({DiagCode::P3017, &check_world_writable_socket});
  out.push_back({DiagCode::P3018, &check_explicit_root_user});
  out.push_back({DiagCode::P3019, &check_missing_rpcinterface});
  out.push_back({DiagCode::P3020, &check_serverurl_mismatch});
  out.push_back({DiagCode::P3021, &check_priority_contradicts_dependency});
  out.push_back({DiagCode::P3022, &check_environment_variables_needed});
  out.push_back({DiagCode::P3025, &check_command_not_found});
  out.push_back({DiagCode::P3026, &check_command_not_executable});
}

}  // namespace proctor::lint
