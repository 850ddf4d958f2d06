// Every diagnostic code has a doc page and a firing and a clean fixture:
//   tests/lint/fixtures/<CODE>/fires/supervisord.conf  + fires/expect
//   tests/lint/fixtures/<CODE>/clean/supervisord.conf
// `expect` lists "FILE:LINE" where <CODE> must be reported (one per line);
// `expected.txt` and `expected.json` are the rendered diagnostics of <CODE>
// (text and --format json), refreshed with scripts/update-goldens.sh;
// the code must be reported exactly there. A clean fixture must not
// produce the code at all. Lint runs with --env-check, cwd = the fixture
// directory, and a fixed environment (PATH=/usr/bin:/bin HOME=/tmp
// LC_ALL=C.UTF-8, plus KEY=VALUE lines from an optional `env` file).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/lint/linter.h"
#include "compiler/render/report.h"
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
  std::string code_text;  ///< this code's diagnostics, rendered (the golden)
  std::string code_json;  ///< the same as --format json
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
  std::vector<proctor::Diagnostic> mine;
  for (const auto& d : report.diagnostics) {
    run.rendered += proctor::render_text(d, sm, {});
    if (d.code == code) {
      mine.push_back(d);
      run.code_text += proctor::render_text(d, sm, {});
    }
    if (d.code == code && d.range.valid())
      run.where.insert(sm.name(d.range.begin.file) + ":" + std::to_string(d.range.begin.line));
    else if (d.code == code)
      run.where.insert("(no location)");
  }
  std::vector<proctor::render::ReportFile> files{{"supervisord.conf", &mine, &sm}};
  run.code_json = proctor::render::json_report(files).dump(2) + "\n";
  // Messages may quote absolute paths; goldens must not depend on the checkout.
  for (std::string* t : {&run.code_text, &run.code_json}) {
    const std::string abs = fs::absolute(dir).string();
    for (std::size_t pos = 0; (pos = t->find(abs, pos)) != std::string::npos; pos += 11)
      t->replace(pos, abs.size(), "@FIXTURE@");
  }
  return run;
}

// fixture -> expected text and JSON; UPDATE_GOLDEN=1 rewrites them.
void check_golden(const fs::path& file, const std::string& actual) {
  if (std::getenv("UPDATE_GOLDEN")) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(fs::exists(file)) << "missing " << file << " (run scripts/update-goldens.sh)";
  EXPECT_EQ(read(file), actual) << file << " differs; refresh with scripts/update-goldens.sh if intended";
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
  check_golden(dir / "expected.txt", run.code_text);
  check_golden(dir / "expected.json", run.code_json);
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

namespace {

// Every real-world config in ../shared/corpus lints without crashing, and
// every finding it produces can be rendered in every output format.
TEST(LintCorpus, EveryCorpusConfigLints) {
  fs::path corpus = fs::path(PROCTOR_SOURCE_DIR) / ".." / "shared" / "corpus";
  if (!fs::is_directory(corpus)) GTEST_SKIP() << "no ../shared/corpus here";
  fs::path old = fs::current_path();
  fs::current_path(corpus);
  proctor::testing::CaseHost host({{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LC_ALL", "C.UTF-8"}});
  std::size_t configs = 0, findings = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (e.path().extension() != ".conf") continue;
    proctor::SourceManager sm;
    proctor::lint::LintOptions opts;
    opts.env_check = true;
    auto report = proctor::lint::lint_config(e.path().filename().string(), host, sm, opts);
    std::vector<proctor::render::ReportFile> files{{report.config, &report.diagnostics, &sm}};
    EXPECT_FALSE(proctor::render::sarif_report(files, "test").is_null());
    EXPECT_FALSE(proctor::render::github_report(files).empty() && !report.diagnostics.empty());
    for (const auto& d : report.diagnostics) EXPECT_FALSE(proctor::render_text(d, sm, {}).empty());
    ++configs;
    findings += report.diagnostics.size();
  }
  fs::current_path(old);
  EXPECT_GT(configs, 100u);
  EXPECT_GT(findings, 0u);
}

}  // namespace
