// LazyPlan: the plan to_json gives, with group objects built only when the
// diff needs them.

#include "compiler/plan/lazy_plan.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "compiler/model/compile.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_json.h"
#include "tests/support/memory_host.h"

namespace proctor::plan {
namespace {

using nlohmann::json;

constexpr const char* kConf = R"([supervisord]
logfile = /var/log/supervisord.log

[program:web]
command = /usr/bin/web
environment = A="1"

[program:worker]
command = /usr/bin/worker %(process_num)s
process_name = %(program_name)s_%(process_num)s
numprocs = 2

[eventlistener:pool]
command = /usr/bin/listener
events = PROCESS_STATE
)";

std::shared_ptr<CompiledConfig> compile(const std::string& text) {
  testing::MemoryHost host;
  host.add_file("/etc/supervisord.conf", text);
  auto compiled = std::make_shared<CompiledConfig>();
  DiagSink sink;
  auto result = model::compile_config("/etc/supervisord.conf", host, compiled->sm, sink);
  EXPECT_TRUE(result.config.has_value());
  if (result.config) compiled->config = std::move(*result.config);
  return compiled;
}

TEST(LazyPlan, IsThePlanToJsonGives) {
  auto compiled = compile(kConf);
  json plan = to_json(compiled->config, compiled->sm);
  LazyPlan lazy = lazy_plan(compiled);
  json settings = plan;
  settings.erase("groups");
  EXPECT_EQ(lazy.settings, settings);
  ASSERT_EQ(lazy.groups.size(), plan["groups"].size());
  for (std::size_t i = 0; i < lazy.groups.size(); ++i) {
    EXPECT_EQ(lazy.groups[i].name, plan["groups"][i]["name"]);
    EXPECT_EQ(lazy.groups[i].hash, plan["groups"][i]["hash"]);
    EXPECT_EQ(lazy.groups[i].config(), plan["groups"][i]);
  }
}

// The running side is the plan of kConf; the new side changes web, adds
// cache and leaves worker and pool as they were.
TEST(LazyPlan, DiffBuildsOnlyTheGroupsItNeeds) {
  auto before = compile(kConf);
  json running_plan = to_json(before->config, before->sm);
  std::map<std::string, int> built;
  std::vector<LazyGroup> running;
  for (const json& g : running_plan["groups"]) {
    std::string name = g["name"];
    running.push_back({name, g["hash"], [&built, &g, name] {
                         ++built["running " + name];
                         return g;
                       }});
  }
  std::string edited = kConf;
  edited.replace(edited.find("/usr/bin/web"), 12, "/usr/bin/web --fast");
  LazyPlan next = lazy_plan(compile(edited + "\n[program:cache]\ncommand = /usr/bin/cache\n"));
  for (auto& g : next.groups)
    g.config = [&built, name = g.name, build = g.config] {
      ++built["new " + name];
      return build();
    };

  PlanDelta d = diff_running(running_plan, running, next);
  EXPECT_EQ(d.changed, (std::vector<std::string>{"web"}));
  EXPECT_EQ(d.added, (std::vector<std::string>{"cache"}));
  EXPECT_TRUE(d.removed.empty());
  EXPECT_EQ(built, (std::map<std::string, int>{{"new cache", 1}, {"new web", 1}, {"running web", 1}}));
}

}  // namespace
}  // namespace proctor::plan
