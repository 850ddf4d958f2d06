// Supervisor's event listener protocol end to end: the same config and
// scenario run under Debian's supervisord and under proctord, with
// listeners written against Debian's supervisor.childutils
// (tests/integration/listeners/), must yield the same events: names,
// payload fields and bodies, in the same order per process (pids, times
// and, where the daemons' timing may differ, serials masked).

#include <nlohmann/json.hpp>

#include "proctord_harness.h"

namespace proctord_test {
namespace {

using nlohmann::json;

constexpr const char* kSupervisord = "/usr/bin/supervisord";
constexpr const char* kPython = "/usr/bin/python3";
const fs::path kListeners = fs::path(PROCTOR_SOURCE_DIR) / "tests/integration/listeners";

enum class Daemon { kSupervisord, kProctord };
const char* name(Daemon d) { return d == Daemon::kSupervisord ? "supervisord" : "proctord"; }

class EventsTest : public ProctordTest {
 protected:
  void SetUp() override {
    ProctordTest::SetUp();
    if (IsSkipped()) return;
    if (!fs::exists(kSupervisord)) GTEST_SKIP() << kSupervisord << " is not installed";
  }

  /// Runs `daemon -c CONF -n` in its own process group until supervisorctl answers.
  void start_daemon(Daemon d) {
    spawn_daemon(d);
    bool up = eventually([&] { return ctl("pid", 5).status == 0; }, 10s);
    ASSERT_TRUE(up) << name(d) << " did not come up:\n" << slurp(dir_ / "daemon.out");
  }

  /// Starts `daemon -c CONF -n` in its own process group.
  void spawn_daemon(Daemon d) {
    const char* bin = d == Daemon::kSupervisord ? kSupervisord : PROCTORD_BIN;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      std::string c = conf().string();
      std::string out = (dir_ / "daemon.out").string();
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(out.c_str(), "a", stderr)) ::_exit(126);
      ::execl(bin, bin, "-c", c.c_str(), "-n", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
  }

  std::pair<std::vector<json>, std::string> capture_under_both(const std::string& config);

  std::string listener(const std::string& script, const std::string& args) const {
    return std::string(kPython) + " " + (kListeners / script).string() + " " + args;
  }

  void send_remote(const std::vector<std::string>& type_data) {
    std::string cmd = std::string(kPython) + " " + (kListeners / "send_remote.py").string() + " unix://" +
                      (dir_ / "s.sock").string();
    for (const auto& a : type_data) cmd += " '" + a + "'";
    Result r = sh(cmd);
    ASSERT_EQ(r.status, 0) << r.out;
  }

  static std::vector<json> read_events(const fs::path& file) {
    std::vector<json> out;
    std::ifstream in(file);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(json::parse(line));
    return out;
  }

  bool recorded(const fs::path& file, const std::string& eventname, std::size_t count = 1) {
    std::size_t n = 0;
    for (const auto& e : read_events(file))
      if (e["headers"]["eventname"] == eventname) ++n;
    return n >= count;
  }

  /// Stops the daemon and everything it started, for the next run in this dir.
  void stop_daemon() {
    kill_everything();
    fs::remove(dir_ / "s.sock");
  }
};

/// An event with what may differ between runs blanked out.
json masked(json e, bool keep_serials) {
  json& h = e["headers"];
  for (const char* k : {"serial", "poolserial"})
    if (!keep_serials) h.erase(k);
  h.erase("len");  // differs with the masked fields; bodies are compared whole
  for (const char* k : {"pid", "when"})
    if (e["fields"].contains(k)) e["fields"][k] = "*";
  return e;
}

/// Every event masked, serials kept, as one JSON array to compare.
json masked_all(const std::vector<json>& events) {
  json out = json::array();
  for (const auto& e : events) out.push_back(masked(e, true));
  return out;
}

/// Events of each process in order, then the process-less ones in order:
/// two programs' lifecycles may interleave differently between runs. (The
/// scenario keeps each process's own order deterministic: startsecs far
/// from how long a program runs, output only after it is RUNNING.)
std::map<std::string, std::vector<json>> by_process(const std::vector<json>& events, bool keep_serials) {
  std::map<std::string, std::vector<json>> out;
  for (const auto& e : events) {
    std::string who = e["fields"].value("processname", "");
    out[who].push_back(masked(e, keep_serials));
  }
  return out;
}

constexpr const char* kScenario = R"(
[eventlistener:rec]
command = {REC}
events = PROCESS_STATE,PROCESS_LOG,REMOTE_COMMUNICATION,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE
buffer_size = 100
startsecs = 0
stderr_logfile = %(here)s/rec.err

[program:crashy]
command = /bin/false
startsecs = 10
startretries = 1

[program:once]
command = /bin/sh -c "sleep 0.5; echo hello; sleep 0.5; exit 3"
startsecs = 0
autorestart = false
stdout_events_enabled = true
)";

std::string with(std::string text, const std::string& key, const std::string& value) {
  for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) text.replace(at, key.size(), value);
  return text;
}

TEST_F(EventsTest, SameEventsAsSupervisordForAScenario) {
  std::map<Daemon, std::vector<json>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    write_config(with(kScenario, "{REC}", listener("record.py", out.string())));
    start_daemon(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "PROCESS_STATE_FATAL") && recorded(out, "PROCESS_STATE_EXITED"); },
                           15s))
        << name(d) << " events so far:\n" << slurp(out) << slurp(dir_ / "d.log");
    send_remote({"deploy", "v1 done"});
    ASSERT_TRUE(eventually([&] { return recorded(out, "REMOTE_COMMUNICATION"); }, 5s)) << name(d);
    stop_daemon();
    seen[d] = read_events(out);
    fs::remove(dir_ / "d.log");
  }
  auto expected = by_process(seen[Daemon::kSupervisord], false);
  auto actual = by_process(seen[Daemon::kProctord], false);
  for (const auto& [who, events] : expected) {
    ASSERT_EQ(actual[who].size(), events.size()) << "process '" << who << "'\nsupervisord:\n"
                                                   << json(events).dump(1) << "\nproctord:\n"
                                                   << json(actual[who]).dump(1);
    for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(actual[who][i], events[i]) << who << " #" << i;
  }
  EXPECT_EQ(actual.size(), expected.size());
  // Serials count every accepted event: the whole run's numbering agrees.
  ASSERT_EQ(seen[Daemon::kProctord].size(), seen[Daemon::kSupervisord].size());
}

// One listener that answers FAIL once, then OK; one slow listener with a
// two-event buffer that must drop the oldest waiting events. The pools get
// different priorities: supervisord's handle_rejected asks `process in
// procs`, and Subprocess.__eq__ compares priorities only, so with equal
// ones every pool re-buffers the event picky rejected, and what slow then
// receives depends on when the FAIL arrives. proctord re-buffers only in
// the pool that rejected it.
constexpr const char* kPools = R"(
[eventlistener:picky]
command = {PICKY}
events = REMOTE_COMMUNICATION
startsecs = 0

[eventlistener:slow]
command = {SLOW}
events = REMOTE_COMMUNICATION
buffer_size = 2
priority = 10
startsecs = 0
)";

TEST_F(EventsTest, FailIsRedeliveredAndFullBuffersDropTheOldestLikeSupervisord) {
  std::map<Daemon, std::pair<std::vector<json>, std::vector<json>>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path picky = dir_ / (std::string(name(d)) + "-picky.jsonl");
    fs::path slow = dir_ / (std::string(name(d)) + "-slow.jsonl");
    std::string cfg = with(kPools, "{PICKY}", listener("record.py", picky.string() + " --fail-first"));
    write_config(with(cfg, "{SLOW}", listener("record.py", slow.string() + " --delay 1")));
    start_daemon(d);
    // Both listeners READY before the burst.
    ASSERT_TRUE(eventually([&] { return ctl("status").out.find("STARTING") == std::string::npos; }, 5s));
    std::this_thread::sleep_for(300ms);
    send_remote({"a", "1", "b", "2", "c", "3", "d", "4", "e", "5"});
    ASSERT_TRUE(eventually([&] { return read_events(picky).size() >= 6 && read_events(slow).size() >= 3; }, 10s))
        << name(d) << "\n" << slurp(picky) << "\n" << slurp(slow);
    std::this_thread::sleep_for(1500ms);  // nothing more may come
    stop_daemon();
    seen[d] = {read_events(picky), read_events(slow)};
  }
  const auto& [sd_picky, sd_slow] = seen[Daemon::kSupervisord];
  const auto& [pd_picky, pd_slow] = seen[Daemon::kProctord];
  EXPECT_EQ(masked_all(pd_picky).dump(1), masked_all(sd_picky).dump(1));
  EXPECT_EQ(masked_all(pd_slow).dump(1), masked_all(sd_slow).dump(1));
  // What Supervisor does, spelled out: the failed event comes back first...
  ASSERT_GE(pd_picky.size(), 2u);
  EXPECT_EQ(pd_picky[0]["headers"]["serial"], pd_picky[1]["headers"]["serial"]);
  // ...and the slow pool kept the first event and the newest two of the rest.
  ASSERT_EQ(pd_slow.size(), 3u);
  EXPECT_EQ(pd_slow[0]["body"], "1");
  EXPECT_EQ(pd_slow[1]["body"], "4");
  EXPECT_EQ(pd_slow[2]["body"], "5");
  EXPECT_NE(slurp(dir_ / "d.log").find("pool slow event buffer overflowed, discarding event"), std::string::npos);
}

constexpr const char* kExitOnFatal = R"(
[eventlistener:watchdog]
command = {WATCHDOG}
events = PROCESS_STATE_FATAL
stderr_logfile = %(here)s/watchdog.err

[program:doomed]
command = /bin/false
startretries = 0
)";

TEST_F(EventsTest, ListenerEndsProctordWhenAProcessGoesFatal) {
  write_config(with(kExitOnFatal, "{WATCHDOG}", listener("exit_on_fatal.py", "")));
  spawn_daemon(Daemon::kProctord);  // it may be gone before supervisorctl could ask
  int daemon = pid_;
  EXPECT_EQ(wait_daemon_exit(15s), 0) << slurp(dir_ / "d.log");
  EXPECT_NE(slurp(dir_ / "watchdog.err").find("processname:doomed groupname:doomed from_state:BACKOFF"),
            std::string::npos);
  EXPECT_TRUE(survivors({}, daemon).empty());
  EXPECT_NE(slurp(dir_ / "d.log").find("received SIGTERM indicating exit request"), std::string::npos);
}

constexpr const char* kGroups = R"(
[eventlistener:rec]
command = {REC}
events = PROCESS_GROUP,TICK_5
startsecs = 0
)";

constexpr const char* kLate = R"(
[program:late]
command = /bin/sleep 30
)";

TEST_F(EventsTest, GroupsAddedAndRemovedByUpdateLikeSupervisord) {
  std::map<Daemon, std::vector<json>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    std::string base = with(kGroups, "{REC}", listener("record.py", out.string()));
    base = with(base, "TICK_5", "PROCESS_GROUP");  // ticks are checked on their own below
    write_config(base);
    start_daemon(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "PROCESS_GROUP_ADDED"); }, 5s)) << name(d);
    write_config(base + kLate);
    ASSERT_EQ(ctl("update").status, 0) << name(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "PROCESS_GROUP_ADDED", 2); }, 5s)) << name(d);
    write_config(base);
    ASSERT_EQ(ctl("update").status, 0) << name(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "PROCESS_GROUP_REMOVED"); }, 10s)) << name(d);
    stop_daemon();
    seen[d] = read_events(out);
  }
  json actual = masked_all(seen[Daemon::kProctord]);
  EXPECT_EQ(actual.dump(1), masked_all(seen[Daemon::kSupervisord]).dump(1));
  ASSERT_EQ(actual.size(), 3u);
  EXPECT_EQ(actual[1]["fields"]["groupname"], "late");
}

constexpr const char* kCapture = R"(
[eventlistener:rec]
command = {REC}
events = PROCESS_COMMUNICATION
startsecs = 0

[program:talker]
command = /bin/sh -c "sleep 1; printf 'before <!--XSUPERVISOR:BEGIN-->captured text<!--XSUPERVISOR:END--> after, and long enough to be flushed\n'; sleep 1"
startsecs = 0
autorestart = false
stdout_capture_maxbytes = 1KB
stdout_logfile = %(here)s/talker.log
)";

// Runs `config` (kCapture's shape) under both daemons; the events each
// listener recorded and talker.log must be the same.
std::pair<std::vector<json>, std::string> EventsTest::capture_under_both(const std::string& config) {
  std::map<Daemon, std::pair<std::vector<json>, std::string>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    write_config(with(config, "{REC}", listener("record.py", out.string())));
    start_daemon(d);
    EXPECT_TRUE(eventually([&] { return recorded(out, "PROCESS_COMMUNICATION_STDOUT"); }, 8s))
        << name(d) << "\n" << slurp(dir_ / "d.log");
    wait_state("talker", "EXITED");
    stop_daemon();
    seen[d] = {read_events(out), slurp(dir_ / "talker.log")};
    fs::remove(dir_ / "talker.log");
  }
  EXPECT_EQ(masked_all(seen[Daemon::kProctord].first).dump(1), masked_all(seen[Daemon::kSupervisord].first).dump(1));
  EXPECT_EQ(seen[Daemon::kProctord].second, seen[Daemon::kSupervisord].second);
  return seen[Daemon::kProctord];
}

TEST_F(EventsTest, CaptureModeLikeSupervisord) {
  auto [events, log] = capture_under_both(kCapture);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["body"], "captured text");
  EXPECT_EQ(log.find("captured text"), std::string::npos);
}

// With strip_ansi, Supervisor finds the tokens in the raw bytes and strips
// each piece afterwards: escapes leave the event and the log, and a token
// with an escape inside it is logged, not obeyed.
TEST_F(EventsTest, CaptureModeWithStripAnsiLikeSupervisord) {
  std::string config = std::string(kCapture) + "\n[supervisord]\nstrip_ansi = true\n";
  config = with(config, "'before <!--XSUPERVISOR:BEGIN-->captured text<!--XSUPERVISOR:END--> after",
                "'\\033[1mbold\\033[0m <!--XSUPERVISOR:BEGIN-->\\033[31mred\\033[0m<!--XSUPERVISOR:END-->"
                " <!--XSUPERVISOR:\\033[0mBEGIN--> is no token");
  auto [events, log] = capture_under_both(config);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["body"], "red");
  EXPECT_EQ(log, "bold  <!--XSUPERVISOR:BEGIN--> is no token, and long enough to be flushed\n");
}

constexpr const char* kShutdown = R"(
[eventlistener:rec]
command = {REC}
events = SUPERVISOR_STATE_CHANGE
startsecs = 0

[program:sleeper]
command = /bin/sh -c "trap 'sleep 1; exit 0' TERM; sleep 30 & wait"
startsecs = 0
)";

TEST_F(EventsTest, ListenersHearTheShutdownLikeSupervisord) {
  std::map<Daemon, std::vector<json>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    write_config(with(kShutdown, "{REC}", listener("record.py", out.string())));
    start_daemon(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "SUPERVISOR_STATE_CHANGE_RUNNING"); }, 5s)) << name(d);
    wait_state("sleeper", "RUNNING");
    ctl("shutdown");  // sleeper takes a second to stop: the listener, stopped last, has time
    EXPECT_EQ(wait_daemon_exit(15s), 0) << name(d);
    stop_daemon();
    seen[d] = read_events(out);
  }
  json actual = masked_all(seen[Daemon::kProctord]);
  EXPECT_EQ(actual.dump(1), masked_all(seen[Daemon::kSupervisord]).dump(1));
  ASSERT_EQ(actual.size(), 2u);
  EXPECT_EQ(actual[1]["headers"]["eventname"], "SUPERVISOR_STATE_CHANGE_STOPPING");
}

constexpr const char* kRestart = R"(
[eventlistener:rec]
command = {REC}
events = SUPERVISOR_STATE_CHANGE
startsecs = 0
)";

TEST_F(EventsTest, SerialsGoOnAcrossARestartLikeSupervisord) {
  std::map<Daemon, std::vector<json>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    write_config(with(kRestart, "{REC}", listener("record.py", out.string())));
    start_daemon(d);
    ASSERT_TRUE(eventually([&] { return recorded(out, "SUPERVISOR_STATE_CHANGE_RUNNING"); }, 5s)) << name(d);
    ctl("reload");
    ASSERT_TRUE(eventually([&] { return recorded(out, "SUPERVISOR_STATE_CHANGE_RUNNING", 2); }, 10s))
        << name(d) << "\n" << slurp(out);
    stop_daemon();
    seen[d] = read_events(out);
  }
  json actual = masked_all(seen[Daemon::kProctord]);
  EXPECT_EQ(actual.dump(1), masked_all(seen[Daemon::kSupervisord]).dump(1));
  // STOPPING took serial 1 but its pool was gone before it could be sent;
  // after the restart the count goes on, while the new pool's starts at 0.
  ASSERT_EQ(actual.size(), 2u) << actual.dump(1);
  EXPECT_EQ(actual[1]["headers"]["eventname"], "SUPERVISOR_STATE_CHANGE_RUNNING");
  EXPECT_EQ(actual[1]["headers"]["serial"], "2");
  EXPECT_EQ(actual[1]["headers"]["poolserial"], "0");
}

constexpr const char* kDying = R"(
[eventlistener:mortal]
command = {MORTAL}
events = REMOTE_COMMUNICATION
startsecs = 0
autorestart = true
)";

TEST_F(EventsTest, EventOfAListenerThatDiesBusyIsResentLikeSupervisord) {
  std::map<Daemon, std::vector<json>> seen;
  for (Daemon d : {Daemon::kSupervisord, Daemon::kProctord}) {
    fs::path out = dir_ / (std::string(name(d)) + ".jsonl");
    write_config(with(kDying, "{MORTAL}", listener("record.py", out.string() + " --exit-first")));
    start_daemon(d);
    ASSERT_TRUE(eventually([&] { return ctl("status").out.find("RUNNING") != std::string::npos; }, 5s));
    std::this_thread::sleep_for(300ms);
    send_remote({"first", "1", "second", "2"});
    ASSERT_TRUE(eventually([&] { return read_events(out).size() >= 3; }, 10s)) << name(d) << "\n" << slurp(out);
    std::this_thread::sleep_for(500ms);
    stop_daemon();
    seen[d] = read_events(out);
  }
  json actual = masked_all(seen[Daemon::kProctord]);
  EXPECT_EQ(actual.dump(1), masked_all(seen[Daemon::kSupervisord]).dump(1));
  ASSERT_EQ(actual.size(), 3u);
  EXPECT_EQ(actual[0], actual[1]);  // the same event, serials and all, after the restart
  EXPECT_EQ(actual[2]["body"], "2");
}

TEST_F(EventsTest, TickFiveComesOnTheFiveSecondBoundary) {
  fs::path out = dir_ / "ticks.jsonl";
  write_config(with(kGroups, "{REC}", listener("record.py", out.string())));
  start_daemon(Daemon::kProctord);
  ASSERT_TRUE(eventually([&] { return recorded(out, "TICK_5"); }, 8s)) << slurp(out);
  for (const auto& e : read_events(out))
    if (e["headers"]["eventname"] == "TICK_5") {
      long when = std::stol(e["fields"]["when"].get<std::string>());
      EXPECT_EQ(when % 5, 0);
      EXPECT_LE(std::abs(when - static_cast<long>(::time(nullptr))), 6);
    }
}

TEST_F(EventsTest, ProctordRefusesAResultHandlerItCannotRun) {
  write_config(R"(
[eventlistener:custom]
command = /bin/cat
events = TICK_60
result_handler = supervisor.supervisorctl:DefaultControllerPlugin
)");
  Result r = sh(std::string(PROCTORD_BIN) + " -c " + conf().string() + " -n", 10);
  EXPECT_EQ(r.status, 2) << r.out;
  // The section header's line in the file write_config wrote.
  std::string text = slurp(conf());
  auto line = 1 + std::count(text.begin(), text.begin() + text.find("[eventlistener:custom]"), '\n');
  EXPECT_NE(r.out.find(conf().string() + ":" + std::to_string(line) + ": [eventlistener:custom] result_handler="),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("supervisor.dispatchers:default_handler"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace proctord_test
