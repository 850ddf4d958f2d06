#pragma once
// What Supervisor's RPC interface needs from the daemon around it. The
// methods (rpc_interface.cc) are written against this, so they stay free of
// libuv and can be tested with a fake.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/base/expected.h"
#include "compiler/plan/lazy_plan.h"
#include "runtime/core/supervisor.h"

namespace proctor::daemon {

enum class Channel { kStdout, kStderr };

class RpcContext {
 public:
  virtual ~RpcContext() = default;
  virtual double now() const = 0;  ///< wall-clock seconds, like time.time()
  virtual runtime::Supervisor& supervisor() = 0;
  /// Carries out spawn/signal effects now (spawning synchronously reports
  /// spawned()/spawn_failed() to the process before returning).
  virtual void execute(const runtime::TaggedEffects& effects) = 0;
  /// Checks the command the way Supervisor's get_execv_args does; the
  /// error is {fault code, message} (NO_FILE or NOT_EXECUTABLE).
  virtual std::optional<std::pair<int, std::string>> check_command(const runtime::ProcessFsm& p) = 0;
  /// The log file a channel writes to (AUTO already resolved), or "".
  virtual std::string log_path(const runtime::ProcessFsm& p, Channel c) const = 0;
  virtual std::string main_log_path() const = 0;
  virtual bool clear_process_log(runtime::ProcessFsm& p) = 0;
  virtual bool clear_main_log() = 0;
  /// Writes to the process's stdin; false when it has no open stdin.
  virtual bool write_stdin(runtime::ProcessFsm& p, const std::string& data) = 0;
  /// Reads the config from disk again; the error carries the diagnostics.
  virtual Expected<plan::LazyPlan> reread_plan() = 0;
  /// supervisor.sendRemoteCommEvent: raises REMOTE_COMMUNICATION.
  virtual void send_remote_comm_event(const std::string& type, const std::string& data) = 0;
  virtual int pid() const = 0;
  virtual std::string identifier() const = 0;
};

}  // namespace proctor::daemon
