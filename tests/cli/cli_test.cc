// Runs the real proctor binary the way users and CI do, and checks exit
// codes and output formats.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "compiler/plan/plan_schema.h"
#include "tests/support/command_runner.h"

namespace fs = std::filesystem;

namespace {

using Result = proctor::testing::CommandResult;

Result run(const std::string& args) {
  return proctor::testing::run_command(std::string(PROCTOR_BIN) + " " + args);
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("proctor-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    write("good.conf", "[supervisord]\n[program:a]\ncommand=/bin/true\n");
    write("bad.conf", "[supervisord]\n[program:a]\ncommand=/bin/true\nstartsecs=ten\n");
    write("warn.conf", "[supervisord]\n[program:a]\ncommand=/bin/true\nstdout_logfile_maxbytes=0\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(Cli, HelpForEachSubcommand) {
  EXPECT_EQ(run("--help").status, 0);
  EXPECT_EQ(run("compile --help").status, 0);
  EXPECT_EQ(run("lint --help").status, 0);
  EXPECT_NE(run("compile --help").out.find("CONFIG"), std::string::npos);
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run("").status, 2);
  EXPECT_EQ(run("frobnicate").status, 2);
  EXPECT_EQ(run("compile").status, 2);
  EXPECT_EQ(run("lint --format xml " + path("good.conf")).status, 2);
}

TEST_F(Cli, CompileExitCodes) {
  Result ok = run("compile " + path("good.conf"));
  EXPECT_EQ(ok.status, 0);
  auto plan = nlohmann::json::parse(ok.out);
  EXPECT_TRUE(proctor::plan::validate_plan(plan).empty());
  EXPECT_EQ(run("compile " + path("bad.conf")).status, 1);
  EXPECT_EQ(run("compile " + path("missing.conf")).status, 3);
}

TEST_F(Cli, CompileWritesPlanFileAtomicallyAndDeterministically) {
  ASSERT_EQ(run("compile " + path("good.conf") + " -o " + path("a.json")).status, 0);
  ASSERT_EQ(run("compile " + path("good.conf") + " -o " + path("b.json")).status, 0);
  std::ifstream a(path("a.json")), b(path("b.json"));
  std::string ta((std::istreambuf_iterator<char>(a)), {}), tb((std::istreambuf_iterator<char>(b)), {});
  EXPECT_FALSE(ta.empty());
  EXPECT_EQ(ta, tb);
  EXPECT_EQ(run("compile " + path("good.conf") + " -o /nonexistent-dir/plan.json").status, 3);
}

TEST_F(Cli, LintFailOnThreshold) {
  EXPECT_EQ(run("lint " + path("good.conf")).status, 0);
  EXPECT_EQ(run("lint " + path("bad.conf")).status, 1);
  EXPECT_EQ(run("lint " + path("warn.conf")).status, 0);
  EXPECT_EQ(run("lint --fail-on warning " + path("warn.conf")).status, 1);
  EXPECT_EQ(run("lint --fail-on warning --ignore auto-log-unbounded " + path("warn.conf")).status, 0);
  EXPECT_EQ(run("lint " + path("missing.conf")).status, 3);
}

TEST_F(Cli, LintJsonMatchesSchema) {
  Result r = run("lint --format json " + path("bad.conf") + " " + path("good.conf"));
  EXPECT_EQ(r.status, 1);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_TRUE(proctor::plan::validate_against("diagnostics.schema.json", doc).empty()) << doc.dump(2);
  EXPECT_EQ(doc["configs"].size(), 2u);
  EXPECT_EQ(doc["configs"][0]["diagnostics"][0]["code"], "P2004");
  EXPECT_EQ(doc["configs"][0]["diagnostics"][0]["location"]["line"], 4);
}

TEST_F(Cli, LintSarifAndGithub) {
  auto sarif = nlohmann::json::parse(run("lint --format sarif " + path("bad.conf")).out);
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& result = sarif["runs"][0]["results"][0];
  EXPECT_EQ(result["ruleId"], "P2004");
  EXPECT_EQ(result["level"], "error");
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"]["startLine"], 4);
  std::string gh = run("lint --format github " + path("bad.conf")).out;
  EXPECT_EQ(gh.rfind("::error file=", 0), 0u) << gh;
  EXPECT_NE(gh.find(",line=4,"), std::string::npos);
}

TEST_F(Cli, SuppressionComments) {
  write("quiet.conf",
        "[supervisord]\n[program:a]\ncommand=/bin/true\n"
        "; proctor: disable=P2004\nstartsecs=ten\n");
  // The error is still Supervisor's verdict for compile...
  EXPECT_EQ(run("compile " + path("quiet.conf")).status, 1);
  // ...but lint honours the suppression.
  EXPECT_EQ(run("lint " + path("quiet.conf")).status, 0);
}

TEST_F(Cli, Explain) {
  Result r = run("lint --explain P2004");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("P2004"), std::string::npos);
  EXPECT_EQ(run("lint --explain invalid-integer").status, 0);
  EXPECT_EQ(run("lint --explain no-such-rule").status, 2);
}

}  // namespace
