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
  plan::PlanDelta d = s.reread(plan::lazy_view(next));
  EXPECT_EQ(d.added, (std::vector<std::string>{"new"}));
  EXPECT_EQ(d.removed, (std::vector<std::string>{"old"}));
  EXPECT_TRUE(d.changed.empty());
  s.adopt_plan(plan::lazy_view(next));
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

// supervisord sorts groups by priority alone, stably: a group added later
// comes after the groups of equal priority already there, whatever its name.
TEST(Supervisor, GroupAddedLaterGoesAfterItsEqualsAsInSupervisord) {
  Supervisor s(plan({group("m", 5, {process("m", "program:m")}), group("z", 5, {process("z", "program:z")})}));
  json next = plan({group("a", 5, {process("a", "program:a")}), group("m", 5, {process("m", "program:m")}),
                    group("z", 5, {process("z", "program:z")})});
  s.adopt_plan(plan::lazy_view(next));
  ASSERT_EQ(s.add_group("a"), Supervisor::AddResult::kAdded);
  std::vector<std::string> order;
  for (const auto& g : s.groups()) order.push_back(g->name);
  EXPECT_EQ(order, (std::vector<std::string>{"m", "z", "a"}));
}

std::vector<std::string> signalled(const TaggedEffects& effects) {
  std::vector<std::string> names;
  for (const auto& te : effects)
    if (te.effect.kind == Effect::Kind::kSignal) names.push_back(te.process->spec().name);
  return names;
}

// update's stop, remove, add of `db`: web (depends on db) and api (depends on
// web) are stopped once db is back, then started in dependency order, each
// only when what it depends on is RUNNING. `other` is left alone.
TEST(Supervisor, UpdateRestartsDependentsAfterTheirDependencyInOrder) {
  json api = group("api", 1, {process("api", "program:api")}, {"web"});
  json web = group("web", 2, {process("web", "program:web")}, {"db"});
  json other = group("other", 3, {process("other", "program:other")});
  Supervisor s(plan({api, web, other, group("db", 4, {process("db", "program:db")})}));
  int pid = 100;
  for (double t = 1.0; t < 12.0; t += 0.5) run_spawns(s, s.tick(t), t, pid);
  for (const char* name : {"db", "web", "api", "other"})
    ASSERT_EQ(s.process(name)->state(), ProcessState::kRunning) << name;
  const int other_pid = s.process("other")->pid();

  json changed_db = group("db", 4, {process("db", "program:db")});
  changed_db["processes"][0]["command"] = "/bin/sleep 200";
  json next = plan({api, web, other, changed_db});
  EXPECT_EQ(s.reread(plan::lazy_view(next)).changed, (std::vector<std::string>{"db"}));
  s.adopt_plan(plan::lazy_view(next));
  s.stop(*s.process("db"), 20.0);
  s.process("db")->exited(20.1, -1, "terminated by SIGTERM");
  ASSERT_EQ(s.remove_group("db"), Supervisor::RemoveResult::kRemoved);
  ASSERT_EQ(s.add_group("db"), Supervisor::AddResult::kAdded);

  TaggedEffects e = s.tick(20.2);
  EXPECT_EQ(signalled(e), (std::vector<std::string>{"api", "web"}));  // priority order
  EXPECT_EQ(run_spawns(s, e, 20.2, pid), (std::vector<std::string>{"db"}));
  s.process("web")->exited(20.3, -1, "terminated by SIGTERM");
  s.process("api")->exited(20.3, -1, "terminated by SIGTERM");
  EXPECT_TRUE(run_spawns(s, s.tick(20.4), 20.4, pid).empty());  // db still STARTING
  s.tick(21.3);                                                  // db RUNNING
  EXPECT_EQ(run_spawns(s, s.tick(21.4), 21.4, pid), (std::vector<std::string>{"web"}));
  EXPECT_TRUE(run_spawns(s, s.tick(21.5), 21.5, pid).empty());  // web still STARTING
  s.tick(22.5);                                                  // web RUNNING
  EXPECT_EQ(run_spawns(s, s.tick(22.6), 22.6, pid), (std::vector<std::string>{"api"}));
  s.tick(23.7);
  for (const char* name : {"db", "web", "api", "other"})
    EXPECT_EQ(s.process(name)->state(), ProcessState::kRunning) << name;
  EXPECT_EQ(s.process("other")->pid(), other_pid);
  EXPECT_TRUE(run_spawns(s, s.tick(30.0), 30.0, pid).empty());  // nothing restarts twice
}

// A user's stop of a dependent waiting to restart is final.
TEST(Supervisor, UserStopCancelsADependentRestart) {
  Supervisor s(plan({group("web", 1, {process("web", "program:web")}, {"db"}),
                     group("db", 2, {process("db", "program:db")})}));
  int pid = 100;
  for (double t = 1.0; t < 6.0; t += 0.5) run_spawns(s, s.tick(t), t, pid);
  ASSERT_EQ(s.process("web")->state(), ProcessState::kRunning);
  s.stop(*s.process("db"), 6.0);
  s.process("db")->exited(6.1, -1, "terminated by SIGTERM");
  ASSERT_EQ(s.remove_group("db"), Supervisor::RemoveResult::kRemoved);
  ASSERT_EQ(s.add_group("db"), Supervisor::AddResult::kAdded);
  TaggedEffects e = s.tick(6.2);
  EXPECT_EQ(signalled(e), (std::vector<std::string>{"web"}));
  EXPECT_EQ(run_spawns(s, e, 6.2, pid), (std::vector<std::string>{"db"}));
  s.stop(*s.process("web"), 6.3);
  s.process("web")->exited(6.4, -1, "terminated by SIGTERM");
  for (double t = 7.0; t < 12.0; t += 1.0) run_spawns(s, s.tick(t), t, pid);
  EXPECT_EQ(s.process("db")->state(), ProcessState::kRunning);
  EXPECT_EQ(s.process("web")->state(), ProcessState::kStopped);
}

// proctorctl update --minimal, numprocs 2 -> 3: only the new process starts.
TEST(Supervisor, InPlaceUpdateAddsAProcessWithoutTouchingTheOthers) {
  json two = group("pool", 1, {process("w_0", "program:w"), process("w_1", "program:w")});
  Supervisor s(plan({two}));
  int pid = 100;
  for (double t = 1.0; t < 4.0; t += 0.5) run_spawns(s, s.tick(t), t, pid);
  const int w0 = s.process("pool:w_0")->pid(), w1 = s.process("pool:w_1")->pid();
  json three = group("pool", 1, {process("w_0", "program:w"), process("w_1", "program:w"),
                                 process("w_2", "program:w")});
  s.adopt_plan(plan::lazy_view(plan({three})));
  ASSERT_EQ(s.update_in_place("pool"), Supervisor::InPlaceResult::kUpdated);
  EXPECT_FALSE(s.stopping_for_update("pool"));  // nothing to stop: update need not wait
  TaggedEffects e = s.tick(5.0);
  EXPECT_TRUE(signalled(e).empty());
  EXPECT_EQ(run_spawns(s, e, 5.0, pid), (std::vector<std::string>{"w_2"}));
  EXPECT_EQ(s.process("pool:w_0")->pid(), w0);
  EXPECT_EQ(s.process("pool:w_1")->pid(), w1);
  EXPECT_TRUE(s.reread(plan::lazy_view(plan({three}))).changed.empty());  // the running group is the new one
}

// numprocs 3 -> 2 and a changed command on w_0: w_2 is stopped and removed,
// w_0 restarts with the new command, w_1 keeps running.
TEST(Supervisor, InPlaceUpdateRestartsChangedAndRemovesGoneProcesses) {
  Supervisor s(plan({group("pool", 1, {process("w_0", "program:w"), process("w_1", "program:w"),
                                       process("w_2", "program:w")})}));
  int pid = 100;
  for (double t = 1.0; t < 4.0; t += 0.5) run_spawns(s, s.tick(t), t, pid);
  const int w1 = s.process("pool:w_1")->pid();
  json w0 = process("w_0", "program:w");
  w0["command"] = "/bin/sleep 200";
  s.adopt_plan(plan::lazy_view(plan({group("pool", 1, {w0, process("w_1", "program:w")})})));
  ASSERT_EQ(s.update_in_place("pool"), Supervisor::InPlaceResult::kUpdated);
  EXPECT_TRUE(s.stopping_for_update("pool"));
  EXPECT_EQ(signalled(s.tick(5.0)), (std::vector<std::string>{"w_0", "w_2"}));
  s.process("pool:w_0")->exited(5.1, -1, "terminated by SIGTERM");
  EXPECT_TRUE(s.stopping_for_update("pool"));  // w_2 has not stopped yet
  s.process("pool:w_2")->exited(5.1, -1, "terminated by SIGTERM");
  TaggedEffects e = s.tick(5.2);
  EXPECT_FALSE(s.stopping_for_update("pool"));
  EXPECT_EQ(run_spawns(s, e, 5.2, pid), (std::vector<std::string>{"w_0"}));
  EXPECT_EQ(s.process("pool:w_0")->spec().command, "/bin/sleep 200");
  EXPECT_EQ(s.process("pool:w_2"), nullptr);
  EXPECT_EQ(s.process("pool:w_1")->pid(), w1);
  EXPECT_EQ(s.group("pool")->processes.size(), 2u);
}

// A program restarted in place restarts its dependents after it; a program
// only added (numprocs up) does not.
TEST(Supervisor, InPlaceRestartRestartsDependentsAfterIt) {
  json db = group("db", 1, {process("db_0", "program:db")});
  json web = group("web", 2, {process("web", "program:web")}, {"db"});
  Supervisor s(plan({db, web}));
  int pid = 100;
  for (double t = 1.0; t < 6.0; t += 0.5) run_spawns(s, s.tick(t), t, pid);
  ASSERT_EQ(s.process("web")->state(), ProcessState::kRunning);
  const int web_pid = s.process("web")->pid();

  json two = group("db", 1, {process("db_0", "program:db"), process("db_1", "program:db")});
  s.adopt_plan(plan::lazy_view(plan({two, web})));
  ASSERT_EQ(s.update_in_place("db"), Supervisor::InPlaceResult::kUpdated);
  TaggedEffects e = s.tick(7.0);
  EXPECT_TRUE(signalled(e).empty());
  EXPECT_EQ(run_spawns(s, e, 7.0, pid), (std::vector<std::string>{"db_1"}));
  EXPECT_EQ(s.process("web")->pid(), web_pid);

  json db_0 = process("db_0", "program:db"), db_1 = process("db_1", "program:db");
  db_0["command"] = db_1["command"] = "/bin/sleep 300";
  s.adopt_plan(plan::lazy_view(plan({group("db", 1, {db_0, db_1}), web})));
  ASSERT_EQ(s.update_in_place("db"), Supervisor::InPlaceResult::kUpdated);
  EXPECT_EQ(signalled(s.tick(9.0)), (std::vector<std::string>{"db_0", "db_1", "web"}));
  for (const char* name : {"db:db_0", "db:db_1", "web"}) s.process(name)->exited(9.1, -1, "terminated by SIGTERM");
  EXPECT_EQ(run_spawns(s, s.tick(9.2), 9.2, pid), (std::vector<std::string>{"db_0", "db_1"}));
  EXPECT_TRUE(run_spawns(s, s.tick(9.7), 9.7, pid).empty());  // db still STARTING
  // db's processes turn RUNNING in this turn (db goes first), then web starts.
  EXPECT_EQ(run_spawns(s, s.tick(10.3), 10.3, pid), (std::vector<std::string>{"web"}));
  EXPECT_EQ(s.process("db:db_0")->state(), ProcessState::kRunning);
}

// A group-level setting (here its priority) needs the whole group replaced.
TEST(Supervisor, InPlaceUpdateRefusesGroupLevelChanges) {
  Supervisor s(plan({group("pool", 1, {process("w_0", "program:w")})}));
  s.adopt_plan(plan::lazy_view(plan({group("pool", 2, {process("w_0", "program:w")})})));
  EXPECT_EQ(s.update_in_place("pool"), Supervisor::InPlaceResult::kGroupChanged);
  EXPECT_EQ(s.update_in_place("nope"), Supervisor::InPlaceResult::kBadName);
}

}  // namespace
}  // namespace proctor::runtime
