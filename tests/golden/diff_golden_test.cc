// Golden tests for `proctor diff`: every directory tests/golden/diff/<case>/
// holds two config trees and the expected renderings of their delta:
//
//   old/supervisord.conf (+ includes)   the running config
//   new/supervisord.conf (+ includes)   the config on disk
//   diff.txt                            delta_text()
//   diff.json                           delta_json(), dumped with 2 spaces
//
// Both trees are compiled in-process with the case directory as the working
// directory and "old/supervisord.conf" / "new/supervisord.conf" as the
// (relative) config paths; any absolute path of the case directory left in
// the output (%(here)s is absolute) is written @CASE@, so the files do not
// depend on where the source tree lives. The configs avoid the environment
// and the host name.
//
// diff.json must also validate against schemas/diff.schema.json.
//
// UPDATE_GOLDEN=1 rewrites diff.txt and diff.json instead of comparing;
// review the result with `git diff -- tests/golden/diff`.

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/golden_files.h"
#include "compiler/base/diagnostic_render.h"
#include "compiler/model/host.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_schema.h"
#include "compiler/plan/plan_source.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using proctor::testing::read_text;
using proctor::testing::updating;
using proctor::testing::write_text;

fs::path cases_root() { return fs::path(PROCTOR_SOURCE_DIR) / "tests" / "golden" / "diff"; }

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  if (!fs::is_directory(cases_root())) return out;
  for (const auto& e : fs::directory_iterator(cases_root()))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string portable(std::string text, const std::string& case_dir) {
  for (std::size_t at = 0; (at = text.find(case_dir, at)) != std::string::npos;)
    text.replace(at, case_dir.size(), "@CASE@");
  return text;
}

// Runs `fn` with `dir` as the working directory.
template <typename Fn>
auto in_dir(const fs::path& dir, Fn fn) {
  fs::path saved = fs::current_path();
  fs::current_path(dir);
  struct Restore {
    fs::path p;
    ~Restore() { fs::current_path(p); }
  } restore{saved};
  return fn();
}

struct Loaded {
  std::optional<json> plan;
  std::string diagnostics;
};

Loaded load(const std::string& relative_config) {
  proctor::model::PosixHost host;
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  auto loaded = proctor::plan::load_plan(relative_config, host, sm, sink);
  Loaded out{loaded.plan, ""};
  for (const auto& d : sink.all()) out.diagnostics += proctor::render_text(d, sm, {});
  return out;
}

class DiffGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(DiffGolden, MatchesExpected) {
  fs::path dir = cases_root() / GetParam();
  Loaded before = in_dir(dir, [] { return load("old/supervisord.conf"); });
  Loaded after = in_dir(dir, [] { return load("new/supervisord.conf"); });
  ASSERT_TRUE(before.plan) << before.diagnostics;
  ASSERT_TRUE(after.plan) << after.diagnostics;

  proctor::plan::PlanDelta delta = proctor::plan::diff_plans(*before.plan, *after.plan);
  json j = proctor::plan::delta_json(delta);
  auto violations = proctor::plan::validate_against("diff.schema.json", j);
  for (const auto& v : violations) ADD_FAILURE() << "diff.schema.json: " << v.json_pointer << ": " << v.message;

  std::string case_dir = fs::canonical(dir).string();
  std::string text = portable(proctor::plan::delta_text(delta), case_dir);
  std::string json_text = portable(j.dump(2) + "\n", case_dir);
  // The verdict lists are reread's, so they agree with the text's first lines.
  EXPECT_EQ(text.rfind(proctor::plan::reread_text(delta), 0), 0u);

  if (updating()) {
    write_text(dir / "diff.txt", text);
    write_text(dir / "diff.json", json_text);
    return;
  }
  EXPECT_EQ(text, read_text(dir / "diff.txt")) << "case " << GetParam();
  EXPECT_EQ(json_text, read_text(dir / "diff.json")) << "case " << GetParam();
}

TEST(DiffGoldenCases, AtLeastEight) { EXPECT_GE(case_names().size(), 8u); }

INSTANTIATE_TEST_SUITE_P(Diff, DiffGolden, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
