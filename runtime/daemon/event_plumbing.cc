// Supervisor's event system inside proctord: what happens in the daemon
// (state changes, output, ticks, groups, RPCs) becomes events for the
// pure pools of runtime/events, and their envelopes go to the listeners'
// stdin. Listener stdout feeds the protocol; nothing here decides what a
// listener may receive.

#include <fmt/format.h>

#include "runtime/daemon/daemon.h"
#include "runtime/logs/ansi_strip.h"

namespace proctor::daemon {

namespace events = runtime::events;

using events::EventType;
using nlohmann::json;
using runtime::ProcessFsm;
using runtime::ProcessState;

namespace {

constexpr const char* kDefaultHandler = "supervisor.dispatchers:default_handler";

std::optional<EventType> state_event(ProcessState s) {
  switch (s) {
    case ProcessState::kStopped: return EventType::kProcessStateStopped;
    case ProcessState::kStarting: return EventType::kProcessStateStarting;
    case ProcessState::kRunning: return EventType::kProcessStateRunning;
    case ProcessState::kBackoff: return EventType::kProcessStateBackoff;
    case ProcessState::kStopping: return EventType::kProcessStateStopping;
    case ProcessState::kExited: return EventType::kProcessStateExited;
    case ProcessState::kFatal: return EventType::kProcessStateFatal;
    case ProcessState::kUnknown: return EventType::kProcessStateUnknown;
  }
  return std::nullopt;
}

bool wants_ticks(const events::EventBus& bus) {
  return bus.wants(EventType::kTick5) || bus.wants(EventType::kTick60) || bus.wants(EventType::kTick3600);
}

}  // namespace

// Supervisor imports any result_handler; proctord has only the default.
std::optional<std::string> Daemon::unsupported_group_settings(const json& group) {
  if (group.value("type", "") != "eventlistener") return std::nullopt;
  std::string handler = group.value("result_handler", kDefaultHandler);
  if (handler == kDefaultHandler) return std::nullopt;
  std::string where = "[eventlistener:" + group.value("name", "") + "]";
  if (group.contains("source") && group["source"].is_object())
    where = fmt::format("{}:{}: {}", group["source"].value("file", ""), group["source"].value("line", 0), where);
  return fmt::format("{} result_handler={} is not supported: proctord runs only Supervisor's default handler "
                     "({}); remove result_handler= or run this pool under supervisord",
                     where, handler, kDefaultHandler);
}

std::optional<std::string> Daemon::unsupported_settings(const json& plan) {
  if (plan.contains("groups"))
    for (const auto& g : plan.at("groups"))
      if (auto why = unsupported_group_settings(g)) return why;
  return std::nullopt;
}

void Daemon::add_pool(runtime::ProcessGroup& g) {
  if (g.type != "eventlistener") return;  // before parsing: most groups are not pools
  json config = g.config();
  events::PoolConfig pc;
  pc.name = g.name;
  pc.buffer_size = config.value("buffer_size", std::size_t{10});
  pc.server = identifier();
  for (const auto& name : config.value("events", std::vector<std::string>{}))
    if (auto t = events::event_type_named(name)) pc.events.push_back(*t);
  std::vector<std::string> names;
  for (std::size_t i = 0; i < g.processes.size(); ++i) {
    names.push_back(g.processes[i]->spec().name);
    listeners_[g.processes[i].get()] = {g.name, i};
  }
  events_.add_pool(std::move(pc), std::move(names));
}

// add_process_group: the pool subscribes first, so it hears of itself.
void Daemon::group_added(runtime::ProcessGroup& g) {
  add_pool(g);
  arm_ticks();
  if (events_.wants(EventType::kProcessGroupAdded))
    notify(EventType::kProcessGroupAdded, events::process_group_payload(g.name));
}

void Daemon::group_removed(runtime::ProcessGroup& g) {
  for (const auto& p : g.processes) listeners_.erase(p.get());
  events_.remove_pool(g.name);
  arm_ticks();
  if (events_.wants(EventType::kProcessGroupRemoved))
    notify(EventType::kProcessGroupRemoved, events::process_group_payload(g.name));
}

void Daemon::write_event_log(const events::LogLines& lines) {
  for (const auto& l : lines) log(l.level, l.message);
}

void Daemon::notify(EventType type, std::string payload) {
  events::LogLines lines;
  events_.notify(type, std::move(payload), lines);
  write_event_log(lines);
  dispatch_events();
}

void Daemon::dispatch_events() {
  events::LogLines lines;
  events_.dispatch(
      [&](const events::EventPool& pool, std::size_t i, std::string_view envelope) {
        auto* g = sup_.group(pool.config().name);
        if (!g || i >= g->processes.size()) return false;
        ProcessIo& pio = io(*g->processes[i]);
        return pio.stdin_writer && pio.stdin_writer->write(envelope);
      },
      lines);
  write_event_log(lines);
}

void Daemon::state_changed(ProcessFsm& p, const runtime::Effect& e) {
  if (auto it = listeners_.find(&p); it != listeners_.end())
    if (auto* pool = events_.pool(it->second.pool))
      pool->listener_running(it->second.index, e.to == ProcessState::kRunning);
  auto type = state_event(e.to);
  if (type && events_.wants(*type))
    notify(*type, events::process_state_payload(*type, {p.spec().name, p.spec().group},
                                                runtime::state_name(e.from), e.expected, e.pid, e.tries));
  else
    dispatch_events();  // a listener that just became RUNNING may take buffered events
}

// A listener's stdout is its protocol channel (and still its log); other
// output goes to the log and raises PROCESS_LOG_* when the program enables
// it, or, in capture mode, may become PROCESS_COMMUNICATION_*.
void Daemon::output_read(ProcessFsm& p, int channel, int pid, std::string_view chunk,
                         events::OutputCapture* capture, logs::RotatingFile* log_file) {
  if (channel == 0) {
    if (auto it = listeners_.find(&p); it != listeners_.end()) {
      send_to_tails(p, channel, chunk);
      auto* pool = events_.pool(it->second.pool);
      if (!pool || p.pid() != pid) return;  // a previous run's leftovers speak no protocol
      events::LogLines lines;
      pool->listener_output(it->second.index, chunk, events_.serial(), lines);
      write_event_log(lines);
      dispatch_events();
      return;
    }
  }
  if (!capture) {
    send_to_tails(p, channel, chunk);
    return log_event(p, channel, chunk);
  }
  for (auto& piece : capture->feed(chunk)) {
    if (piece.kind == events::OutputCapture::Piece::Kind::kCommunication) {
      auto type = channel == 0 ? EventType::kProcessCommunicationStdout : EventType::kProcessCommunicationStderr;
      if (events_.wants(type))
        notify(type, events::process_communication_payload({p.spec().name, p.spec().group}, p.pid(), piece.data));
      log("debug", fmt::format("'{}' {} emitted a comm event", p.spec().name, channel == 0 ? "stdout" : "stderr"));
      continue;
    }
    if (!piece.captured) {
      if (log_file) log_file->write(piece.data);
      send_to_tails(p, channel, piece.data);
    }
    log_event(p, channel, piece.data);
  }
}

std::shared_ptr<events::OutputCapture> Daemon::capture_for(const ProcessFsm& p, int channel) const {
  if (channel == 0 && listeners_.contains(&p)) return nullptr;
  auto max = channel == 0 ? p.spec().stdout_capture_maxbytes : p.spec().stderr_capture_maxbytes;
  if (max <= 0) return nullptr;
  bool strip = plan_.at("supervisord").value("strip_ansi", false);
  return std::make_shared<events::OutputCapture>(static_cast<std::size_t>(max), strip ? logs::strip_ansi : nullptr);
}

void Daemon::log_event(ProcessFsm& p, int channel, std::string_view data) {
  bool enabled = channel == 0 ? p.spec().stdout_events : p.spec().stderr_events;
  EventType type = channel == 0 ? EventType::kProcessLogStdout : EventType::kProcessLogStderr;
  if (enabled && events_.wants(type))
    notify(type, events::process_log_payload({p.spec().name, p.spec().group}, p.pid(),
                                             channel == 0 ? "stdout" : "stderr", data));
}

void Daemon::process_spawned(ProcessFsm& p, int stdin_fd) {
  ProcessIo& pio = io(p);
  if (stdin_fd >= 0) pio.stdin_writer = StdinWriter::start(&loop_, stdin_fd);
  auto it = listeners_.find(&p);
  if (it == listeners_.end()) return;
  if (auto* pool = events_.pool(it->second.pool)) pool->listener_spawned(it->second.index);
}

// Subprocess.finish: an event the listener was busy with goes back first in line.
void Daemon::listener_exited(ProcessFsm& p) {
  auto it = listeners_.find(&p);
  if (it == listeners_.end()) return;
  auto* pool = events_.pool(it->second.pool);
  if (!pool) return;
  events::LogLines lines;
  pool->listener_exited(it->second.index, events_.serial(), lines);
  write_event_log(lines);
  dispatch_events();
}

bool Daemon::supervisor_stopping() {
  if (stopping_notified_ || sup_.mood() == runtime::Mood::kRunning) return false;
  stopping_notified_ = true;
  if (!events_.wants(EventType::kSupervisorStateChangeStopping)) return false;
  events::LogLines lines;
  events_.notify(EventType::kSupervisorStateChangeStopping, "", lines);
  write_event_log(lines);
  return true;
}

void Daemon::send_remote_comm_event(const std::string& type, const std::string& data) {
  if (events_.wants(EventType::kRemoteCommunication))
    notify(EventType::kRemoteCommunication, events::remote_communication_payload(type, data));
}

// One timer for all tick types, at the next 5-second boundary, and none at
// all unless a pool listens: an idle proctord makes no wake-ups.
void Daemon::arm_ticks() {
  if (!wants_ticks(events_)) {
    uv_timer_stop(&tick_timer_);
    return;
  }
  double t = now();
  // supervisord notes the current periods every second; a timer that was
  // off must not report the periods that passed meanwhile.
  if (!uv_is_active(reinterpret_cast<uv_handle_t*>(&tick_timer_))) ticks_.due(t);
  double delay = events::TickSchedule::next(t) - t;
  uv_timer_start(&tick_timer_, on_tick, static_cast<std::uint64_t>(delay * 1000) + 1, 0);
}

void Daemon::on_tick(uv_timer_t* t) {
  auto* self = static_cast<Daemon*>(t->data);
  for (auto [type, when] : self->ticks_.due(self->now()))
    if (self->events_.wants(type)) self->notify(type, events::tick_payload(when));
  self->arm_ticks();
}

}  // namespace proctor::daemon
