// diff_plans on hand-built plans: Supervisor's reread rules
// (supervisord.diff_to_active, Config.__eq__) and the order of update's
// actions (supervisorctl do_update, rpcinterface.stopProcessGroup,
// ProcessGroup.transition).

#include "compiler/plan/diff.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using nlohmann::json;
using proctor::plan::diff_plans;
using proctor::plan::PlanDelta;
using proctor::plan::reread_text;
using proctor::plan::UpdateAction;

namespace {

json proc(const std::string& name, std::int64_t priority = 999, bool autostart = true) {
  return {{"name", name},
          {"section", "program:" + name},
          {"command", "/bin/sleep 600"},
          {"priority", priority},
          {"autostart", autostart},
          {"uid", nullptr},
          {"user", nullptr},
          {"environment", json::object()},
          {"stdout_logfile", "AUTO"},
          {"stderr_logfile", "AUTO"},
          {"stopsignal", "TERM"},
          {"stopsignal_number", 15}};
}

json group(const std::string& name, std::vector<json> processes, std::int64_t priority = 999,
           const std::string& type = "process") {
  json g = {{"name", name}, {"type", type}, {"priority", priority}, {"processes", processes}};
  if (type == "eventlistener") {
    g["buffer_size"] = 10;
    g["events"] = {"PROCESS_STATE"};
    g["result_handler"] = "supervisor.dispatchers:default_handler";
  }
  return g;
}

json plan(std::vector<json> groups) {
  return {{"groups", groups},
          {"supervisord", {{"logfile", "/tmp/d.log"}, {"environment", json::object()}}},
          {"http_servers", json::array()},
          {"rpcinterfaces", json::array()},
          {"serverurl", "unix:///tmp/s.sock"},
          {"dependencies", json::array()}};
}

using Names = std::vector<std::string>;

std::vector<std::string> field_paths(const PlanDelta& d, const std::string& group) {
  for (const auto& g : d.details)
    if (g.name == group) {
      std::vector<std::string> out;
      for (const auto& f : g.fields) out.push_back(f.path);
      return out;
    }
  return {};
}

std::string actions_text(const PlanDelta& d) {
  static const char* const kinds[] = {"stop", "remove", "add", "start"};
  std::string out;
  for (const auto& a : d.actions) {
    out += kinds[static_cast<int>(a.kind)] + std::string(" ") + a.group;
    for (const auto& p : a.processes) out += " " + p;
    out += "\n";
  }
  return out;
}

TEST(DiffPlans, IdenticalPlansAreEmpty) {
  json p = plan({group("web", {proc("web")})});
  PlanDelta d = diff_plans(p, p);
  EXPECT_TRUE(d.empty());
  EXPECT_EQ(reread_text(d), "No config updates to processes\n");
}

// create_autochildlogs replaces the running side's AUTO with a file name,
// so an old AUTO against a new path is a change...
TEST(DiffPlans, AutoToPathIsAChange) {
  json a = plan({group("web", {proc("web")})});
  json b = a;
  b["groups"][0]["processes"][0]["stdout_logfile"] = "/var/log/web.log";
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"web"});
  EXPECT_EQ(field_paths(d, "web"), Names{"processes/web/stdout_logfile"});
  EXPECT_EQ(reread_text(d), "web: changed\n");
}

// ...while a new AUTO is Automatic, which ProcessConfig.__eq__ skips.
TEST(DiffPlans, PathToAutoIsNoChange) {
  json a = plan({group("web", {proc("web")})});
  a["groups"][0]["processes"][0]["stdout_logfile"] = "/var/log/web.log";
  a["groups"][0]["processes"][0]["stderr_logfile"] = "/var/log/web.err";
  json b = plan({group("web", {proc("web")})});
  PlanDelta d = diff_plans(a, b);
  EXPECT_TRUE(d.changed.empty());
  EXPECT_TRUE(d.empty());
}

TEST(DiffPlans, DuplicateGroupNamesActiveSideKeepsTheFirst) {
  // supervisord adds the first "twin" in start order; the second is refused.
  json listener = group("twin", {proc("twin", 999, false)}, -1, "eventlistener");
  json program = group("twin", {proc("inner")});
  json p = plan({listener, program});
  // The new side lists both; the program group differs from the active
  // listener, so reread says "changed" even for an identical file.
  PlanDelta same = diff_plans(p, p);
  EXPECT_EQ(same.changed, Names{"twin"});
  EXPECT_EQ(reread_text(same), "twin: changed\n");
  EXPECT_EQ(actions_text(same), "stop twin twin\nremove twin\nadd twin\n");
  ASSERT_EQ(same.details.size(), 1u);
  Names paths = field_paths(same, "twin");
  ASSERT_FALSE(paths.empty());
  for (const auto& p : paths) EXPECT_EQ(p.rfind("duplicate[2]/", 0), 0u) << p;

  // Both duplicates differing: listed twice, as diff_to_active does;
  // supervisorctl prints the name once.
  json b = p;
  b["groups"][0]["buffer_size"] = 20;
  PlanDelta twice = diff_plans(p, b);
  EXPECT_EQ(twice.changed, (Names{"twin", "twin"}));
  EXPECT_EQ(reread_text(twice), "twin: changed\n");
  ASSERT_EQ(twice.details.size(), 1u);  // one entry per name, both duplicates' fields
  EXPECT_EQ(twice.details[0].fields.front().path, "buffer_size");
  EXPECT_EQ(twice.details[0].fields.back().path.rfind("duplicate[2]/", 0), 0u);
  // do_update walks the list: the second round stops the group it just added.
  EXPECT_EQ(actions_text(twice),
            "stop twin twin\nremove twin\nadd twin\nstop twin twin\nremove twin\nadd twin\n");
}

TEST(DiffPlans, DuplicateNewGroupsAreAllListedAndUpdateStopsAtTheSecondAdd) {
  json a = plan({group("web", {proc("web")})});
  json b = plan({group("web", {proc("web")}), group("extra", {proc("x", 999, false)}),
                 group("extra", {proc("y")}), group("later", {proc("later")})});
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.added, (Names{"extra", "extra", "later"}));
  EXPECT_EQ(reread_text(d), "extra: available\nlater: available\n");
  // addProcessGroup takes the first config of that name; the second add of
  // the same name faults (ALREADY_ADDED), which ends supervisorctl's update.
  EXPECT_EQ(actions_text(d), "add extra\n");
}

TEST(DiffPlans, ProcessOrderIsCompared) {
  // ProcessGroupConfig.__eq__ compares process_configs as lists.
  json a = plan({group("g", {proc("a"), proc("b")})});
  json b = plan({group("g", {proc("b"), proc("a")})});
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"g"});
  Names paths = field_paths(d, "g");
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), "processes");
}

TEST(DiffPlans, NumprocsChangeListsProcesses) {
  json a = plan({group("web", {proc("web_0"), proc("web_1")})});
  json b = plan({group("web", {proc("web_0"), proc("web_1"), proc("web_2")})});
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"web"});
  ASSERT_FALSE(d.details.empty());
  EXPECT_EQ(d.details[0].fields.front().path, "processes");
  EXPECT_EQ(d.details[0].fields.front().after, json({"web_0", "web_1", "web_2"}));
}

TEST(DiffPlans, EventsAreASet) {
  json a = plan({group("listen", {proc("listen")}, -1, "eventlistener")});
  a["groups"][0]["events"] = {"PROCESS_STATE", "TICK_60"};
  json b = a;
  b["groups"][0]["events"] = {"TICK_60", "PROCESS_STATE"};
  EXPECT_TRUE(diff_plans(a, b).empty());
  b["groups"][0]["events"] = {"TICK_60"};
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"listen"});
  EXPECT_EQ(field_paths(d, "listen"), Names{"events"});
}

TEST(DiffPlans, GroupTypeMatters) {
  json a = plan({group("x", {proc("x")})});
  json b = plan({group("x", {proc("x")}, 999, "eventlistener")});
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"x"});
  EXPECT_EQ(field_paths(d, "x").front(), "type");
}

TEST(DiffPlans, UidIsComparedNotUserSpelling) {
  json a = plan({group("web", {proc("web")})});
  a["groups"][0]["processes"][0]["user"] = "root";
  a["groups"][0]["processes"][0]["uid"] = 0;
  json b = a;
  b["groups"][0]["processes"][0]["user"] = "0";
  EXPECT_TRUE(diff_plans(a, b).empty());
  b["groups"][0]["processes"][0]["uid"] = 1000;
  EXPECT_EQ(field_paths(diff_plans(a, b), "web"), Names{"processes/web/uid"});
}

TEST(DiffPlans, StopsignalReportedByName) {
  json a = plan({group("web", {proc("web")})});
  json b = a;
  b["groups"][0]["processes"][0]["stopsignal"] = "INT";
  b["groups"][0]["processes"][0]["stopsignal_number"] = 2;
  PlanDelta d = diff_plans(a, b);
  ASSERT_EQ(d.details.size(), 1u);
  ASSERT_EQ(d.details[0].fields.size(), 1u);
  EXPECT_EQ(d.details[0].fields[0].path, "processes/web/stopsignal");
  EXPECT_EQ(d.details[0].fields[0].before, "TERM");
  EXPECT_EQ(d.details[0].fields[0].after, "INT");
}

TEST(DiffPlans, VerdictListsKeepSupervisorsOrderAndTextIsSorted) {
  json a = plan({group("zz_old", {proc("zz_old")}, 1), group("keep", {proc("keep")}),
                 group("aa_old", {proc("aa_old")}, 5)});
  json b = plan({group("keep", {proc("keep")}), group("new_b", {proc("new_b")}),
                 group("new_a", {proc("new_a")})});
  b["groups"][0]["processes"][0]["command"] = "/bin/true";
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.added, (Names{"new_b", "new_a"}));
  EXPECT_EQ(d.changed, Names{"keep"});
  EXPECT_EQ(d.removed, (Names{"zz_old", "aa_old"}));  // the running side's start order
  EXPECT_EQ(reread_text(d),
            "aa_old: disappeared\nkeep: changed\nnew_a: available\nnew_b: available\n"
            "zz_old: disappeared\n");
}

// do_update: removed groups (stop, remove), then changed (stop, remove,
// add), then added (add); autostart processes start once their group is in.
TEST(DiffPlans, UpdateActionOrder) {
  json a = plan({group("gone", {proc("gone")}), group("edit", {proc("edit")})});
  json b = plan({group("edit", {proc("edit")}), group("fresh", {proc("fresh")})});
  b["groups"][0]["processes"][0]["command"] = "/bin/true";
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(actions_text(d),
            "stop gone gone\nremove gone\n"
            "stop edit edit\nremove edit\nadd edit\nstart edit edit\n"
            "add fresh\nstart fresh fresh\n");
}

TEST(DiffPlans, StopAndStartOrderWithinAGroup) {
  // A [group:g] programs=zeta,alpha,mid gives process_configs in that
  // order. stopProcessGroup sorts Subprocesses by priority alone (stable):
  // zeta(5), mid(5), alpha(10). The added group's transition() spawns in
  // process order, autostart ones only. Checked against supervisord 4.2.5's
  // debug log ("killing ... with signal", "spawned: ...").
  json a = plan({group("g", {proc("zeta", 5), proc("alpha", 10), proc("mid", 5), proc("off", 1, false)})});
  json b = a;
  b["groups"][0]["priority"] = 7;
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(actions_text(d),
            "stop g off zeta mid alpha\nremove g\nadd g\nstart g zeta alpha mid\n");
}

TEST(DiffPlans, OutsideGroupsNeedsReload) {
  json a = plan({group("web", {proc("web")})});
  json b = a;
  b["supervisord"]["logfile"] = "/tmp/other.log";
  b["serverurl"] = "unix:///tmp/other.sock";
  PlanDelta d = diff_plans(a, b);
  EXPECT_TRUE(d.changed.empty());
  EXPECT_EQ(reread_text(d), "No config updates to processes\n");
  EXPECT_FALSE(d.empty());
  ASSERT_EQ(d.needs_reload.size(), 2u);
  EXPECT_EQ(d.needs_reload[0].path, "supervisord/logfile");
  EXPECT_EQ(d.needs_reload[1].path, "serverurl");
  EXPECT_TRUE(d.actions.empty());
}

TEST(DiffPlans, SupervisordEnvironmentReachesGroupsNotReload) {
  json a = plan({group("web", {proc("web")})});
  a["supervisord"]["environment"] = {{"G", "1"}};
  a["groups"][0]["processes"][0]["environment"] = {{"G", "1"}};
  json b = a;
  b["supervisord"]["environment"] = {{"G", "2"}};
  b["groups"][0]["processes"][0]["environment"] = {{"G", "2"}};
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(d.changed, Names{"web"});
  EXPECT_TRUE(d.needs_reload.empty());
}

TEST(DiffPlans, DependenciesAreUnmanaged) {
  json a = plan({group("db", {proc("db")}), group("web", {proc("web")})});
  json b = a;
  b["dependencies"] = {{{"from", "web"}, {"to", "db"}}};
  PlanDelta d = diff_plans(a, b);
  EXPECT_EQ(reread_text(d), "No config updates to processes\n");
  ASSERT_EQ(d.unmanaged.size(), 1u);
  EXPECT_EQ(d.unmanaged[0].path, "dependencies");
  EXPECT_FALSE(d.empty());
}

}  // namespace
