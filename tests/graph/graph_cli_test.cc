// `proctor graph` as users run it: exit codes, formats, --order, -o.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "compiler/plan/plan_schema.h"
#include "tests/support/command_runner.h"

namespace fs = std::filesystem;

namespace {

using Result = proctor::testing::CommandResult;

Result run(const std::string& args) {
  return proctor::testing::run_command(std::string(PROCTOR_BIN) + " " + args);
}

std::string golden(const std::string& name) {
  return (fs::path(PROCTOR_SOURCE_DIR) / "tests/golden/graph" / name / "input/supervisord.conf").string();
}

class GraphCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("proctor-graph-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "bad.conf") << "[supervisord]\n[program:a]\ncommand=/bin/true\nstartsecs=ten\n";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(GraphCli, ExitCodes) {
  EXPECT_EQ(run("graph " + golden("01-demo")).status, 0);
  EXPECT_EQ(run("graph " + path("bad.conf")).status, 1);
  EXPECT_EQ(run("graph " + path("missing.conf")).status, 3);
  EXPECT_EQ(run("graph --format gif " + golden("01-demo")).status, 2);
  EXPECT_EQ(run("graph --view nodes " + golden("01-demo")).status, 2);
  EXPECT_EQ(run("graph").status, 2);
}

TEST_F(GraphCli, DependencyProblemsAreDrawnButStillFail) {
  Result r = run("graph " + golden("08-dependency-cycle"));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("color=\"#d62728\""), std::string::npos) << r.out;
}

TEST_F(GraphCli, OrderPrintsStartAndStop) {
  Result r = run("graph --order " + golden("01-demo"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("start order:\n  1. [priority 10] clock: clock\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("stop order:\n  1. [priority 30] workers: worker_b, worker_a"), std::string::npos) << r.out;
}

TEST_F(GraphCli, JsonMatchesSchemaAndAcceptsAPlan) {
  ASSERT_EQ(run("compile " + golden("01-demo") + " -o " + path("plan.json")).status, 0);
  Result from_plan = run("graph --format json " + path("plan.json"));
  Result from_config = run("graph --format json " + golden("01-demo"));
  EXPECT_EQ(from_plan.status, 0);
  auto doc = nlohmann::json::parse(from_plan.out);
  EXPECT_TRUE(proctor::plan::validate_against("graph.schema.json", doc).empty());
  EXPECT_EQ(from_plan.out, from_config.out);
}

TEST_F(GraphCli, ViewIncludesShowsFilesOnly) {
  auto doc = nlohmann::json::parse(run("graph --format json --view includes " + golden("05-include-tree")).out);
  for (const auto& n : doc["nodes"]) EXPECT_EQ(n["kind"], "file");
  EXPECT_EQ(doc["edges"].size(), 3u);
}

TEST_F(GraphCli, PngAndSvgFiles) {
  ASSERT_EQ(run("graph --format png -o " + path("g.png") + " " + golden("01-demo")).status, 0);
  std::ifstream png(path("g.png"), std::ios::binary);
  std::string magic(8, '\0');
  png.read(magic.data(), 8);
  EXPECT_EQ(magic, "\x89PNG\r\n\x1a\n");
  Result svg = run("graph --format svg " + golden("01-demo"));
  EXPECT_EQ(svg.status, 0);
  EXPECT_NE(svg.out.find("<svg"), std::string::npos);
  EXPECT_EQ(run("graph -o /nonexistent-dir/g.dot " + golden("01-demo")).status, 3);
}

}  // namespace
