#include "compiler/graph/dot_builder.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

namespace proctor::graph {

namespace {

struct GraphCloser {
  void operator()(Agraph_t* g) const { agclose(g); }
};
struct ContextCloser {
  void operator()(GVC_t* c) const { gvFreeContext(c); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;
using ContextPtr = std::unique_ptr<GVC_t, ContextCloser>;

// cgraph keeps subgraphs ordered by object id, and its default id for a
// named object is the address of its interned name, so agwrite's order
// would follow malloc. Ids handed out in sequence make it creation order.
// Named objects get even ids and anonymous ones odd, as in cgraph's own
// discipline (agnameof relies on that split); names are interned with
// agstrdup because agwrite reads the interned header (is it HTML?).
struct IdState {
  Agraph_t* graph;
  std::map<std::string, IDTYPE> ids;
  std::map<IDTYPE, char*> names;
  IDTYPE next_named = 2;
  IDTYPE next_anonymous = 1;
};

void* id_open(Agraph_t* g, Agdisc_t*) { return new IdState{g, {}, {}}; }

long id_map(void* state, int, char* str, IDTYPE* id, int create) {
  auto* s = static_cast<IdState*>(state);
  if (!str) {
    *id = s->next_anonymous;
    s->next_anonymous += 2;
    return 1;
  }
  if (auto it = s->ids.find(str); it != s->ids.end()) {
    *id = it->second;
    return 1;
  }
  if (!create) return 0;
  *id = s->next_named;
  s->next_named += 2;
  s->ids.emplace(str, *id);
  s->names.emplace(*id, agstrdup(s->graph, str));
  return 1;
}

long id_alloc(void*, int, IDTYPE) { return 0; }
void id_free(void*, int, IDTYPE) {}
char* id_print(void* state, int, IDTYPE id) {
  auto& names = static_cast<IdState*>(state)->names;
  auto it = names.find(id);
  return it == names.end() ? nullptr : it->second;
}
void id_close(void* state) { delete static_cast<IdState*>(state); }
void id_register(void*, int, void*) {}

Agiddisc_t kSequentialIds = {id_open, id_map, id_alloc, id_free, id_print, id_close, id_register};
Agdisc_t kDisc = {&AgMemDisc, &kSequentialIds, &AgIoDisc};

// cgraph predates const: it copies every string it is given, so handing it
// a mutable copy is safe.
void set(void* obj, std::string name, std::string value) {
  std::string none;
  agsafeset(obj, name.data(), value.data(), none.data());
}

void set_all(void* obj, std::initializer_list<std::pair<const char*, const char*>> attrs) {
  for (const auto& [k, v] : attrs) set(obj, k, v);
}

const char* kFont = "Helvetica";
const char* kRed = "#d62728";

void style_node(Agnode_t* n, NodeKind kind) {
  switch (kind) {
    case NodeKind::kProgram: set_all(n, {{"style", "filled,bold"}, {"fillcolor", "#dbe8f6"}}); break;
    case NodeKind::kEventListener: set_all(n, {{"style", "filled,bold"}, {"fillcolor", "#f6e3c0"}}); break;
    case NodeKind::kProcess: set_all(n, {{"style", "rounded,filled"}, {"fillcolor", "white"}}); break;
    case NodeKind::kEventType:
      set_all(n, {{"shape", "ellipse"}, {"style", "filled"}, {"fillcolor", "#fff6da"}, {"fontsize", "9"}});
      break;
    case NodeKind::kSocket: set_all(n, {{"shape", "cds"}, {"style", "filled"}, {"fillcolor", "#dff0d8"}}); break;
    case NodeKind::kFile: set_all(n, {{"shape", "note"}, {"style", "filled"}, {"fillcolor", "#eeeeee"}}); break;
    case NodeKind::kMissing:
      set_all(n, {{"style", "dashed"}, {"color", kRed}, {"fontcolor", kRed}});
      break;
    case NodeKind::kGroup: break;
  }
}

// One look per edge kind, overridden by its problem. depends_on edges point
// up the start order, so they must not pull the ranks out of order.
void style_edge(Agedge_t* e, const Edge& edge) {
  switch (edge.kind) {
    case EdgeKind::kContains: set_all(e, {{"color", "#8c8c8c"}, {"arrowsize", "0.6"}}); break;
    case EdgeKind::kDependsOn:
      set_all(e, {{"color", "#2c6fbb"}, {"penwidth", "1.6"}, {"constraint", "false"}});
      break;
    case EdgeKind::kSubscribes: set_all(e, {{"color", "#b8860b"}, {"dir", "back"}}); break;
    case EdgeKind::kListensOn: set_all(e, {{"color", "#2e8b57"}}); break;
    case EdgeKind::kIncludes: set_all(e, {{"color", "#666666"}, {"fontsize", "9"}}); break;
  }
  if (!edge.label.empty()) set(e, "label", edge.label);
  if (edge.problem == Problem::kCycle) set_all(e, {{"color", kRed}, {"penwidth", "2.5"}});
  if (edge.problem == Problem::kDangling) set_all(e, {{"color", kRed}, {"style", "dashed"}});
}

std::string cluster_label(const std::string& group, const StartOrder& order) {
  for (const auto& s : order.start)
    if (s.group == group) {
      std::string kind = s.type == "eventlistener" ? "eventlistener " : s.type == "fcgi" ? "fcgi-program " : "";
      return kind + group + "  (priority " + std::to_string(s.priority) + ")";
    }
  return group;
}

class DotBuilder {
 public:
  explicit DotBuilder(const ProcessGraph& g) : g_(g) {}

  GraphPtr build() {
    std::string name = "proctor";
    GraphPtr root(agopen(name.data(), Agdirected, &kDisc));
    root_ = root.get();
    set_all(root_, {{"rankdir", "TB"}, {"newrank", "true"}, {"fontname", kFont}, {"fontsize", "11"},
                    {"nodesep", "0.25"}, {"ranksep", "0.35"}});
    default_attr(AGNODE, "shape", "box");
    default_attr(AGNODE, "fontname", kFont);
    default_attr(AGNODE, "fontsize", "10");
    default_attr(AGEDGE, "fontname", kFont);
    add_spine();
    add_nodes();
    add_edges();
    add_ranks();
    add_legend();
    return root;
  }

 private:
  void default_attr(int kind, std::string name, std::string value) {
    agattr(root_, kind, name.data(), value.data());
  }

  Agraph_t* subgraph(Agraph_t* parent, std::string name) { return agsubg(parent, name.data(), 1); }

  Agnode_t* node(Agraph_t* where, std::string id, const std::string& label) {
    Agnode_t* v = agnode(root_, id.data(), 1);
    if (where != root_) agsubnode(where, v, 1);
    set(v, "label", label);
    return v;
  }

  Agraph_t* cluster(const std::string& key, const std::string& label, const char* fill) {
    auto it = clusters_.find(key);
    if (it != clusters_.end()) return it->second;
    Agraph_t* c = subgraph(root_, "cluster_" + std::to_string(clusters_.size()));
    set_all(c, {{"style", "rounded,filled"}, {"fillcolor", fill}, {"color", "#9fb3c8"}});
    set(c, "label", label);
    return clusters_[key] = c;
  }

  void add_nodes() {
    for (const auto& n : g_.nodes) {
      if (n.kind == NodeKind::kGroup) {
        cluster(n.id, cluster_label(n.label, g_.order), "#f7f9fc");
        continue;
      }
      Agraph_t* where = root_;
      if (!n.group.empty()) where = clusters_.at(n.group);
      if (n.kind == NodeKind::kFile) where = cluster("files", "include tree", "#fafafa");
      Agnode_t* v = node(where, n.id, n.label);
      style_node(v, n.kind);
      nodes_[n.id] = v;
    }
  }

  // Groups are drawn as clusters, so their contains edges are the clusters'
  // borders rather than arrows.
  void add_edges() {
    for (const auto& e : g_.edges) {
      auto from = nodes_.find(e.from), to = nodes_.find(e.to);
      if (from == nodes_.end() || to == nodes_.end()) continue;
      style_edge(agedge(root_, from->second, to->second, nullptr, 1), e);
    }
  }

  // A spine of "start N / priority P" labels, one per band, each on the rank
  // of its groups' programs: the picture reads in start order, top down.
  // Created before everything else so dot puts it at the left.
  void add_spine() {
    bool groups_shown = std::any_of(g_.nodes.begin(), g_.nodes.end(),
                                    [](const Node& n) { return n.kind == NodeKind::kGroup; });
    if (!groups_shown) return;
    Agnode_t* prev = nullptr;
    for (std::size_t i = 0; i < g_.bands.size(); ++i) {
      std::string label = "start " + std::to_string(i + 1) + "\\npriority " + std::to_string(g_.bands[i].priority);
      Agnode_t* anchor = node(root_, "band:" + std::to_string(i), label);
      set_all(anchor, {{"shape", "plaintext"}, {"fontcolor", "#555555"}});
      // minlen 2: the next band starts below this band's processes.
      if (prev) set_all(agedge(root_, prev, anchor, nullptr, 1), {{"color", "#bbbbbb"}, {"minlen", "2"}});
      anchors_.push_back(anchor);
      prev = anchor;
    }
  }

  void add_ranks() {
    for (std::size_t i = 0; i < anchors_.size(); ++i) {
      Agraph_t* rank = subgraph(root_, "rank_" + std::to_string(i));
      set(rank, "rank", "same");
      agsubnode(rank, anchors_[i], 1);
      for (Agnode_t* m : band_members(g_.bands[i])) agsubnode(rank, m, 1);
    }
  }

  std::vector<Agnode_t*> band_members(const Band& band) {
    std::vector<Agnode_t*> out;
    for (const auto& n : g_.nodes)
      if ((n.kind == NodeKind::kProgram || n.kind == NodeKind::kEventListener) &&
          std::find(band.groups.begin(), band.groups.end(), n.group) != band.groups.end())
        out.push_back(nodes_.at(n.id));
    return out;
  }

  void add_legend();

  const ProcessGraph& g_;
  Agraph_t* root_ = nullptr;
  std::map<std::string, Agnode_t*> nodes_;
  std::map<std::string, Agraph_t*> clusters_;
  std::vector<Agnode_t*> anchors_;  ///< one per band
};

struct LegendEntry {
  EdgeKind kind;
  Problem problem;
  const char* text;
};

constexpr LegendEntry kLegend[] = {
    {EdgeKind::kContains, Problem::kNone, "contains"},
    {EdgeKind::kDependsOn, Problem::kNone, "depends on"},
    {EdgeKind::kDependsOn, Problem::kCycle, "dependency cycle"},
    {EdgeKind::kDependsOn, Problem::kDangling, "unknown depends_on target"},
    {EdgeKind::kSubscribes, Problem::kNone, "event subscription"},
    {EdgeKind::kListensOn, Problem::kNone, "fcgi socket"},
    {EdgeKind::kIncludes, Problem::kNone, "includes (files= pattern)"},
};

// A sample edge, drawn horizontally, for every kind of edge in the graph.
void DotBuilder::add_legend() {
  Agraph_t* legend = nullptr;
  Agnode_t* above = nullptr;
  for (const auto& entry : kLegend) {
    bool used = std::any_of(g_.edges.begin(), g_.edges.end(),
                            [&](const Edge& e) { return e.kind == entry.kind && e.problem == entry.problem; });
    if (!used) continue;
    if (!legend) legend = cluster("legend", "legend", "white");
    std::string id = "legend:" + std::to_string(&entry - kLegend);
    Agraph_t* row = subgraph(legend, id);
    set(row, "rank", "same");
    Agnode_t* a = node(row, id + ":from", "");
    Agnode_t* b = node(row, id + ":to", entry.text);
    set_all(a, {{"shape", "point"}, {"width", "0.05"}});
    set_all(b, {{"shape", "plaintext"}});
    Edge sample{"", "", entry.kind, "", entry.problem};
    Agedge_t* e = agedge(legend, a, b, nullptr, 1);
    style_edge(e, sample);
    set(e, "constraint", "true");  // a sample reads left to right, whatever its kind
    if (above) set(agedge(legend, above, a, nullptr, 1), "style", "invis");
    above = a;
  }
}

Expected<std::string> write_dot(Agraph_t* g) {
  char* buf = nullptr;
  std::size_t len = 0;
  FILE* f = ::open_memstream(&buf, &len);
  if (!f) return Expected<std::string>::failure("cannot allocate the DOT buffer");
  int rc = agwrite(g, f);
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  if (rc != 0) return Expected<std::string>::failure("cgraph could not write the graph");
  return out;
}

}  // namespace

Expected<std::string> to_dot(const ProcessGraph& g) {
  GraphPtr graph = DotBuilder(g).build();
  return write_dot(graph.get());
}

Expected<std::string> render(const ProcessGraph& g, std::string_view format) {
  ContextPtr gvc(gvContext());
  GraphPtr graph = DotBuilder(g).build();
  if (gvLayout(gvc.get(), graph.get(), "dot") != 0) {
    gvFreeLayout(gvc.get(), graph.get());
    return Expected<std::string>::failure("Graphviz could not lay out the graph");
  }
  char* data = nullptr;
  unsigned int len = 0;
  std::string fmt(format);
  int rc = gvRenderData(gvc.get(), graph.get(), fmt.c_str(), &data, &len);
  std::string out = rc == 0 && data ? std::string(data, len) : std::string();
  gvFreeRenderData(data);
  gvFreeLayout(gvc.get(), graph.get());
  if (rc != 0) return Expected<std::string>::failure("Graphviz has no '" + fmt + "' renderer here");
  return out;
}

}  // namespace proctor::graph
