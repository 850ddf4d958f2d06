// The daemon's pure core: start order, depends_on gating, ordered shutdown,
// and reread/add/remove, driven by a fake clock and a fake spawner that
// hands out pids.

#include <gtest/gtest.h>

#include "runtime/core/supervisor.h"

namespace proctor::runtime {
namespace {

using nlohmann::json;

json process(const std::string& name, const std::string& section, int priority = 999) {
  return {{"name", name}, {"section", section}, {"command", "/bin/sleep 100"}, {"directory", nullptr},
          {"umask", nullptr}, {"uid", nullptr}, {"priority", priority}, {"autostart", true},
          {"autorestart", "unexpected"}, {"startsecs", 1}, {"startretries", 3},
          {"stopsignal_number", 15}, {"stopwaitsecs", 10}, {"stopasgroup", false},
          {"killasgroup", false}, {"exitcodes", {0}}, {"redirect_stderr", false},
          {"stdout_logfile", "AUTO"}, {"stderr_logfile", "AUTO"}, {"environment", json::object()},
          {"serverurl", nullptr}};
}

json group(const std::string& name, int priority, std::vector<json> procs,
           std::vector<std::string> deps = {}) {
  return {{"name", name}, {"priority", priority}, {"type", "process"}, {"processes", procs},
          {"depends_on", deps}};
}

json plan(std::vector<json> groups) {
  return {{"groups", groups}, {"supervisord", json::object()}, {"http_servers", json::array()},
          {"rpcinterfaces", json::array()}, {"serverurl", nullptr}};
}

// Carries out spawn effects with increasing pids, like a spawner that
// always succeeds; returns the names spawned in order.
std::vector<std::string> run_spawns(Supervisor& s, const TaggedEffects& effects, double now, int& next_pid) {
  std::vector<std::string> spawned;
  for (const auto& te : effects)
    if (te.effect.kind == Effect::Kind::kSpawn) {
      te.process->spawned(now, next_pid++);
      spawned.push_back(te.process->spec().name);
    }
  return spawned;
}

TEST(Supervisor, StartsGroupsInPriorityOrderAndDedupesNames) {
  Supervisor s(plan({group("b", 20, {process("b", "program:b")}), group("a", 10, {process("a", "program:a")}),
                     group("a", 5, {process("a2", "program:a")})}));
  ASSERT_EQ(s.groups().size(), 2u);  // a second group named "a" is not added
  int pid = 100;
  auto spawned = run_spawns(s, s.tick(1.0), 1.0, pid);
  EXPECT_EQ(spawned, (std::vector<std::string>{"a", "b"}));
}

TEST(Supervisor, DependentWaitsUntilDependencyRunning) {
  Supervisor s(plan({group("db", 10, {process("db", "program:db")}),
                     group("web", 5, {process("web", "program:web")}, {"db"})}));
  int pid = 100;
  EXPECT_EQ(run_spawns(s, s.tick(1.0), 1.0, pid), (std::vector<std::string>{"db"}));
  EXPECT_TRUE(run_spawns(s, s.tick(1.5), 1.5, pid).empty());  // db still STARTING
  s.tick(2.1);                                                  // db RUNNING now
  EXPECT_EQ(run_spawns(s, s.tick(2.2), 2.2, pid), (std::vector<std::string>{"web"}));
}

TEST(Supervisor, ShutdownStopsLastGroupFirstAndWaitsForIt) {
  Supervisor s(plan({group("first", 1, {process("first", "program:first")}),
                     group("last", 2, {process("last", "program:last")})}));
  int pid = 100;
  run_spawns(s, s.tick(1.0), 1.0, pid);
  s.tick(3.0);
  s.set_mood(Mood::kShutdown);
  TaggedEffects e = s.tick(4.0);
  std::vector<std::string> signalled;
  for (const auto& te : e)
    if (te.effect.kind == Effect::Kind::kSignal) signalled.push_back(te.process->spec().name);
  EXPECT_EQ(signalled, (std::vector<std::string>{"last"}));
  s.process("last")->exited(4.5, -1, "terminated by SIGTERM");
  signalled.clear();
  for (const auto& te : s.tick(5.0))
    if (te.effect.kind == Effect::Kind::kSignal) signalled.push_back(te.process->spec().name);
  EXPECT_EQ(signalled, (std::vector<std::string>{"first"}));
  EXPECT_FALSE(s.finished_stopping());
  s.process("first")->exited(5.5, -1, "terminated by SIGTERM");
  s.tick(6.0);
  EXPECT_TRUE(s.finished_stopping());
}

TEST(Supervisor, RereadAddRemove) {
  Supervisor s(plan({group("keep", 1, {process("keep", "program:keep")}),
                     group("old", 2, {process("old", "program:old")})}));
  json next = plan({group("keep", 1, {process("keep", "program:keep")}),
                    group("new", 3, {process("new", "program:new")})});
  plan::PlanDelta d = s.reread(next);
  EXPECT_EQ(d.added, (std::vector<std::string>{"new"}));
  EXPECT_EQ(d.removed, (std::vector<std::string>{"old"}));
  EXPECT_TRUE(d.changed.empty());
  s.adopt_plan(next);
  EXPECT_EQ(s.add_group("new"), Supervisor::AddResult::kAdded);
  EXPECT_EQ(s.add_group("new"), Supervisor::AddResult::kAlreadyAdded);
  EXPECT_EQ(s.add_group("nope"), Supervisor::AddResult::kBadName);
  int pid = 1;
  run_spawns(s, s.tick(1.0), 1.0, pid);
  EXPECT_EQ(s.remove_group("old"), Supervisor::RemoveResult::kStillRunning);
  s.stop(*s.process("old"), 2.0);
  s.process("old")->exited(2.1, -1, "terminated by SIGTERM");
  EXPECT_EQ(s.remove_group("old"), Supervisor::RemoveResult::kRemoved);
  EXPECT_EQ(s.process("old"), nullptr);
  EXPECT_NE(s.process("keep:keep"), nullptr);
}

}  // namespace
}  // namespace proctor::runtime
