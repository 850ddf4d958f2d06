#pragma once
// supervisorctl's Controller and DefaultControllerPlugin (Supervisor 4.2.5,
// supervisorctl.py): every command with the same output lines and exit
// codes, plus a --json rendering of each command's result.
// The commands are defined by family in controller_process.cc,
// controller_logs.cc, controller_config.cc and update_minimal.cc.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/proctorctl/rpc_client.h"

namespace proctor::ctl {

/// LSBInitExitStatuses / LSBStatusExitStatuses.
namespace exit_status {
inline constexpr int kSuccess = 0, kGeneric = 1, kInvalidArgs = 2, kUnimplemented = 3,
                     kInsufficientPrivileges = 4, kNotInstalled = 5, kNotRunning = 7;
inline constexpr int kStatusNotRunning = 3, kStatusUnknown = 4;
}  // namespace exit_status

struct ControllerOptions {
  ServerOptions server;
  bool interactive = false;
  bool json = false;
  std::string prompt = "supervisor";
  std::string configfile;  ///< the config proctorctl read ("" when none)
  std::optional<std::string> hostname;  ///< for update --dry-run's compile
};

class Controller {
 public:
  explicit Controller(ControllerOptions options);
  /// Runs one command line; returns true when the shell should end (EOF/quit).
  bool onecmd(const std::string& line);
  int exitstatus = exit_status::kSuccess;
  const ControllerOptions& options() const { return options_; }

 private:
  using json = nlohmann::ordered_json;
  void output(const std::string& message);
  /// JSON mode: the command's single JSON document on stdout.
  void emit(const json& j);
  /// JSON mode: a text message that is not the result goes to stderr.
  void note(const std::string& message);
  void say(const std::string& message) { options_.json ? note(message) : output(message); }
  void set_exitstatus_from_fault(int code, std::optional<int> ignored = std::nullopt);
  bool upcheck();
  rpc::Value call(const std::string& method, const std::vector<rpc::Value>& params = {});

  void do_help(const std::string& arg);
  void do_status(const std::string& arg);
  void do_pid(const std::string& arg);
  void do_start(const std::string& arg, json* collect = nullptr);
  void do_stop(const std::string& arg, json* collect = nullptr);
  void do_restart(const std::string& arg);
  void do_signal(const std::string& arg);
  void do_tail(const std::string& arg);
  void do_maintail(const std::string& arg);
  void do_shutdown(const std::string& arg);
  void do_reload(const std::string& arg);
  void do_avail(const std::string& arg);
  void do_reread(const std::string& arg);
  void do_add(const std::string& arg);
  void do_remove(const std::string& arg);
  void do_update(const std::string& arg);
  void do_update_dry_run(const std::vector<std::string>& groups, bool minimal);
  /// update --minimal (update_minimal.cc).
  bool offers_in_place_update();
  bool update_in_place(const std::string& group);
  void do_clear(const std::string& arg);
  void do_open(const std::string& arg);
  void do_version(const std::string& arg);
  void do_fg(const std::string& arg);
  void tailf(const std::string& path);
  bool help_for(const std::string& topic);

  ControllerOptions options_;
  RpcClient rpc_;
};

/// Renders an XML-RPC value as JSON (structs keep their member order; binary
/// data becomes its text).
nlohmann::ordered_json to_json(const rpc::Value& v);

}  // namespace proctor::ctl
