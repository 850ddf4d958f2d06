#include "compiler/graph/start_order.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace proctor::graph {

namespace {

// The dependency edges between groups, by index into the priority order.
struct GroupEdges {
  std::vector<std::set<std::size_t>> needs;       ///< i waits for these
  std::vector<std::set<std::size_t>> dependents;  ///< these wait for i
};

GroupEdges index_edges(const std::vector<OrderGroup>& groups) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < groups.size(); ++i) index.emplace(groups[i].name, i);
  GroupEdges e{std::vector<std::set<std::size_t>>(groups.size()),
               std::vector<std::set<std::size_t>>(groups.size())};
  for (std::size_t i = 0; i < groups.size(); ++i)
    for (const auto& need : groups[i].needs) {
      auto it = index.find(need);
      if (it == index.end() || it->second == i) continue;
      e.needs[i].insert(it->second);
      e.dependents[it->second].insert(i);
    }
  return e;
}

std::vector<std::string> names_of(const std::vector<OrderGroup>& groups,
                                  const std::set<std::size_t>& which) {
  std::vector<std::string> out;
  for (std::size_t i : which) out.push_back(groups[i].name);
  return out;
}

OrderStep make_step(const OrderGroup& g, std::vector<std::string> after, bool cycle) {
  std::vector<std::string> names;
  for (const auto& p : g.processes) names.push_back(p.name);
  return {g.name, g.type, g.priority, std::move(names), std::move(after), cycle};
}

// ProcessGroupBase.stop_all: sort (stable, by priority), then reverse.
std::vector<std::string> stop_sequence(std::vector<OrderProcess> processes) {
  std::stable_sort(processes.begin(), processes.end(),
                   [](const auto& a, const auto& b) { return a.priority < b.priority; });
  std::vector<std::string> out;
  for (auto it = processes.rbegin(); it != processes.rend(); ++it) out.push_back(it->name);
  return out;
}

// Kahn's algorithm taking the lowest ready index each time keeps Supervisor's
// own order wherever the dependencies allow it. When nothing is ready the
// remaining groups wait on each other; the earliest one goes anyway so a
// cycle is reported instead of looped on.
std::vector<std::size_t> topological(const GroupEdges& e) {
  std::vector<std::size_t> pending(e.needs.size());
  std::set<std::size_t> ready, waiting;
  for (std::size_t i = 0; i < e.needs.size(); ++i) {
    pending[i] = e.needs[i].size();
    (pending[i] == 0 ? ready : waiting).insert(i);
  }
  std::vector<std::size_t> order;
  while (!ready.empty() || !waiting.empty()) {
    auto& from = ready.empty() ? waiting : ready;
    std::size_t i = *from.begin();
    from.erase(from.begin());
    order.push_back(i);
    for (std::size_t d : e.dependents[i])
      if (--pending[d] == 0 && waiting.erase(d)) ready.insert(d);
  }
  return order;
}

class Tarjan {
 public:
  explicit Tarjan(const DependencyMap& g) : g_(g) {}

  std::vector<std::vector<std::string>> run() {
    for (const auto& [v, _] : g_)
      if (!index_.count(v)) visit(v);
    std::sort(out_.begin(), out_.end());
    return out_;
  }

 private:
  void visit(const std::string& v) {
    index_[v] = low_[v] = next_++;
    stack_.push_back(v);
    on_stack_.insert(v);
    if (auto it = g_.find(v); it != g_.end())
      for (const auto& w : it->second) {
        if (!index_.count(w)) {
          visit(w);
          low_[v] = std::min(low_[v], low_[w]);
        } else if (on_stack_.count(w)) {
          low_[v] = std::min(low_[v], index_[w]);
        }
      }
    if (low_[v] == index_[v]) pop_component(v);
  }

  void pop_component(const std::string& root) {
    std::vector<std::string> comp;
    std::string w;
    do {
      w = stack_.back();
      stack_.pop_back();
      on_stack_.erase(w);
      comp.push_back(w);
    } while (w != root);
    auto it = g_.find(root);
    bool self_loop = it != g_.end() && it->second.count(root);
    if (comp.size() < 2 && !self_loop) return;
    std::sort(comp.begin(), comp.end());
    out_.push_back(std::move(comp));
  }

  const DependencyMap& g_;
  std::map<std::string, std::size_t> index_, low_;
  std::size_t next_ = 0;
  std::vector<std::string> stack_;
  std::set<std::string> on_stack_;
  std::vector<std::vector<std::string>> out_;
};

std::vector<std::vector<std::string>> group_cycles(const std::vector<OrderGroup>& groups,
                                                   const GroupEdges& e) {
  DependencyMap names;
  std::map<std::string, std::size_t> rank;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    rank[groups[i].name] = i;
    for (std::size_t n : e.needs[i]) names[groups[i].name].insert(groups[n].name);
  }
  auto cycles = find_cycles(names);
  auto by_rank = [&](const std::string& a, const std::string& b) { return rank[a] < rank[b]; };
  for (auto& c : cycles) std::sort(c.begin(), c.end(), by_rank);
  std::sort(cycles.begin(), cycles.end(),
            [&](const auto& a, const auto& b) { return rank[a.front()] < rank[b.front()]; });
  return cycles;
}

std::string step_line(std::size_t n, const OrderStep& s) {
  std::string kind = s.type == "eventlistener" ? "eventlistener "
                     : s.type == "fcgi"        ? "fcgi-program "
                                               : "";
  std::string procs = s.processes.empty() ? "(no processes)" : fmt::format("{}", fmt::join(s.processes, ", "));
  std::string line = fmt::format("  {}. [priority {}] {}{}: {}", n, s.priority, kind, s.group, procs);
  if (!s.after.empty())
    line += fmt::format("   (after {}{})", fmt::join(s.after, ", "), s.cycle ? "; dependency cycle" : "");
  return line + "\n";
}

}  // namespace

StartOrder compute_start_order(const std::vector<OrderGroup>& groups) {
  GroupEdges e = index_edges(groups);
  std::vector<std::size_t> order = topological(e);
  StartOrder out;
  std::set<std::size_t> started;
  for (std::size_t i : order) {
    bool cycle = !std::includes(started.begin(), started.end(), e.needs[i].begin(), e.needs[i].end());
    out.start.push_back(make_step(groups[i], names_of(groups, e.needs[i]), cycle));
    started.insert(i);
  }
  for (std::size_t k = order.size(); k-- > 0;) {
    OrderStep s = out.start[k];
    s.processes = stop_sequence(groups[order[k]].processes);
    s.after = names_of(groups, e.dependents[order[k]]);
    out.stop.push_back(std::move(s));
  }
  out.cycles = group_cycles(groups, e);
  return out;
}

std::vector<std::vector<std::string>> find_cycles(const DependencyMap& graph) {
  return Tarjan(graph).run();
}

std::string order_text(const StartOrder& order) {
  std::string out = "start order:\n";
  for (std::size_t i = 0; i < order.start.size(); ++i) out += step_line(i + 1, order.start[i]);
  out += "stop order:\n";
  for (std::size_t i = 0; i < order.stop.size(); ++i) out += step_line(i + 1, order.stop[i]);
  if (!order.cycles.empty()) {
    out += "dependency cycles (started in priority order):\n";
    for (const auto& c : order.cycles) out += fmt::format("  {}\n", fmt::join(c, ", "));
  }
  return out;
}

}  // namespace proctor::graph
