// group_hash(model::GroupConfig) must give the hash group_json puts in the
// plan, for every value of every field: a daemon's reread compares it with
// the running group's plan hash to decide what to rebuild.

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "compiler/plan/group_hash.h"
#include "compiler/plan/plan_json.h"

namespace proctor::plan {
namespace {

using model::GroupConfig;
using model::LogChannel;
using model::ProcessConfig;

ProcessConfig sample_process() {
  ProcessConfig p;
  p.section = "program:web";
  p.name = "web_0";
  p.command = "/usr/bin/web --port 80";
  p.directory = "/srv/web";
  p.exitcodes = {0, 2};
  p.stdout_log.kind = LogChannel::Kind::kPath;
  p.stdout_log.path = "/var/log/web.log";
  p.stdout_log.maxbytes = 50 * 1024 * 1024;
  p.stdout_log.backups = 10;
  p.stderr_log = p.stdout_log;
  p.stderr_log.path = "/var/log/web.err";
  p.environment = {{"PATH", "/usr/bin"}, {"HOME", "/root"}};
  return p;
}

GroupConfig sample_group() {
  GroupConfig g;
  g.name = "web";
  g.priority = 10;
  g.processes = {sample_process(), sample_process()};
  g.processes[1].name = "web_1";
  g.depends_on = {"db"};
  return g;
}

std::string plan_hash(const GroupConfig& g) {
  SourceManager sm;
  return group_json(g, sm).at("hash").get<std::string>();
}

using Mutation = std::function<void(GroupConfig&)>;

void expect_every_mutation_changes_the_hash(const GroupConfig& base, const std::vector<Mutation>& mutations) {
  const std::string before = group_hash(base);
  ASSERT_EQ(before, plan_hash(base));
  for (std::size_t i = 0; i < mutations.size(); ++i) {
    GroupConfig g = base;
    mutations[i](g);
    EXPECT_EQ(group_hash(g), plan_hash(g)) << "mutation " << i;
    EXPECT_NE(group_hash(g), before) << "mutation " << i;
  }
}

ProcessConfig& p0(GroupConfig& g) { return g.processes[0]; }

std::vector<Mutation> channel_mutations(LogChannel ProcessConfig::*channel) {
  auto c = [channel](GroupConfig& g) -> LogChannel& { return g.processes[0].*channel; };
  return {
      [c](GroupConfig& g) { c(g).kind = LogChannel::Kind::kNone; },
      [c](GroupConfig& g) { c(g).kind = LogChannel::Kind::kAuto; },
      [c](GroupConfig& g) { c(g).kind = LogChannel::Kind::kPath, c(g).path = "/tmp/other.log"; },
      [c](GroupConfig& g) { c(g).maxbytes += 1; },
      [c](GroupConfig& g) { c(g).backups += 1; },
      [c](GroupConfig& g) { c(g).capture_maxbytes = 1024; },
      [c](GroupConfig& g) { c(g).events_enabled = true; },
      [c](GroupConfig& g) { c(g).syslog = true; },
  };
}

TEST(GroupHashFromModel, EveryProcessFieldChangesItAsInThePlan) {
  std::vector<Mutation> m = {
      [](GroupConfig& g) { p0(g).section = "program:api"; },
      [](GroupConfig& g) { p0(g).name = "web_9"; },
      [](GroupConfig& g) { p0(g).command = "/usr/bin/web --port 81"; },
      [](GroupConfig& g) { p0(g).directory.reset(); },
      [](GroupConfig& g) { p0(g).umask = 022; },
      [](GroupConfig& g) { p0(g).priority = -5; },
      [](GroupConfig& g) { p0(g).autostart = false; },
      [](GroupConfig& g) { p0(g).autorestart = model::Autorestart::kTrue; },
      [](GroupConfig& g) { p0(g).autorestart = model::Autorestart::kFalse; },
      [](GroupConfig& g) { p0(g).startsecs = 0; },
      [](GroupConfig& g) { p0(g).startretries = 7; },
      [](GroupConfig& g) { p0(g).user = "www-data"; },
      [](GroupConfig& g) { p0(g).uid = 33; },
      [](GroupConfig& g) { p0(g).stopsignal = 9; },
      [](GroupConfig& g) { p0(g).stopsignal = 99; },  // no name: null
      [](GroupConfig& g) { p0(g).stopwaitsecs = 30; },
      [](GroupConfig& g) { p0(g).stopasgroup = true; },
      [](GroupConfig& g) { p0(g).killasgroup = true; },
      [](GroupConfig& g) { p0(g).exitcodes = {0}; },
      [](GroupConfig& g) { p0(g).exitcodes.clear(); },
      [](GroupConfig& g) { p0(g).redirect_stderr = true; },
      [](GroupConfig& g) { p0(g).environment.emplace_back("A", "1"); },
      [](GroupConfig& g) { p0(g).environment[1].second = "/home"; },
      [](GroupConfig& g) { p0(g).environment.emplace_back("PATH", "/bin"); },  // the last one counts
      [](GroupConfig& g) { p0(g).environment.clear(); },
      [](GroupConfig& g) { p0(g).serverurl = "unix:///run/s.sock"; },
  };
  for (auto member : {&ProcessConfig::stdout_log, &ProcessConfig::stderr_log})
    for (auto& mutation : channel_mutations(member)) m.push_back(mutation);
  expect_every_mutation_changes_the_hash(sample_group(), m);
}

TEST(GroupHashFromModel, EveryGroupFieldChangesItAsInThePlan) {
  expect_every_mutation_changes_the_hash(
      sample_group(), {
                          [](GroupConfig& g) { g.name = "api"; },
                          [](GroupConfig& g) { g.priority = 11; },
                          [](GroupConfig& g) { g.depends_on.clear(); },
                          [](GroupConfig& g) { g.depends_on.push_back("cache"); },
                          [](GroupConfig& g) { g.processes.pop_back(); },
                          [](GroupConfig& g) { std::swap(g.processes[0], g.processes[1]); },
                          [](GroupConfig& g) { g.type = GroupConfig::Type::kEventListener; },
                          [](GroupConfig& g) { g.type = GroupConfig::Type::kFcgi; },
                      });
}

TEST(GroupHashFromModel, EveryPoolFieldChangesItAsInThePlan) {
  GroupConfig pool = sample_group();
  pool.type = GroupConfig::Type::kEventListener;
  pool.events = {"PROCESS_STATE", "TICK_5"};
  pool.result_handler = "supervisor.dispatchers:default_handler";
  expect_every_mutation_changes_the_hash(pool, {
                                                   [](GroupConfig& g) { g.buffer_size = 20; },
                                                   [](GroupConfig& g) { g.events.pop_back(); },
                                                   [](GroupConfig& g) { g.result_handler = "x:y"; },
                                               });
}

TEST(GroupHashFromModel, EveryFcgiFieldChangesItAsInThePlan) {
  GroupConfig fcgi = sample_group();
  fcgi.type = GroupConfig::Type::kFcgi;
  fcgi.socket.url = "unix:///run/php.sock";
  expect_every_mutation_changes_the_hash(fcgi, {
                                                   [](GroupConfig& g) { g.socket.url = "tcp://127.0.0.1:9000"; },
                                                   [](GroupConfig& g) { g.socket.backlog = 64; },
                                                   [](GroupConfig& g) { g.socket.mode = 0660; },
                                                   [](GroupConfig& g) { g.socket.owner = std::pair<std::int64_t, std::int64_t>(33, 33); },
                                               });
}

// Strings json::dump escapes, and bytes that are not UTF-8 (an environment
// variable can hold any), are fed as the plan prints them.
TEST(GroupHashFromModel, EscapedAndInvalidTextHashesAsInThePlan) {
  GroupConfig g = sample_group();
  p0(g).command = "/bin/echo \"quoted\" \\ tab\there caf\xC3\xA9 \x01";
  p0(g).environment.emplace_back("BYTES", "\xFF\xFE");
  p0(g).environment.emplace_back("K\xC3\xA9Y", "v");
  EXPECT_EQ(group_hash(g), plan_hash(g));
}

// Where a group was defined is not part of its content.
TEST(GroupHashFromModel, LocationsDoNotCount) {
  GroupConfig g = sample_group(), moved = sample_group();
  moved.source.begin.line = 40;
  moved.section = "group:web";
  p0(moved).source.begin.line = 41;
  EXPECT_EQ(group_hash(g), group_hash(moved));
}

}  // namespace
}  // namespace proctor::plan
