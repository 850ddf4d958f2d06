// Golden tests for `proctor graph`: every tests/golden/graph/<case>/ holds a
// config tree in input/ (main file input/supervisord.conf) and the expected
//
//   graph.dot   the DOT cgraph writes (view "all", no layout)
//   graph.json  the JSON graph (validated against schemas/graph.schema.json)
//   order.txt   what `proctor graph --order` prints
//
// Each case is loaded the way the command line loads it, with input/ as the
// working directory and "supervisord.conf" as the path; labels are relative
// to that directory, so the files do not depend on the machine. The goldens
// are written by another process than the one comparing them, which is what
// makes them a check of determinism. UPDATE_GOLDEN=1 rewrites them
// (scripts/update-goldens.sh); review with `git diff -- tests/golden/graph`.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/golden_files.h"
#include "compiler/graph/dot_builder.h"
#include "compiler/graph/graph_json.h"
#include "compiler/graph/graph_problems.h"
#include "compiler/graph/process_graph.h"
#include "compiler/plan/plan_schema.h"

namespace fs = std::filesystem;
using namespace proctor;

namespace {

using proctor::testing::ScopedCwd;
using proctor::testing::read_text;
using proctor::testing::updating;

fs::path golden_root() { return fs::path(PROCTOR_SOURCE_DIR) / "tests" / "golden" / "graph"; }

std::vector<std::string> case_names() {
  std::vector<std::string> out;
  if (!fs::is_directory(golden_root())) return out;
  for (const auto& e : fs::directory_iterator(golden_root()))
    if (fs::is_regular_file(e.path() / "input" / "supervisord.conf")) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

struct Loaded {
  graph::GraphInput input;
  graph::ProcessGraph graph;
};

Loaded load_case(const std::string& name) {
  ScopedCwd cwd(golden_root() / name / "input");
  model::PosixHost host(std::string("golden-host"));
  SourceManager sm;
  DiagSink sink;
  Loaded out{graph::load_graph_input("supervisord.conf", host, sm, sink), {}};
  if (out.input.plan) out.graph = graph::build_graph(*out.input.plan);
  return out;
}

class GraphGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(GraphGolden, MatchesExpectedFiles) {
  Loaded l = load_case(GetParam());
  ASSERT_TRUE(l.input.plan) << "nothing to draw";
  auto dot = graph::to_dot(l.graph);
  ASSERT_TRUE(dot) << dot.error();
  nlohmann::json doc = graph::to_json(l.graph);
  for (const auto& v : plan::validate_against("graph.schema.json", doc))
    ADD_FAILURE() << "schema: " << v.json_pointer << ": " << v.message;
  std::vector<std::pair<std::string, std::string>> files = {
      {"graph.dot", *dot}, {"graph.json", doc.dump(2) + "\n"}, {"order.txt", graph::order_text(l.graph.order)}};
  fs::path dir = golden_root() / GetParam();
  for (const auto& [file, actual] : files) {
    if (updating()) {
      std::ofstream(dir / file, std::ios::binary | std::ios::trunc) << actual;
      continue;
    }
    EXPECT_EQ(read_text(dir / file), actual) << file << " differs; UPDATE_GOLDEN=1 rewrites it";
  }
}

TEST_P(GraphGolden, DotIsDeterministicAndUnlaidOut) {
  Loaded a = load_case(GetParam()), b = load_case(GetParam());
  std::string da = *graph::to_dot(a.graph), db = *graph::to_dot(b.graph);
  EXPECT_EQ(da, db);
  EXPECT_EQ(da.find("pos="), std::string::npos);
  EXPECT_EQ(da.find("bb="), std::string::npos);
}

TEST_P(GraphGolden, RendersSvg) {
  Loaded l = load_case(GetParam());
  auto svg = graph::render(l.graph, "svg");
  ASSERT_TRUE(svg) << svg.error();
  EXPECT_NE(svg->find("<svg"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Graph, GraphGolden, ::testing::ValuesIn(case_names()),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

TEST(GraphProblems, CycleIsDrawnRed) {
  Loaded l = load_case("08-dependency-cycle");
  EXPECT_TRUE(l.input.dependency_problems);
  int red = 0;
  for (const auto& e : l.graph.edges) red += e.problem == graph::Problem::kCycle;
  EXPECT_EQ(red, 2);  // queue -> worker and back; worker -> store is not on it
  ASSERT_EQ(l.graph.order.cycles.size(), 1u);
  EXPECT_EQ(l.graph.order.cycles[0], (std::vector<std::string>{"queue", "worker"}));
}

TEST(GraphProblems, DanglingTargetGetsAPlaceholder) {
  Loaded l = load_case("09-dangling-dependency");
  EXPECT_TRUE(l.input.dependency_problems);
  auto it = std::find_if(l.graph.edges.begin(), l.graph.edges.end(),
                         [](const auto& e) { return e.problem == graph::Problem::kDangling; });
  ASSERT_NE(it, l.graph.edges.end());
  EXPECT_EQ(it->to, "missing:databse");
  EXPECT_NE(graph::to_dot(l.graph)->find("style=dashed"), std::string::npos);
}

TEST(GraphViews, IncludesViewHasOnlyFiles) {
  Loaded l = load_case("05-include-tree");
  graph::ProcessGraph files = graph::select_view(l.graph, graph::View::kIncludes);
  ASSERT_EQ(files.nodes.size(), 4u);
  for (const auto& n : files.nodes) EXPECT_EQ(n.kind, graph::NodeKind::kFile);
  ASSERT_EQ(files.edges.size(), 3u);
  EXPECT_EQ(files.edges[2].label, "extra/*.ini");
  EXPECT_EQ(files.nodes[3].label, "extra/gamma.ini");
  graph::ProcessGraph procs = graph::select_view(l.graph, graph::View::kProcesses);
  for (const auto& n : procs.nodes) EXPECT_NE(n.kind, graph::NodeKind::kFile);
}

}  // namespace
