// `proctor diff OLD NEW` exit status, like diff(1): 0 no change, 1 changes,
// 2 trouble. Runs the real binary (PROCTOR_BIN).

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

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

class DiffCli : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proctor-diff-cli-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const std::string head = "[supervisord]\nlogfile=/tmp/proctor-diff-cli.log\n";
    write("a.conf", head + "[program:web]\ncommand=/bin/sleep 600\n");
    write("a-comments.conf", "; same as a.conf\n" + head +
                                 "[program:web]   ; inline\ncommand = /bin/sleep 600\n\n");
    write("b.conf", head + "[program:web]\ncommand=/bin/sleep 601\n[program:new]\ncommand=/bin/true\n");
    write("reload.conf", "[supervisord]\nlogfile=/tmp/proctor-diff-cli-2.log\n"
                         "[program:web]\ncommand=/bin/sleep 600\n");
    write("bad.conf", head + "[program:web]\ncommand=/bin/sleep 600\nstartsecs=ten\n");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string path(const std::string& name) { return (dir_ / name).string(); }
  fs::path dir_;
};

TEST_F(DiffCli, SameConfigExitsZero) {
  Result r = run("diff " + path("a.conf") + " " + path("a-comments.conf"));
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "No config updates to processes\n");
  EXPECT_EQ(run("diff --format json " + path("a.conf") + " " + path("a.conf")).status, 0);
}

TEST_F(DiffCli, ChangesExitOne) {
  Result r = run("diff " + path("a.conf") + " " + path("b.conf"));
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out.rfind("new: available\nweb: changed\n", 0), 0u) << r.out;
  // A change only outside the groups still counts.
  EXPECT_EQ(run("diff " + path("a.conf") + " " + path("reload.conf")).status, 1);
}

TEST_F(DiffCli, JsonFollowsSchema) {
  Result r = run("diff --format json " + path("a.conf") + " " + path("b.conf"));
  EXPECT_EQ(r.status, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(proctor::plan::validate_against("diff.schema.json", j).empty()) << j.dump(2);
  EXPECT_EQ(j["added"], nlohmann::json::array({"new"}));
  EXPECT_EQ(j["changed"], nlohmann::json::array({"web"}));
}

TEST_F(DiffCli, TroubleExitsTwo) {
  EXPECT_EQ(run("diff " + path("a.conf") + " " + path("missing.conf")).status, 2);
  EXPECT_EQ(run("diff " + path("missing.conf") + " " + path("a.conf")).status, 2);
  EXPECT_EQ(run("diff " + path("a.conf") + " " + path("bad.conf")).status, 2);
  EXPECT_EQ(run("diff " + path("a.conf")).status, 2);  // usage
}

}  // namespace
