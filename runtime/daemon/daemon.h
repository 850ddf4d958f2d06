#pragma once
// proctord's event loop: libuv at the edges, the pure Supervisor core in the
// middle. Signals, child exits, timers and HTTP requests become calls on the
// core; the effects it returns (spawn, signal) are carried out here.

#include <uv.h>

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/model/host.h"
#include "compiler/model/recording_host.h"
#include "runtime/daemon/process_setup.h"
#include "runtime/daemon/rpc_context.h"
#include "runtime/daemon/stdin_writer.h"
#include "runtime/events/event_bus.h"
#include "runtime/events/output_capture.h"
#include "runtime/events/tick_schedule.h"
#include "runtime/daemon/rpc_interface.h"
#include "runtime/http/http_server.h"
#include "runtime/logs/channel_reader.h"
#include "runtime/logs/rotating_file.h"

namespace proctor::daemon {

namespace logs = runtime::logs;

struct DaemonOptions {
  std::string config_path;  ///< re-read by reloadConfig and SIGHUP; "" = plan only
  bool log_to_stdout = false;  ///< nodaemon and not silent: mirror the main log
  bool announce = false;  ///< print where supervisorctl can reach us on stdout
  StartupMessages startup_log;  ///< what setting up the process had to say, logged first
  /// Event serials go on across restarts (SIGHUP, reload): Supervisor's
  /// GlobalSerial lives as long as the supervisord process.
  runtime::events::SerialCounter event_serial;
};

/// Log files and pipes of one process (Supervisor's dispatchers).
struct ProcessIo {
  std::string stdout_path, stderr_path;  ///< resolved at group add time ("" = NONE)
  std::unique_ptr<logs::RotatingFile> stdout_log, stderr_log;
  std::set<logs::ChannelReader*> readers;  ///< open pipes, including a previous run's not yet drained
  int stdin_fd = -1;
  StdinWriter* stdin_writer = nullptr;  ///< event envelopes to a listener's stdin
  std::vector<std::shared_ptr<http::Responder>> tails[2];  ///< tail -f listeners
};

class Daemon : public RpcContext {
 public:
  Daemon(nlohmann::json plan, DaemonOptions options);
  ~Daemon() override;

  /// Runs until shutdown (returns 0) or a restart request (returns 1, the
  /// caller re-reads the config and constructs a new Daemon). Returns a
  /// negative errno when a server cannot listen.
  int run();
  /// The last event serial handed out, for the next Daemon after a restart.
  runtime::events::SerialCounter event_serial() { return events_.serial(); }

  // RpcContext
  double now() const override;
  runtime::Supervisor& supervisor() override { return sup_; }
  void execute(const runtime::TaggedEffects& effects) override;
  std::optional<std::pair<int, std::string>> check_command(const runtime::ProcessFsm& p) override;
  std::string log_path(const runtime::ProcessFsm& p, Channel c) const override;
  std::string main_log_path() const override;
  bool clear_process_log(runtime::ProcessFsm& p) override;
  bool clear_main_log() override;
  bool write_stdin(runtime::ProcessFsm& p, const std::string& data) override;
  Expected<plan::LazyPlan> reread_plan() override;
  void send_remote_comm_event(const std::string& type, const std::string& data) override;
  int pid() const override;
  std::string identifier() const override;

  void log(const std::string& level, const std::string& message);
  /// What in `plan` proctord refuses to run (a result_handler other than
  /// Supervisor's default), as one message naming its file:line, or nullopt.
  static std::optional<std::string> unsupported_settings(const nlohmann::json& plan);
  /// The same for one group of a plan.
  static std::optional<std::string> unsupported_group_settings(const nlohmann::json& group);

 private:
  int start_servers();
  void handle_http(const http::HttpRequest& req, std::shared_ptr<http::Responder> out);
  void handle_rpc(const http::HttpRequest& req, std::shared_ptr<http::Responder> out);
  void handle_logtail(const http::HttpRequest& req, std::shared_ptr<http::Responder> out);
  void spawn(runtime::ProcessFsm& p);
  void on_child_exit(int pid, int status);
  void close_io(runtime::ProcessFsm& p);
  ProcessIo& io(const runtime::ProcessFsm& p);
  void resolve_logs(runtime::ProcessFsm& p);
  /// After anything happens: run the core's transitions, answer deferred
  /// RPCs, re-arm the single timer for the next deadline, and stop the
  /// loop once shutdown is complete. Nothing polls while idle.
  void pump();
  void arm_timer();
  /// At shutdown: ends what the programs left behind (orphans adopted as
  /// subreaper, and their process groups), so no process outlives us.
  void end_leftovers();

  void close_stdin(ProcessIo& pio);

  // Events (event_plumbing.cc): Supervisor's events.notify() and its pools.

  void add_pool(runtime::ProcessGroup& g);
  void group_added(runtime::ProcessGroup& g);
  void group_removed(runtime::ProcessGroup& g);
  void notify(runtime::events::EventType type, std::string payload);
  void dispatch_events();
  void state_changed(runtime::ProcessFsm& p, const runtime::Effect& e);
  /// Output of a run of `p` (`pid`); `capture` is that channel's capture
  /// mode state, if *_capture_maxbytes is set, and `log` its log file.
  void output_read(runtime::ProcessFsm& p, int channel, int pid, std::string_view chunk,
                   runtime::events::OutputCapture* capture, logs::RotatingFile* log);
  std::shared_ptr<runtime::events::OutputCapture> capture_for(const runtime::ProcessFsm& p, int channel) const;
  void log_event(runtime::ProcessFsm& p, int channel, std::string_view data);
  void send_to_tails(const runtime::ProcessFsm& p, int channel, std::string_view data);
  void process_spawned(runtime::ProcessFsm& p, int stdin_fd);
  void listener_exited(runtime::ProcessFsm& p);
  /// Queues SUPERVISOR_STATE_CHANGE_STOPPING once the mood leaves RUNNING;
  /// true if it did (the caller dispatches after stopping the next group).
  bool supervisor_stopping();
  void arm_ticks();
  void write_event_log(const runtime::events::LogLines& lines);
  static void on_tick(uv_timer_t* t);

  static void on_signal(uv_signal_t* h, int signum);
  static void on_timer(uv_timer_t* t);

  DaemonOptions options_;
  /// The last reread that compiled and the host answers it rested on: the
  /// same answers again (update right after reread) give the same plan.
  struct LastReread {
    model::PosixHost host;
    model::RecordingHost answers{host};
    plan::LazyPlan plan;
  };
  std::unique_ptr<LastReread> last_reread_;
  runtime::Supervisor sup_;
  nlohmann::json plan_;  ///< the plan's settings outside groups (the core owns the groups)
  RpcInterface rpc_;
  uv_loop_t loop_{};
  uv_timer_t timer_{};
  uv_timer_t tick_timer_{};  ///< armed only while some pool subscribes to a TICK
  uv_timer_t trim_timer_{};  ///< one-shot: returns freed heap a second after the last client left
  runtime::events::EventBus events_;
  runtime::events::TickSchedule ticks_;
  struct ListenerSlot {
    std::string pool;
    std::size_t index;
  };
  std::map<const runtime::ProcessFsm*, ListenerSlot> listeners_;
  bool stopping_notified_ = false;
  std::vector<std::unique_ptr<uv_signal_t>> signals_;
  std::vector<std::unique_ptr<http::HttpServer>> servers_;
  std::map<const runtime::ProcessFsm*, ProcessIo> io_;
  std::map<int, runtime::ProcessFsm*> pids_;
  struct PendingReply {
    Deferred poll;
    std::shared_ptr<http::Responder> out;
  };
  std::vector<PendingReply> pending_;
  std::unique_ptr<logs::RotatingFile> main_log_;
  std::vector<std::shared_ptr<http::Responder>> main_tails_;
  int exit_code_ = 0;
  int loglevel_ = 20;  ///< [supervisord] loglevel as Supervisor's number
  bool stopping_loop_ = false;
};

}  // namespace proctor::daemon
