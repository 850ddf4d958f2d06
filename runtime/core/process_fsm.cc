#include "runtime/core/process_fsm.h"

#include <fmt/format.h>

#include <csignal>

namespace proctor::runtime {

const char* state_name(ProcessState s) {
  switch (s) {
    case ProcessState::kStopped: return "STOPPED";
    case ProcessState::kStarting: return "STARTING";
    case ProcessState::kRunning: return "RUNNING";
    case ProcessState::kBackoff: return "BACKOFF";
    case ProcessState::kStopping: return "STOPPING";
    case ProcessState::kExited: return "EXITED";
    case ProcessState::kFatal: return "FATAL";
    case ProcessState::kUnknown: return "UNKNOWN";
  }
  return "UNKNOWN";
}

bool is_stopped_state(ProcessState s) {
  return s == ProcessState::kStopped || s == ProcessState::kExited || s == ProcessState::kFatal ||
         s == ProcessState::kUnknown;
}

bool is_running_state(ProcessState s) {
  return s == ProcessState::kRunning || s == ProcessState::kBackoff || s == ProcessState::kStarting;
}

void ProcessFsm::log(Effects& out, const char* level, std::string message) {
  Effect e{Effect::Kind::kLog};
  e.level = level;
  e.message = std::move(message);
  out.push_back(std::move(e));
}

void ProcessFsm::change_state(ProcessState to, Effects& out, bool expected) {
  if (to == state_) return;
  Effect e{Effect::Kind::kStateChange};
  e.from = state_;
  e.to = to;
  e.expected = expected;
  e.pid = pid_;         // EXITED and STOPPED events carry the pid that just ended
  e.tries = backoff_;   // callers count a BACKOFF before entering it, as Supervisor does
  state_ = to;
  out.push_back(e);
}

Effects ProcessFsm::start(double now) { return spawn(now); }

Effects ProcessFsm::spawn(double now) {
  Effects out;
  if (pid_ || spawning_) {
    log(out, "warn", fmt::format("process '{}' already running", spec_.name));
    return out;
  }
  killing_ = false;
  spawnerr_.clear();
  exitstatus_ = 0;
  laststart_ = now;
  ever_started_ = true;
  change_state(ProcessState::kStarting, out);
  spawning_ = true;
  out.push_back(Effect{Effect::Kind::kSpawn});
  return out;
}

Effects ProcessFsm::spawned(double now, int pid) {
  Effects out;
  spawning_ = false;
  pid_ = pid;
  spawnerr_.clear();
  delay_ = now + spec_.startsecs;
  log(out, "info", fmt::format("spawned: '{}' with pid {}", spec_.name, pid));
  return out;
}

// Supervisor's get_execv_args/make_dispatchers/fork failures: the process
// goes to BACKOFF and retries like one that exited too quickly.
Effects ProcessFsm::spawn_failed(double now, const std::string& why) {
  Effects out;
  spawning_ = false;
  spawnerr_ = why;
  log(out, "info", "spawnerr: " + why);
  ++backoff_;
  delay_ = now + backoff_;
  change_state(ProcessState::kBackoff, out);
  return out;
}

Effects ProcessFsm::stop(double now) { return kill(now, spec_.stopsignal); }

Effects ProcessFsm::kill(double now, int sig) {
  Effects out;
  // A stop request must not wait for a long series of start retries.
  if (state_ == ProcessState::kBackoff) {
    log(out, "debug", fmt::format("Attempted to kill {}, which is in BACKOFF state.", spec_.name));
    change_state(ProcessState::kStopped, out);
    return out;
  }
  if (!pid_) return out;
  bool as_group = state_ == ProcessState::kStopping ? spec_.killasgroup : spec_.stopasgroup;
  killing_ = true;
  delay_ = now + spec_.stopwaitsecs;
  change_state(ProcessState::kStopping, out);
  Effect e{Effect::Kind::kSignal};
  e.signal = sig;
  e.pid = as_group ? -pid_ : pid_;
  out.push_back(e);
  return out;
}

std::optional<std::string> ProcessFsm::signal(int sig, Effects& out) {
  if (!pid_) return fmt::format("attempted to send {} sig {} but it wasn't running", spec_.name, sig);
  Effect e{Effect::Kind::kSignal};
  e.signal = sig;
  e.pid = pid_;
  out.push_back(e);
  return std::nullopt;
}

Effects ProcessFsm::exited(double now, int es, const std::string& how) {
  Effects out;
  laststop_ = now;
  bool too_quickly = now > laststart_ ? now - laststart_ < spec_.startsecs : false;
  bool expected = spec_.expected_exit(es);
  if (killing_) {
    killing_ = false;
    delay_ = 0;
    exitstatus_ = es;
    change_state(ProcessState::kStopped, out);
    log(out, expected ? "info" : "warn", fmt::format("stopped: {} ({})", spec_.name, how));
  } else if (too_quickly) {
    exitstatus_ = 0;
    spawnerr_ = "Exited too quickly (process log may have details)";
    ++backoff_;
    delay_ = now + backoff_;
    change_state(ProcessState::kBackoff, out);
    log(out, "warn", fmt::format("exited: {} ({}; not expected)", spec_.name, how));
  } else {
    delay_ = 0;
    backoff_ = 0;
    exitstatus_ = es;
    if (state_ == ProcessState::kStarting) change_state(ProcessState::kRunning, out);
    if (!expected) spawnerr_ = fmt::format("Bad exit code {}", es);
    change_state(ProcessState::kExited, out, expected);
    log(out, expected ? "info" : "warn",
        fmt::format("exited: {} ({}; {})", spec_.name, how, expected ? "expected" : "not expected"));
  }
  pid_ = 0;
  return out;
}

Effects ProcessFsm::tick(double now, bool shutting_down) {
  Effects out;
  const ProcessState state = state_;
  if (!shutting_down && !spawning_) {
    if (state == ProcessState::kExited) {
      bool restart = spec_.autorestart == Autorestart::kTrue ||
                     (spec_.autorestart == Autorestart::kUnexpected && !spec_.expected_exit(exitstatus_));
      if (restart) out = spawn(now);
    } else if (state == ProcessState::kStopped && !ever_started_) {
      if (spec_.autostart) out = spawn(now);
    } else if (state == ProcessState::kBackoff) {
      if (backoff_ <= spec_.startretries && now > delay_) out = spawn(now);
    }
  }
  if (state == ProcessState::kStarting && pid_ && now - laststart_ > spec_.startsecs) {
    delay_ = 0;
    backoff_ = 0;
    change_state(ProcessState::kRunning, out);
    log(out, "info",
        fmt::format("success: {} entered RUNNING state, process has stayed up for > than {} "
                    "seconds (startsecs)",
                    spec_.name, spec_.startsecs));
  }
  if (state == ProcessState::kBackoff && backoff_ > spec_.startretries) {
    delay_ = 0;
    backoff_ = 0;
    change_state(ProcessState::kFatal, out);
    log(out, "info", fmt::format("gave up: {} entered FATAL state, too many start retries too quickly",
                                 spec_.name));
  } else if (state == ProcessState::kStopping && delay_ - now <= 0) {
    log(out, "warn", fmt::format("killing '{}' ({}) with SIGKILL", spec_.name, pid_));
    Effects k = kill(now, SIGKILL);
    out.insert(out.end(), k.begin(), k.end());
  }
  return out;
}

std::optional<double> ProcessFsm::next_deadline() const {
  switch (state_) {
    case ProcessState::kStarting:
      // RUNNING needs now - laststart > startsecs, strictly.
      return pid_ ? std::optional(laststart_ + spec_.startsecs) : std::nullopt;
    case ProcessState::kBackoff: return delay_;
    case ProcessState::kStopping: return delay_;
    default: return std::nullopt;
  }
}

}  // namespace proctor::runtime
