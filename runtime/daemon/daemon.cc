#include "runtime/daemon/daemon.h"

#include <fmt/format.h>
#include <dirent.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include <csignal>
#include <ctime>
#include <iostream>

#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"
#include "runtime/exec/spawner.h"
#include "runtime/rpc/xmlrpc.h"

namespace proctor::daemon {

namespace exec = runtime::exec;

using runtime::ProcessFsm;
using nlohmann::json;

namespace {

// supervisor.loggers.LevelsByName.
int level_number(std::string_view name) {
  if (name == "critical") return 50;
  if (name == "error") return 40;
  if (name == "warn" || name == "warning") return 30;
  if (name == "info") return 20;
  if (name == "debug") return 10;
  if (name == "trace") return 5;
  if (name == "blather") return 3;
  return 20;
}

// loggers.py LevelsByName: the four-letter names Supervisor's log lines carry.
const char* level_tag(const std::string& level) {
  if (level == "critical") return "CRIT";
  if (level == "error") return "ERRO";
  if (level == "warn" || level == "warning") return "WARN";
  if (level == "debug") return "DEBG";
  if (level == "trace") return "TRAC";
  if (level == "blather") return "BLAT";
  return "INFO";
}

}  // namespace

Daemon::Daemon(json plan, DaemonOptions options)
    : options_(std::move(options)), sup_(std::move(plan)), plan_(sup_.plan()), rpc_(*this) {
  events_.serial() = options_.event_serial;
  uv_loop_init(&loop_);
  uv_timer_init(&loop_, &timer_);
  timer_.data = this;
  uv_timer_init(&loop_, &tick_timer_);
  tick_timer_.data = this;
  uv_timer_init(&loop_, &trim_timer_);
  const json& s = plan_.at("supervisord");
  loglevel_ = level_number(s.value("loglevel", "info"));
  std::string logfile = s.value("logfile", "");
  if (!logfile.empty() && logfile != "syslog") {
    auto f = logs::RotatingFile::open(logfile, s.value("logfile_maxbytes", std::int64_t{0}),
                                      static_cast<int>(s.value("logfile_backups", 0)));
    if (f) main_log_ = std::make_unique<logs::RotatingFile>(std::move(f.value()));
    else std::cerr << "proctord: cannot open log " << logfile << ": " << f.error() << "\n";
  }
  for (const auto& g : sup_.groups())
    for (const auto& p : g->processes) resolve_logs(*p);
  sup_.on_process_added = [this](ProcessFsm& p) { resolve_logs(p); };
  sup_.on_process_removed = [this](ProcessFsm& p) { close_io(p); };
  for (const auto& g : sup_.groups()) group_added(*g);
  sup_.on_group_added = [this](runtime::ProcessGroup& g) { group_added(g); };
  sup_.on_group_removed = [this](runtime::ProcessGroup& g) { group_removed(g); };
}

void Daemon::close_stdin(ProcessIo& pio) {
  if (pio.stdin_writer) pio.stdin_writer->close();
  pio.stdin_writer = nullptr;
  if (pio.stdin_fd >= 0) ::close(pio.stdin_fd);
  pio.stdin_fd = -1;
}

void Daemon::close_io(ProcessFsm& p) {
  auto it = io_.find(&p);
  if (it == io_.end()) return;
  for (auto* r : it->second.readers) r->close();
  close_stdin(it->second);
  for (auto& tails : it->second.tails)
    for (auto& t : tails)
      if (t->alive()) t->end();
  io_.erase(it);
}

Daemon::~Daemon() {
  for (auto& [p, pio] : io_) {
    for (auto* r : pio.readers) r->close();
    close_stdin(pio);
  }
  servers_.clear();
  for (auto& s : signals_) uv_close(reinterpret_cast<uv_handle_t*>(s.get()), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&tick_timer_), nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&trim_timer_), nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_loop_close(&loop_);
}

double Daemon::now() const {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec / 1e9;
}

int Daemon::pid() const { return static_cast<int>(::getpid()); }

std::string Daemon::identifier() const { return plan_.at("supervisord").value("identifier", "supervisor"); }

std::string Daemon::main_log_path() const { return main_log_ ? main_log_->path() : ""; }

// Supervisor's log format: "2024-05-01 12:00:00,123 INFO message". Lines
// below [supervisord] loglevel are not written.
void Daemon::log(const std::string& level, const std::string& message) {
  if (level_number(level) < loglevel_) return;
  timeval tv{};
  gettimeofday(&tv, nullptr);
  std::tm tm{};
  localtime_r(&tv.tv_sec, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
  std::string line = fmt::format("{},{:03} {} {}\n", stamp, tv.tv_usec / 1000, level_tag(level), message);
  if (main_log_) main_log_->write(line);
  if (options_.log_to_stdout) std::cout << line << std::flush;
  for (auto& t : main_tails_)
    if (t->alive()) t->send_chunk(line);
}

int Daemon::run() {
  for (int sig : {SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP, SIGUSR2}) {
    auto h = std::make_unique<uv_signal_t>();
    uv_signal_init(&loop_, h.get());
    h->data = this;
    uv_signal_start(h.get(), on_signal, sig);
    signals_.push_back(std::move(h));
  }
  exec::set_child_subreaper();
  if (int err = start_servers(); err < 0) return err;
  if (options_.announce) {
    std::string where;
    for (const auto& srv : plan_.at("http_servers")) {
      if (!where.empty()) where += " and ";
      where += srv.at("family") == "unix"
                   ? "unix://" + srv.at("file").get<std::string>()
                   : fmt::format("http://{}:{}", srv.value("host", "").empty() ? "0.0.0.0" : srv.value("host", ""),
                                 srv.value("port", 0));
    }
    if (where.empty()) std::cout << fmt::format("proctord: no [unix_http_server] or [inet_http_server], supervisorctl cannot connect (pid {})\n", pid());
    else std::cout << fmt::format("proctord: serving supervisorctl on {} (pid {})\n", where, pid());
    std::cout << std::flush;
  }
  for (const auto& m : options_.startup_log) log(m.level, m.text);
  log("info", fmt::format("proctord started with pid {}", pid()));
  if (events_.wants(runtime::events::EventType::kSupervisorStateChangeRunning))
    notify(runtime::events::EventType::kSupervisorStateChangeRunning, "");
  pump();
  uv_run(&loop_, UV_RUN_DEFAULT);
  return exit_code_;
}

void Daemon::on_signal(uv_signal_t* h, int signum) {
  auto* self = static_cast<Daemon*>(h->data);
  if (signum == SIGCHLD) {
    exec::reap_children([self](pid_t pid, int status) { self->on_child_exit(pid, status); });
  } else if (signum == SIGUSR2) {
    self->log("info", "received SIGUSR2 indicating log reopen request");
    if (self->main_log_) self->main_log_->reopen();
    for (auto& [p, pio] : self->io_) {
      if (pio.stdout_log) pio.stdout_log->reopen();
      if (pio.stderr_log) pio.stderr_log->reopen();
    }
  } else if (signum == SIGHUP) {
    self->log("warn", "received SIGHUP indicating restart request");
    self->sup_.set_mood(runtime::Mood::kRestarting);
  } else {
    self->log("warn", fmt::format("received {} indicating exit request", exec::signame(signum)));
    self->sup_.set_mood(runtime::Mood::kShutdown);
  }
  self->pump();
}

void Daemon::on_timer(uv_timer_t* t) { static_cast<Daemon*>(t->data)->pump(); }

void Daemon::pump() {
  if (stopping_loop_) return;
  // supervisord's order: announce STOPPING, stop the next group, then let
  // pools dispatch, so a listener in that group is never sent the event.
  bool announced = supervisor_stopping();
  execute(sup_.tick(now()));
  if (announced) dispatch_events();
  for (auto it = pending_.begin(); it != pending_.end();) {
    auto outcome = it->poll();
    if (!outcome) {
      ++it;
      continue;
    }
    if (it->out->alive()) {
      std::string body = std::holds_alternative<rpc::Value>(*outcome)
                             ? rpc::render_response(std::get<rpc::Value>(*outcome))
                             : rpc::render_fault(std::get<RpcError>(*outcome).code, std::get<RpcError>(*outcome).text);
      it->out->reply(200, {{"Content-Type", "text/xml"}}, std::move(body));
    }
    it = pending_.erase(it);
  }
  if (sup_.finished_stopping()) {
    exit_code_ = sup_.mood() == runtime::Mood::kRestarting ? 1 : 0;
    if (!exit_code_) end_leftovers();
    log("info", exit_code_ ? "restarting" : "shutting down");
    stopping_loop_ = true;
    for (auto& s : servers_) s->stop();
    uv_stop(&loop_);
    return;
  }
  arm_timer();
}

namespace {

// Direct children (by /proc's PPid) as {pid, pgid}.
std::vector<std::pair<pid_t, pid_t>> children_of(pid_t parent) {
  std::vector<std::pair<pid_t, pid_t>> out;
  DIR* d = ::opendir("/proc");
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end) continue;
    std::ifstream stat(fmt::format("/proc/{}/stat", pid));
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 1));
    std::string state;
    long ppid = 0, pgrp = 0;
    if (rest >> state >> ppid >> pgrp && ppid == parent) out.emplace_back(pid, pgrp);
  }
  ::closedir(d);
  return out;
}

// Reaps every child that has exited, for up to `seconds`; true once none is left.
bool reap_all(double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    int status;
    pid_t r = ::waitpid(-1, &status, WNOHANG);
    if (r < 0 && errno == ECHILD) return true;
    if (r > 0) continue;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ::usleep(10000);
  }
}

}  // namespace

// Supervisor leaves a program's descendants running when the program
// exits; as subreaper proctord has adopted them, and ends them (SIGTERM,
// then SIGKILL after a second) so no process it started outlives it.
void Daemon::end_leftovers() {
  pid_t own_group = ::getpgrp();
  for (int sig : {SIGTERM, SIGKILL}) {
    auto kids = children_of(::getpid());
    if (kids.empty()) break;
    for (auto [pid, pgid] : kids) {
      log("info", fmt::format("sending {} to leftover process {}", exec::signame(sig), pid));
      if (pgid > 1 && pgid != own_group) ::kill(-pgid, sig);
      ::kill(pid, sig);
    }
    if (reap_all(1.0)) break;
  }
}

void Daemon::arm_timer() {
  std::optional<double> deadline = sup_.next_deadline();
  // A process waiting on depends_on, or an RPC waiting for one, is settled
  // by state changes that arrive as events; nothing else needs a wake-up.
  if (!deadline) {
    uv_timer_stop(&timer_);
    return;
  }
  double delay = std::max(0.0, *deadline - now());
  uv_timer_start(&timer_, on_timer, static_cast<std::uint64_t>(delay * 1000) + 1, 0);
}

void Daemon::execute(const runtime::TaggedEffects& effects) {
  for (const auto& te : effects) {
    const auto& e = te.effect;
    switch (e.kind) {
      case runtime::Effect::Kind::kSpawn: spawn(*te.process); break;
      case runtime::Effect::Kind::kSignal:
        if (::kill(e.pid, e.signal) != 0 && errno != ESRCH)
          log("critical", fmt::format("unknown problem killing {} ({}): {}", te.process->spec().name,
                                      e.pid, std::strerror(errno)));
        break;
      case runtime::Effect::Kind::kLog: log(e.level, e.message); break;
      case runtime::Effect::Kind::kStateChange:
        state_changed(*te.process, e);
        if (e.to == runtime::ProcessState::kStopping || e.to == runtime::ProcessState::kStarting) break;
        log("debug", fmt::format("{} {} -> {}", te.process->spec().name, runtime::state_name(e.from),
                                 runtime::state_name(e.to)));
        break;
    }
  }
}

void Daemon::on_child_exit(int pid, int status) {
  auto it = pids_.find(pid);
  if (it == pids_.end()) return;  // an orphaned grandchild we adopted as subreaper
  ProcessFsm* p = it->second;
  pids_.erase(it);
  auto ws = exec::decode_wait_status(status);
  close_stdin(io(*p));
  execute([&] {
    runtime::TaggedEffects t;
    for (auto& e : p->exited(now(), ws.exit_code, ws.message)) t.push_back({p, e});
    return t;
  }());
  listener_exited(*p);
}

}  // namespace proctor::daemon
