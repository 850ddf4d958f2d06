// Golden tests: every directory tests/golden/compile/<case>/ holds a config
// tree in input/ (main file input/supervisord.conf), an optional `env` file
// (KEY=VALUE lines added to a fixed environment) and the expected outputs:
//
//   plan.json        the plan, only when the config is accepted
//   diagnostics.txt  every diagnostic, render_text without color, in order
//
// The config is compiled in-process with the case's input/ as the working
// directory and "supervisord.conf" as the (relative) config path; the
// absolute input directory is written as @HERE@ (like the oracle's
// --portable), so the goldens do not depend on the machine.
//
// UPDATE_GOLDEN=1 rewrites the expected files instead of comparing
// (scripts/update-goldens.sh); review the result with `git diff`.
//
// A second test runs Supervisor itself (../shared/oracle/supervisor_dump.py)
// on every fixture when it is available: same verdict, and every key the
// oracle prints must be in the plan with the same value.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/golden_files.h"
#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"
#include "compiler/plan/plan_schema.h"
#include "compiler/plan/plan_text.h"
#include "tests/support/json_compare.h"
#include "tests/support/command_runner.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using proctor::testing::ScopedCwd;
using proctor::testing::read_text;
using proctor::testing::updating;
using proctor::testing::write_text;

using EnvList = std::vector<std::pair<std::string, std::string>>;

const char* const kHostname = "golden-host";

fs::path golden_root() { return fs::path(PROCTOR_SOURCE_DIR) / "tests" / "golden" / "compile"; }
fs::path oracle_script() { return fs::path(PROCTOR_SOURCE_DIR "/../shared/oracle/supervisor_dump.py"); }
const char* const kOraclePython = "/usr/bin/python3";

struct GoldenCase {
  std::string name;  ///< directory name, "001-inline-comments"
  fs::path dir;
};

// Names the case in gtest's failure lines instead of dumping its bytes.
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> golden_cases() {
  std::vector<GoldenCase> out;
  if (!fs::is_directory(golden_root())) return out;
  for (const auto& e : fs::directory_iterator(golden_root()))
    if (e.is_directory() && fs::is_directory(e.path() / "input"))
      out.push_back({e.path().filename().string(), e.path()});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

// PATH, HOME, LC_ALL as the oracle's case environment, plus the case's own
// `env` file (KEY=VALUE per line; blank lines and lines starting with '#'
// are ignored; a key given twice keeps its first position, last value).
EnvList case_env(const GoldenCase& c) {
  EnvList env = {{"PATH", "/usr/bin:/bin"}, {"HOME", "/tmp"}, {"LC_ALL", "C.UTF-8"}};
  std::istringstream in(read_text(c.dir / "env"));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    auto it = std::find_if(env.begin(), env.end(), [&](const auto& kv) { return kv.first == key; });
    if (it != env.end()) it->second = value;
    else env.emplace_back(key, value);
  }
  return env;
}

class GoldenHost : public proctor::model::PosixHost {
 public:
  explicit GoldenHost(EnvList env) : PosixHost(std::string(kHostname)), env_(std::move(env)) {}
  EnvList environment() const override { return env_; }
  std::string temp_dir() const override { return "/tmp"; }

 private:
  EnvList env_;
};

struct Outcome {
  bool accepted = false;
  std::string plan_text;    ///< portable plan; "" when rejected
  json plan;                ///< portable plan; null when rejected
  std::string diagnostics;  ///< rendered, portable
  std::vector<std::string> codes;  ///< ids of the error diagnostics ("P4001")
  std::vector<std::string> schema_violations;
  /// plan_text (what `proctor compile` writes), one or two worker threads,
  /// is byte for byte dump_plan(to_json()).
  bool text_matches_tree = false;
  /// Groups whose hash computed from the model (what a daemon's reread
  /// compares) differs from the one to_json put in the plan.
  std::vector<std::string> model_hash_mismatches;
};

Outcome compile_case(const GoldenCase& c) {
  Outcome out;
  GoldenHost host(case_env(c));
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  std::optional<proctor::model::Config> config;
  std::string abs_input;
  {
    ScopedCwd cwd(c.dir / "input");
    abs_input = fs::current_path().string();
    config = proctor::model::compile_config("supervisord.conf", host, sm, sink).config;
  }
  for (const auto& d : sink.all()) {
    out.diagnostics += proctor::render_text(d, sm, proctor::RenderOptions{false});
    if (d.severity == proctor::Severity::kError) out.codes.emplace_back(proctor::info(d.code).id);
  }
  out.diagnostics = proctor::testing::portable_text(out.diagnostics, abs_input, abs_input);
  if (!config) return out;
  out.accepted = true;
  json plan = proctor::plan::to_json(*config, sm);
  for (const auto& v : proctor::plan::validate_plan(plan))
    out.schema_violations.push_back(v.json_pointer + ": " + v.message);
  const std::string tree_text = proctor::plan::dump_plan(plan);
  out.text_matches_tree = true;
  for (unsigned threads : {1u, 2u}) {
    std::string text;
    for (const auto& chunk : proctor::plan::plan_text(*config, sm, threads).chunks) text += chunk;
    out.text_matches_tree = out.text_matches_tree && text == tree_text;
  }
  for (std::size_t i = 0; i < config->groups.size(); ++i)
    if (proctor::plan::group_hash(config->groups[i]) != plan["groups"][i]["hash"])
      out.model_hash_mismatches.push_back(config->groups[i].name);
  plan = proctor::testing::portable(plan, config->here, config->cwd);
  // A group's hash covers its settings, which may hold @HERE@ paths now:
  // recompute it so the golden does not depend on where the tree lives.
  for (auto& g : plan["groups"]) g["hash"] = proctor::plan::group_hash(g);
  out.plan = plan;
  out.plan_text = proctor::plan::dump_plan(plan);
  return out;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

// A small line diff (LCS) printed as hunks with 1-based line numbers of the
// expected (-) and actual (+) text, deletions first; stops after
// `max_lines` output lines.
std::string line_diff(const std::string& expected, const std::string& actual, std::size_t max_lines = 80) {
  auto a = split_lines(expected), b = split_lines(actual);
  if (expected == actual) return "";
  if (a == b) return "  (texts differ only in line endings or the final newline)\n";
  std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::uint32_t>> lcs(n + 1, std::vector<std::uint32_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out;
  std::size_t printed = 0, i = 0, j = 0;
  bool in_hunk = false;
  auto emit = [&](const std::string& s) {
    if (printed < max_lines) out += s + "\n";
    else if (printed == max_lines) out += "  ... (diff truncated)\n";
    ++printed;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      in_hunk = false;
      ++i, ++j;
    } else {
      if (!in_hunk) emit("@@ expected line " + std::to_string(i + 1) + ", actual line " + std::to_string(j + 1) + " @@");
      in_hunk = true;
      if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        emit("-" + std::to_string(i + 1) + "| " + a[i]);
        ++i;
      } else {
        emit("+" + std::to_string(j + 1) + "| " + b[j]);
        ++j;
      }
    }
  }
  return out;
}

std::string case_name(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string n = info.param.name;
  for (char& ch : n)
    if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return "c" + n;
}

// --- golden comparison -------------------------------------------------

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, MatchesExpectedOutput) {
  const GoldenCase& c = GetParam();
  Outcome got = compile_case(c);
  if (got.accepted) {
    EXPECT_TRUE(got.text_matches_tree) << c.name << ": plan_text differs from dump_plan(to_json())";
    EXPECT_TRUE(got.model_hash_mismatches.empty())
        << c.name << ": group_hash(model) differs from the plan's hash for group "
        << (got.model_hash_mismatches.empty() ? "" : got.model_hash_mismatches[0]);
  }
  EXPECT_TRUE(got.schema_violations.empty()) << c.name << ": the plan violates its schema:\n  "
                                             << (got.schema_violations.empty() ? "" : got.schema_violations[0]);
  fs::path plan_file = c.dir / "plan.json", diag_file = c.dir / "diagnostics.txt";
  if (updating()) {
    if (got.accepted) write_text(plan_file, got.plan_text);
    else if (fs::exists(plan_file)) fs::remove(plan_file);
    write_text(diag_file, got.diagnostics);
    return;
  }
  const std::string hint = "\n(if the change is deliberate: scripts/update-goldens.sh, then review git diff)";
  ASSERT_TRUE(fs::exists(diag_file)) << c.name << ": no diagnostics.txt" << hint;
  EXPECT_EQ(fs::exists(plan_file), got.accepted)
      << c.name << ": " << (got.accepted ? "proctor accepts the config but there is no plan.json"
                                         : "proctor rejects the config but plan.json exists")
      << "\ndiagnostics:\n" << got.diagnostics << hint;
  std::string want_diags = read_text(diag_file);
  EXPECT_TRUE(want_diags == got.diagnostics)
      << c.name << "/diagnostics.txt differs:\n" << line_diff(want_diags, got.diagnostics) << hint;
  if (got.accepted && fs::exists(plan_file)) {
    std::string want_plan = read_text(plan_file);
    EXPECT_TRUE(want_plan == got.plan_text)
        << c.name << "/plan.json differs:\n" << line_diff(want_plan, got.plan_text) << hint;
  }
}

INSTANTIATE_TEST_SUITE_P(Compile, Golden, ::testing::ValuesIn(golden_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(Golden);

// --- agreement with Supervisor itself ---------------------------------

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

struct OracleRun {
  int exit_code = -1;
  std::string out;
};

// env -i PATH=/usr/bin:/bin HOME=/tmp LC_ALL=C.UTF-8 [case env] python3
// supervisor_dump.py --portable --hostname golden-host supervisord.conf,
// run in the case's input/ directory.
OracleRun run_oracle(const GoldenCase& c) {
  std::string cmd = "cd " + shell_quote((c.dir / "input").string()) + " && env -i";
  for (const auto& [k, v] : case_env(c)) cmd += " " + shell_quote(k + "=" + v);
  cmd += std::string(" ") + kOraclePython + " " + shell_quote(oracle_script().string()) +
         " --portable --hostname " + kHostname + " supervisord.conf 2>/dev/null";
  auto r = proctor::testing::run_shell(cmd);
  return {r.status, r.out};
}

class GoldenOracle : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenOracle, AgreesWithSupervisor) {
  if (!fs::exists(oracle_script()) || !fs::exists(kOraclePython))
    GTEST_SKIP() << "the Supervisor oracle is not available (" << oracle_script().string() << ")";
  const GoldenCase& c = GetParam();
  OracleRun oracle = run_oracle(c);
  ASSERT_TRUE(oracle.exit_code == 0 || oracle.exit_code == 1)
      << c.name << ": the oracle failed (exit " << oracle.exit_code << "); is supervisor installed?\n" << oracle.out;
  json want = json::parse(oracle.out, nullptr, false);
  ASSERT_FALSE(want.is_discarded()) << c.name << ": the oracle printed no JSON:\n" << oracle.out;
  Outcome got = compile_case(c);

  // A case with a `proctor-extension` file exercises something Supervisor
  // ignores (depends_on): Supervisor accepts it, proctor may refuse it but
  // only with its own P4xxx graph errors.
  if (fs::exists(c.dir / "proctor-extension")) {
    ASSERT_EQ(oracle.exit_code, 0) << c.name << ": Supervisor refuses the extension case:\n" << oracle.out;
    for (const auto& code : got.codes)
      EXPECT_TRUE(code.starts_with("P4")) << c.name << ": unexpected error " << code << ":\n" << got.diagnostics;
    if (!got.accepted) return;
  } else if (oracle.exit_code == 1) {
    EXPECT_FALSE(got.accepted) << c.name << ": Supervisor refuses it (" << want.value("error", std::string())
                               << ") but proctor accepted it";
    return;
  } else {
    ASSERT_TRUE(got.accepted) << c.name << ": Supervisor accepts it but proctor said:\n" << got.diagnostics;
  }
  std::vector<std::string> mismatches;
  proctor::testing::compare_superset(want, got.plan, "", mismatches);
  std::string report;
  for (const auto& m : mismatches) report += "  " + m + "\n";
  EXPECT_TRUE(mismatches.empty()) << c.name << ": the plan differs from Supervisor's values:\n" << report;
}

INSTANTIATE_TEST_SUITE_P(Compile, GoldenOracle, ::testing::ValuesIn(golden_cases()), case_name);
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(GoldenOracle);

}  // namespace
