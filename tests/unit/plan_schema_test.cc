// Checks schemas/plan.schema.json against the oracle's real output: every
// accepted oracle case and corpus document, extended with proctor's own keys,
// must validate; and typical producer bugs must be caught at the right path.

#include "compiler/plan/plan_schema.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using proctor::plan::SchemaViolation;
using proctor::plan::validate_plan;

const fs::path kShared = fs::path(PROCTOR_SOURCE_DIR) / ".." / "shared";

json location() { return {{"file", "x"}, {"line", 1}}; }

// Adds the minimal valid proctor-only keys to an oracle success document.
json as_plan(json doc) {
  doc["plan_version"] = 1;
  doc["env_used"] = json::array();
  doc["dependencies"] = json::array();
  doc["files"] = json::array();
  for (auto& group : doc["groups"]) {
    group["hash"] = "0123456789abcdef";
    group["source"] = location();
    group["depends_on"] = json::array();
    for (auto& process : group["processes"]) process["source"] = location();
  }
  return doc;
}

std::string describe(const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& v : violations) out += "  " + v.json_pointer + ": " + v.message + "\n";
  return out;
}

bool has_violation_at(const std::vector<SchemaViolation>& violations,
                      const std::string& pointer) {
  return std::any_of(violations.begin(), violations.end(),
                     [&](const SchemaViolation& v) { return v.json_pointer == pointer; });
}

// Accepted documents (no top-level "error") from one folder, sorted so
// failures are reported in a stable order.
std::vector<fs::path> accepted_documents(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".expected.json")) continue;
    std::ifstream in(entry.path());
    if (!json::parse(in).contains("error")) out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

json load(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

void expect_all_valid(const fs::path& dir) {
  if (!fs::is_directory(dir)) GTEST_SKIP() << dir << " not present";
  const auto docs = accepted_documents(dir);
  ASSERT_FALSE(docs.empty()) << "no accepted documents in " << dir;
  for (const auto& path : docs) {
    const auto violations = validate_plan(as_plan(load(path)));
    EXPECT_TRUE(violations.empty()) << path.filename() << ":\n" << describe(violations);
  }
}

TEST(PlanSchema, AcceptsEveryAcceptedOracleCase) {
  expect_all_valid(kShared / "oracle" / "cases");
}

TEST(PlanSchema, AcceptsEveryAcceptedCorpusDocument) {
  expect_all_valid(kShared / "corpus");
}

TEST(PlanSchema, SchemaIsEmbedded) {
  const auto names = proctor::plan::embedded_schema_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "plan.schema.json"), names.end());
  EXPECT_THROW(proctor::plan::validate_against("nope.schema.json", json::object()),
               std::logic_error);
}

// A hand-written plan exercising every group variant, server family and the
// supervisorctl shapes, so the negative tests below do not depend on the
// shared folders being present.
json sample_plan() {
  json process = {
      {"section", "program:web"}, {"name", "web"}, {"command", "/bin/true"},
      {"directory", nullptr}, {"umask", nullptr}, {"priority", 999},
      {"startsecs", 1}, {"startretries", 3}, {"stopwaitsecs", 10},
      {"autostart", true}, {"stopasgroup", false}, {"killasgroup", false},
      {"redirect_stderr", false}, {"autorestart", "unexpected"},
      {"user", nullptr}, {"uid", nullptr}, {"stopsignal", "TERM"},
      {"stopsignal_number", 15}, {"exitcodes", {0}},
      {"stdout_logfile", "AUTO"}, {"stdout_logfile_maxbytes", 52428800},
      {"stdout_logfile_backups", 10}, {"stdout_capture_maxbytes", 0},
      {"stdout_events_enabled", false}, {"stdout_syslog", false},
      {"stderr_logfile", nullptr}, {"stderr_logfile_maxbytes", 52428800},
      {"stderr_logfile_backups", 10}, {"stderr_capture_maxbytes", 0},
      {"stderr_events_enabled", false}, {"stderr_syslog", false},
      {"environment", {{"A", "1"}}}, {"serverurl", nullptr}, {"source", location()}};
  json group = {{"name", "web"}, {"priority", 999}, {"type", "process"},
                {"processes", {process}}, {"hash", "0123456789abcdef"},
                {"source", location()}, {"depends_on", {"db"}}};
  json listener = group;
  listener["type"] = "eventlistener";
  listener["name"] = "listener";
  listener["buffer_size"] = 10;
  listener["events"] = {"PROCESS_STATE"};
  listener["result_handler"] = "supervisor.dispatchers:default_handler";
  json fcgi = group;
  fcgi["type"] = "fcgi";
  fcgi["name"] = "fcgi";
  fcgi["socket"] = "unix:///tmp/fcgi.sock";
  fcgi["socket_backlog"] = nullptr;
  fcgi["socket_mode"] = 448;
  fcgi["socket_owner"] = {-1, -1};
  json unix_server = {{"section", "unix_http_server"}, {"name", nullptr},
                      {"family", "unix"}, {"username", nullptr},
                      {"password", nullptr}, {"file", "/tmp/s.sock"},
                      {"chmod", 448}, {"chown", {-1, -1}}};
  json inet_server = {{"section", "inet_http_server"}, {"name", nullptr},
                      {"family", "inet"}, {"username", "u"}, {"password", "p"},
                      {"host", ""}, {"port", 9001}};
  return {
      {"plan_version", 1}, {"supervisor_version", "4.2.5"},
      {"configfile", "s.conf"}, {"here", "/etc"}, {"includes", json::array()},
      {"parse_warnings", json::array()}, {"parse_infos", json::array()},
      {"supervisord",
       {{"logfile", "/etc/supervisord.log"}, {"logfile_maxbytes", 52428800},
        {"logfile_backups", 10}, {"loglevel", "info"},
        {"pidfile", "/etc/supervisord.pid"}, {"umask", 18}, {"nodaemon", false},
        {"silent", false}, {"minfds", 1024}, {"minprocs", 200},
        {"nocleanup", false}, {"childlogdir", "/tmp"}, {"user", nullptr},
        {"uid", nullptr}, {"gid", nullptr}, {"directory", nullptr},
        {"strip_ansi", false}, {"environment", json::object()},
        {"identifier", "supervisor"}}},
      {"serverurl", nullptr},
      {"http_servers", {inet_server, unix_server}},
      {"unix_http_server", unix_server}, {"inet_http_server", inet_server},
      {"rpcinterfaces",
       {{{"name", "supervisor"},
         {"factory", "supervisor.rpcinterface:make_main_rpcinterface"},
         {"extras", {{"retries", "3"}}}}}},
      {"groups", {group, listener, fcgi}}, {"startup_error", nullptr},
      {"supervisorctl",
       {{"serverurl", "http://localhost:9001"}, {"username", nullptr},
        {"password", nullptr}, {"prompt", "supervisor"},
        {"history_file", nullptr}, {"ctlplugins", json::array()}}},
      {"env_used", {"HOME"}},
      {"dependencies", {{{"from", "web"}, {"to", "db"}}}},
      {"files", {{{"path", "/etc/s.conf"}, {"role", "main"}, {"pattern", nullptr}},
                 {{"path", "/etc/d/a.conf"}, {"role", "include"}, {"pattern", "d/*.conf"}}}}};
}

TEST(PlanSchema, AcceptsSamplePlan) {
  const auto violations = validate_plan(sample_plan());
  EXPECT_TRUE(violations.empty()) << describe(violations);
}

TEST(PlanSchema, AcceptsEachSampleGroup) {
  for (const json& group : sample_plan()["groups"]) {
    const auto violations = proctor::plan::validate_plan_group(group);
    EXPECT_TRUE(violations.empty()) << describe(violations);
  }
}

TEST(PlanSchema, AcceptsSupervisorctlErrorAndNull) {
  json plan = sample_plan();
  plan["supervisorctl"] = {{"error", "bad serverurl"}};
  EXPECT_TRUE(validate_plan(plan).empty()) << describe(validate_plan(plan));
  plan["supervisorctl"] = nullptr;
  plan["unix_http_server"] = nullptr;
  plan["inet_http_server"] = nullptr;
  plan["groups"][2]["socket_owner"] = nullptr;
  EXPECT_TRUE(validate_plan(plan).empty()) << describe(validate_plan(plan));
}

// Each case: mutate the sample, expect a violation at exactly `pointer`.
struct Mutation {
  const char* name;
  void (*apply)(json&);
  const char* pointer;
};

const Mutation kMutations[] = {
    {"wrong type: string priority",
     [](json& p) { p["groups"][0]["processes"][0]["priority"] = "999"; },
     "/groups/0/processes/0/priority"},
    {"wrong type: float is not integer",
     [](json& p) { p["supervisord"]["umask"] = 18.5; }, "/supervisord/umask"},
    {"autorestart outside true|false|unexpected",
     [](json& p) { p["groups"][0]["processes"][0]["autorestart"] = "always"; },
     "/groups/0/processes/0/autorestart"},
    {"missing required top-level key",
     [](json& p) { p.erase("env_used"); }, ""},
    {"missing required group key",
     [](json& p) { p["groups"][1].erase("depends_on"); }, "/groups/1"},
    {"missing eventlistener-only key",
     [](json& p) { p["groups"][1].erase("buffer_size"); }, "/groups/1"},
    {"fcgi key on a process group",
     [](json& p) { p["groups"][0]["socket"] = "unix:///x"; }, "/groups/0/socket"},
    {"unknown process key",
     [](json& p) { p["groups"][2]["processes"][0]["bogus"] = 1; },
     "/groups/2/processes/0/bogus"},
    {"unknown top-level key", [](json& p) { p["extra"] = true; }, "/extra"},
    {"unknown key with pointer escapes",
     [](json& p) { p["supervisord"]["a/b~c"] = 1; }, "/supervisord/a~1b~0c"},
    {"bad hash: upper case",
     [](json& p) { p["groups"][0]["hash"] = "0123456789ABCDEF"; }, "/groups/0/hash"},
    {"bad hash: too short",
     [](json& p) { p["groups"][2]["hash"] = "0123"; }, "/groups/2/hash"},
    {"source line 0", [](json& p) { p["groups"][0]["source"]["line"] = 0; },
     "/groups/0/source/line"},
    {"plan_version 2", [](json& p) { p["plan_version"] = 2; }, "/plan_version"},
    {"supervisor_version", [](json& p) { p["supervisor_version"] = "4.2.4"; },
     "/supervisor_version"},
    {"env_used not unique", [](json& p) { p["env_used"] = {"A", "A"}; }, "/env_used"},
    {"file role", [](json& p) { p["files"][0]["role"] = "other"; }, "/files/0/role"},
    {"dependency without to", [](json& p) { p["dependencies"][0].erase("to"); },
     "/dependencies/0"},
    {"environment value not a string",
     [](json& p) { p["groups"][0]["processes"][0]["environment"]["A"] = 1; },
     "/groups/0/processes/0/environment/A"},
    {"inet server with unix key",
     [](json& p) { p["http_servers"][0]["file"] = "/x"; }, "/http_servers/0/file"},
    {"unix chown not a pair",
     [](json& p) { p["unix_http_server"]["chown"] = {1}; }, "/unix_http_server/chown"},
    {"supervisorctl mixes shapes",
     [](json& p) { p["supervisorctl"]["error"] = "x"; }, "/supervisorctl"},
    {"loglevel", [](json& p) { p["supervisord"]["loglevel"] = "verbose"; },
     "/supervisord/loglevel"},
};

class PlanSchemaRejects : public testing::TestWithParam<Mutation> {};

TEST_P(PlanSchemaRejects, AtPointer) {
  json plan = sample_plan();
  GetParam().apply(plan);
  const auto violations = validate_plan(plan);
  ASSERT_FALSE(violations.empty()) << GetParam().name;
  EXPECT_TRUE(has_violation_at(violations, GetParam().pointer))
      << GetParam().name << ": expected a violation at '" << GetParam().pointer
      << "', got:\n" << describe(violations);
}

// plan_text validates the header with "groups" empty and each group on its
// own: the same mutations must be caught there, at the pointer relative to
// the group, and nowhere else.
TEST_P(PlanSchemaRejects, SameVerdictWhenValidatedByParts) {
  json plan = sample_plan();
  GetParam().apply(plan);
  json groups = std::move(plan["groups"]);
  plan["groups"] = json::array();
  std::vector<SchemaViolation> violations = validate_plan(plan);
  for (std::size_t i = 0; i < groups.size(); ++i)
    for (auto& v : proctor::plan::validate_plan_group(groups[i]))
      violations.push_back({"/groups/" + std::to_string(i) + v.json_pointer, v.message});
  EXPECT_TRUE(has_violation_at(violations, GetParam().pointer))
      << GetParam().name << ": expected a violation at '" << GetParam().pointer
      << "', got:\n" << describe(violations);
}

INSTANTIATE_TEST_SUITE_P(Mutations, PlanSchemaRejects, testing::ValuesIn(kMutations),
                         [](const testing::TestParamInfo<Mutation>& info) {
                           return "case" + std::to_string(info.index);
                         });

TEST(PlanSchema, MissingKeyMessageNamesTheKey) {
  json plan = sample_plan();
  plan["groups"][0].erase("hash");
  const auto violations = validate_plan(plan);
  ASSERT_FALSE(violations.empty());
  EXPECT_TRUE(std::any_of(violations.begin(), violations.end(), [](const SchemaViolation& v) {
    return v.json_pointer == "/groups/0" && v.message.find("'hash'") != std::string::npos;
  })) << describe(violations);
}

TEST(PlanSchema, ReportsOnlyLeafErrorsForNestedTypeError) {
  // Propagation messages ("Failed to validate item #0 ...") are dropped, so a
  // single bad leaf yields a single violation.
  json plan = sample_plan();
  plan["groups"][0]["processes"][0]["exitcodes"] = {0, "2"};
  const auto violations = validate_plan(plan);
  ASSERT_EQ(violations.size(), 1u) << describe(violations);
  EXPECT_EQ(violations[0].json_pointer, "/groups/0/processes/0/exitcodes/1");
}

}  // namespace
