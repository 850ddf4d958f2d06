#include "compiler/graph/graph_problems.h"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "compiler/model/compile.h"
#include "compiler/model/value_types.h"
#include "compiler/plan/plan_json.h"
#include "compiler/plan/plan_source.h"

namespace proctor::graph {

namespace {

using Edits = std::map<std::string, std::vector<std::pair<std::size_t, std::size_t>>>;

bool only_dependency_errors(const DiagSink& sink) {
  bool any = false;
  for (const auto& d : sink.all()) {
    if (d.severity != Severity::kError) continue;
    if (d.code != DiagCode::P4001 && d.code != DiagCode::P4002) return false;
    any = true;
  }
  return any;
}

// The host as it is, except that every depends_on key read the first time
// is overwritten with x's of the same length: an unknown key, which
// Supervisor (and so the compiler) ignores.
class HidingHost : public model::Host {
 public:
  HidingHost(const model::Host& inner, Edits edits, std::map<std::string, std::string> texts)
      : inner_(inner), edits_(std::move(edits)), texts_(std::move(texts)) {}

  model::ReadResult read_file(const std::string& path) const override {
    model::ReadResult r = inner_.read_file(path);
    auto it = edits_.find(path);
    // Only the exact text the offsets were computed on is edited.
    if (!r.ok || it == edits_.end() || texts_.at(path) != r.text) return r;
    for (const auto& [offset, length] : it->second) r.text.replace(offset, length, length, 'x');
    return r;
  }
  bool exists(const std::string& p) const override { return inner_.exists(p); }
  bool is_dir(const std::string& p) const override { return inner_.is_dir(p); }
  bool is_executable(const std::string& p) const override { return inner_.is_executable(p); }
  std::vector<std::string> glob(const std::string& p) const override { return inner_.glob(p); }
  std::optional<std::int64_t> uid_for_name(const std::string& n) const override { return inner_.uid_for_name(n); }
  bool uid_exists(std::int64_t uid) const override { return inner_.uid_exists(uid); }
  std::optional<std::int64_t> primary_gid(std::int64_t uid) const override { return inner_.primary_gid(uid); }
  std::optional<std::int64_t> gid_for_name(const std::string& n) const override { return inner_.gid_for_name(n); }
  bool gid_exists(std::int64_t gid) const override { return inner_.gid_exists(gid); }
  std::int64_t current_uid() const override { return inner_.current_uid(); }
  std::string cwd() const override { return inner_.cwd(); }
  std::string hostname() const override { return inner_.hostname(); }
  std::string temp_dir() const override { return inner_.temp_dir(); }
  std::vector<std::pair<std::string, std::string>> environment() const override { return inner_.environment(); }

 private:
  const model::Host& inner_;
  Edits edits_;
  std::map<std::string, std::string> texts_;
};

std::vector<SourceRange> depends_on_keys(const syntax::IniStore& store) {
  std::vector<SourceRange> out;
  auto collect = [&](const syntax::StoredSection& s) {
    for (const auto& o : s.options)
      if (o.key == "depends_on") {
        out.push_back(o.key_range);
        out.insert(out.end(), o.overridden.begin(), o.overridden.end());
      }
  };
  collect(store.defaults());
  for (const auto& name : store.section_names()) collect(*store.section(name));
  return out;
}

HidingHost hiding_host(const model::Host& host, const SourceManager& sm, const syntax::IniStore& store) {
  Edits edits;
  std::map<std::string, std::string> texts;
  for (const auto& r : depends_on_keys(store)) {
    if (!r.valid()) continue;
    const std::string& text = sm.text(r.begin.file);
    std::size_t line_start = static_cast<std::size_t>(sm.line_text(r.begin.file, r.begin.line).data() - text.data());
    edits[sm.name(r.begin.file)].emplace_back(line_start + r.begin.column - 1, r.length);
    texts[sm.name(r.begin.file)] = text;
  }
  return HidingHost(host, std::move(edits), std::move(texts));
}

// As compiler/model/dependencies.cc reads them: program names separated by
// commas or whitespace.
std::vector<std::string> split_names(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : v) {
    if (c != ',' && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      cur += c;
      continue;
    }
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string program_of(const std::string& section) {
  return std::string(model::py_strip(std::string_view(section).substr(section.find(':') + 1)));
}

// Every edge as written, unknown targets and cycles included; a [group:x]
// depends_on applies to each member program, as in the compiler.
nlohmann::json raw_dependencies(const syntax::IniStore& store, const nlohmann::json& plan) {
  std::map<std::string, std::set<std::string>> graph;
  auto add = [&](const std::string& section, const std::string& from) {
    if (const auto* o = store.get(section, "depends_on"))
      for (auto& to : split_names(o->value)) graph[from].insert(to);
  };
  for (const auto& s : store.section_names())
    if (s.starts_with("program:") || s.starts_with("fcgi-program:") || s.starts_with("eventlistener:"))
      add(s, program_of(s));
  for (const auto& g : plan["groups"])
    if (std::string section = "group:" + g["name"].get<std::string>(); store.has_section(section))
      for (const auto& p : g["processes"]) add(section, program_of(p["section"]));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& [from, tos] : graph)
    for (const auto& to : tos) out.push_back({{"from", from}, {"to", to}});
  return out;
}

}  // namespace

GraphInput load_graph_input(const std::string& path, const model::Host& host, SourceManager& sm,
                            DiagSink& sink) {
  plan::LoadedPlan loaded = plan::load_plan(path, host, sm, sink);
  GraphInput out{loaded.plan, loaded.io_error, false};
  if (loaded.plan || loaded.io_error || !loaded.from_config || !only_dependency_errors(sink)) return out;
  SourceManager first_sm, second_sm;
  DiagSink first_sink, second_sink;
  model::CompileResult first = model::compile_config(path, host, first_sm, first_sink);
  HidingHost hiding = hiding_host(host, first_sm, first.store);
  model::CompileResult second = model::compile_config(path, hiding, second_sm, second_sink);
  if (!second.config) return out;
  nlohmann::json rebuilt = plan::to_json(*second.config, second_sm);
  rebuilt["dependencies"] = raw_dependencies(first.store, rebuilt);
  out.plan = std::move(rebuilt);
  out.dependency_problems = true;
  return out;
}

}  // namespace proctor::graph
