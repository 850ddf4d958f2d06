// Compiles every config under ../shared/oracle/cases and ../shared/corpus in
// the oracle's own environment and compares with the expected JSON beside
// it: the same verdict, and on acceptance every key the oracle printed must
// appear in our plan at the same path with the same value.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"
#include "tests/support/case_host.h"
#include "tests/support/json_compare.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Case {
  std::string dir;   ///< the folder the oracle ran in (cwd)
  std::string file;  ///< config path as given to the oracle
  std::string expected;
  std::string label;
};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Case> collect(const fs::path& folder) {
  std::vector<Case> out;
  if (!fs::is_directory(folder)) return out;
  for (const auto& e : fs::directory_iterator(folder)) {
    std::string name = e.path().filename().string();
    if (!name.ends_with(".conf") || !fs::exists(folder / (name.substr(0, name.size() - 5) + ".expected.json")))
      continue;
    Case c{folder.string(), name, (folder / (name.substr(0, name.size() - 5) + ".expected.json")).string(),
           folder.filename().string() + "/" + name};
    std::string text = read(e.path());
    if (auto pos = text.find("; oracle-cwd: "); pos != std::string::npos) {
      std::string rel = text.substr(pos + 14, text.find('\n', pos) - pos - 14);
      c.dir = fs::canonical(folder / rel).string();
      c.file = fs::relative(e.path(), c.dir).string();
    }
    out.push_back(c);
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.label < b.label; });
  return out;
}

std::vector<Case> all_cases() {
  fs::path shared = fs::path(PROCTOR_SOURCE_DIR) / ".." / "shared";
  auto cases = collect(shared / "oracle" / "cases");
  auto corpus = collect(shared / "corpus");
  cases.insert(cases.end(), corpus.begin(), corpus.end());
  return cases;
}

class OracleConformance : public ::testing::TestWithParam<Case> {};

TEST_P(OracleConformance, MatchesSupervisor) {
  const Case& c = GetParam();
  json expected = json::parse(read(c.expected));
  fs::path old_cwd = fs::current_path();
  fs::current_path(c.dir);
  proctor::testing::CaseHost host(proctor::testing::CaseHost::env_for(read(c.file)));
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  auto result = proctor::model::compile_config(c.file, host, sm, sink);
  fs::current_path(old_cwd);
  std::string diags;
  for (const auto& d : sink.all()) diags += proctor::render_text(d, sm, {});

  bool oracle_accepts = !expected.contains("error");
  if (!oracle_accepts) {
    EXPECT_FALSE(result.config.has_value())
        << c.label << ": Supervisor refuses it (" << expected["error"].get<std::string>()
        << ") but proctor accepted it";
    return;
  }
  ASSERT_TRUE(result.config.has_value()) << c.label << ": Supervisor accepts it but proctor said:\n" << diags;
  json plan = proctor::testing::portable(proctor::plan::to_json(*result.config, sm), result.config->here,
                                         result.config->cwd);
  std::vector<std::string> mismatches;
  proctor::testing::compare_superset(expected, plan, "", mismatches);
  std::string report;
  for (const auto& m : mismatches) report += "  " + m + "\n";
  EXPECT_TRUE(mismatches.empty()) << c.label << ":\n" << report;
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
  std::string n = info.param.label;
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Shared, OracleConformance, ::testing::ValuesIn(all_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(OracleConformance);

}  // namespace
