#pragma once
// One supervised process, as Supervisor's Subprocess (process.py) runs it,
// without any I/O: callers pass the time in, report what happened (spawned,
// spawn failed, exited) and carry out the effects it returns (spawn, send a
// signal). The states, transitions, back-off and messages are Supervisor's.

#include <optional>
#include <string>
#include <vector>

#include "runtime/core/process_spec.h"

namespace proctor::runtime {

enum class ProcessState {
  kStopped = 0,
  kStarting = 10,
  kRunning = 20,
  kBackoff = 30,
  kStopping = 40,
  kExited = 100,
  kFatal = 200,
  kUnknown = 1000,
};

const char* state_name(ProcessState s);
bool is_stopped_state(ProcessState s);  ///< STOPPED, EXITED, FATAL, UNKNOWN
bool is_running_state(ProcessState s);  ///< RUNNING, BACKOFF, STARTING

struct Effect {
  enum class Kind {
    kSpawn,         ///< start the command now; report spawned() or spawn_failed()
    kSignal,        ///< send `signal` to `pid` (negative: its process group)
    kStateChange,   ///< from -> to, for events and logs
    kLog,           ///< a line for supervisord's log at `level`
  };
  Kind kind;
  int signal = 0;
  int pid = 0;   ///< kSignal: the target; kStateChange: the process's pid then
  int tries = 0;  ///< kStateChange: start attempts so far (Supervisor's `backoff`)
  ProcessState from = ProcessState::kStopped, to = ProcessState::kStopped;
  bool expected = true;
  std::string level{};  ///< "info", "warn", "debug", "critical"
  std::string message{};
};

using Effects = std::vector<Effect>;

class ProcessFsm {
 public:
  explicit ProcessFsm(ProcessSpec spec) : spec_(std::move(spec)) {}

  /// supervisor.startProcess / autostart: spawn() from a stopped state.
  Effects start(double now);
  /// Administrative stop: kill(stopsignal), or BACKOFF -> STOPPED.
  Effects stop(double now);
  /// supervisor.signalProcess; nullopt on success or the reason it failed.
  std::optional<std::string> signal(int sig, Effects& out);

  Effects spawned(double now, int pid);
  Effects spawn_failed(double now, const std::string& why);
  /// The child was reaped. `exit_status` is the exit code (or -1 for a
  /// signal death); `how` reads like "exit status 1" or "terminated by SIGTERM".
  Effects exited(double now, int exit_status, const std::string& how);
  /// Supervisor's transition(): restarts, STARTING -> RUNNING, BACKOFF ->
  /// FATAL, SIGKILL after stopwaitsecs. `shutting_down` stops new spawns.
  Effects tick(double now, bool shutting_down);
  /// When tick() must run next, or nullopt when only an event can change things.
  std::optional<double> next_deadline() const;

  const ProcessSpec& spec() const { return spec_; }
  void replace_spec(ProcessSpec spec) { spec_ = std::move(spec); }
  ProcessState state() const { return state_; }
  int pid() const { return pid_; }
  double laststart() const { return laststart_; }
  double laststop() const { return laststop_; }
  const std::string& spawnerr() const { return spawnerr_; }
  int exitstatus() const { return exitstatus_; }
  int backoff() const { return backoff_; }

 private:
  void change_state(ProcessState to, Effects& out, bool expected = true);
  Effects spawn(double now);
  Effects kill(double now, int sig);
  static void log(Effects& out, const char* level, std::string message);

  ProcessSpec spec_;
  ProcessState state_ = ProcessState::kStopped;
  int pid_ = 0;
  double laststart_ = 0;
  double laststop_ = 0;
  double delay_ = 0;
  int backoff_ = 0;
  bool killing_ = false;
  bool spawning_ = false;  ///< a kSpawn effect is out, awaiting spawned()/spawn_failed()
  bool ever_started_ = false;  ///< Supervisor's `laststart` being set: autostart happens once
  int exitstatus_ = 0;
  std::string spawnerr_;
};

}  // namespace proctor::runtime
