// Every diagnostic code has a doc page and a firing and a clean fixture:
//   tests/lint/fixtures/<CODE>/fires/supervisord.conf  + fires/expect
//   tests/lint/fixtures/<CODE>/clean/supervisord.conf
// `expect` lists "FILE:LINE" where <CODE> must be reported (one per line);
// the code must be reported exactly there. A clean fixture must not
// produce the code at all. Lint runs with --env-check, cwd = the fixture
// directory, and a fixed environment (PATH=/usr/bin:/bin HOME=/tmp
// LC_ALL=C.UTF-8, plus KEY=VALUE lines from an optional `env` file).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/lint/linter.h"
#include "tests/support/case_host.h"

namespace fs = std::filesystem;

namespace {

fs::path fixtures_root() { return fs::path(PROCTOR_SOURCE_DIR) / "tests" / "lint" / "fixtures"; }

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LintRun {
  std::set<std::string> where;  ///< "file:line" of diagnostics with the code
  std::string rendered;
};

LintRun lint_fixture(const fs::path& dir, proctor::DiagCode code) {
  std::vector<std::pair<std::string, std::string>> env = {
      {"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LC_ALL", "C.UTF-8"}};
  std::istringstream extra(fs::exists(dir / "env") ? read(dir / "env") : "");
  for (std::string line; std::getline(extra, line);)
    if (auto eq = line.find('='); eq != std::string::npos) env.emplace_back(line.substr(0, eq), line.substr(eq + 1));
  proctor::testing::CaseHost host(env);
  proctor::SourceManager sm;
  fs::path old = fs::current_path();
  fs::current_path(dir);
  proctor::lint::LintOptions opts;
  opts.env_check = true;
  auto report = proctor::lint::lint_config("supervisord.conf", host, sm, opts);
  fs::current_path(old);
  LintRun run;
  for (const auto& d : report.diagnostics) {
    run.rendered += proctor::render_text(d, sm, {});
    if (d.code == code && d.range.valid())
      run.where.insert(sm.name(d.range.begin.file) + ":" + std::to_string(d.range.begin.line));
    else if (d.code == code)
      run.where.insert("(no location)");
  }
  return run;
}

std::set<std::string> expected_locations(const fs::path& file) {
  std::set<std::string> out;
  std::istringstream in(read(file));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.insert(line);
  return out;
}

class RuleFixtures : public ::testing::TestWithParam<proctor::DiagCodeInfo> {};

TEST_P(RuleFixtures, HasDocPage) {
  const auto& ci = GetParam();
  fs::path doc = fs::path(PROCTOR_SOURCE_DIR) / "docs" / "rules" / (std::string(ci.id) + ".md");
  ASSERT_TRUE(fs::exists(doc)) << "missing " << doc;
  std::string text = read(doc);
  for (const char* heading : {"## What it finds", "## Why it matters", "## Example", "## Fix"})
    EXPECT_NE(text.find(heading), std::string::npos) << doc << " lacks '" << heading << "'";
}

TEST_P(RuleFixtures, Fires) {
  const auto& ci = GetParam();
  fs::path dir = fixtures_root() / std::string(ci.id) / "fires";
  // No supervisord.conf is allowed only where the missing file is the point (P1001).
  ASSERT_TRUE(fs::exists(dir / "expect")) << "missing " << dir / "expect";
  LintRun run = lint_fixture(dir, ci.code);
  EXPECT_EQ(run.where, expected_locations(dir / "expect")) << "output was:\n" << run.rendered;
}

TEST_P(RuleFixtures, StaysQuietOnCleanConfig) {
  const auto& ci = GetParam();
  fs::path dir = fixtures_root() / std::string(ci.id) / "clean";
  ASSERT_TRUE(fs::exists(dir / "supervisord.conf")) << "missing " << dir;
  LintRun run = lint_fixture(dir, ci.code);
  EXPECT_TRUE(run.where.empty()) << "output was:\n" << run.rendered;
}

std::string code_name(const ::testing::TestParamInfo<proctor::DiagCodeInfo>& info) {
  return std::string(info.param.id);
}

INSTANTIATE_TEST_SUITE_P(AllCodes, RuleFixtures, ::testing::ValuesIn(proctor::all_diag_codes()),
                         code_name);

}  // namespace
