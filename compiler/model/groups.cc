// Port of ServerOptions.process_groups_from_parser: [group:x] first, then
// the homogeneous program, eventlistener and fcgi-program groups, then
// Supervisor's stable sort by (priority, name).

#include <fmt/format.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "compiler/base/edit_distance.h"
#include "compiler/model/importable.h"
#include "compiler/model/parallel_sections.h"
#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

// datatypes.list_of_strings: split on ',' and strip; "" or absent -> [].
std::vector<std::string> list_of_strings(const std::optional<std::string>& v) {
  std::vector<std::string> out;
  if (!v || v->empty()) return out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = v->find(',', start);
    out.emplace_back(py_strip(std::string_view(*v).substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::optional<std::string> group_name(SectionReader& r, const std::string& section) {
  auto n = process_or_group_name(section.substr(section.find(':') + 1));
  if (n) return *n;
  r.ctx().sink.report(DiagCode::P2016, r.header(), fmt::format("[{}]: {}", section, n.error()))
      .help = "section names may not contain ' ', ':' or '/' after the prefix";
  r.mark_failed();
  return std::nullopt;
}

std::int64_t group_priority(SectionReader& r, const FormatMapping& names, std::string_view dflt) {
  return r.convert<std::int64_t>("priority", r.get_or("priority", dflt, names), py_int,
                                 DiagCode::P2004)
      .value_or(999);
}

FormatMapping here_only(const CompileContext& ctx) {
  FormatMapping m;
  m.set("here", ctx.here);
  return m;
}

struct HeterogeneousGroup {
  std::optional<GroupConfig> group;  ///< empty when the name is invalid
  std::vector<std::string> members;  ///< sections it takes from the plain readers
};

HeterogeneousGroup read_one_group(CompileContext& ctx, const std::vector<std::string>& sections,
                                  const std::string& section) {
  HeterogeneousGroup out;
  SectionReader r(ctx, section, SectionKind::kGroup);
  auto name = group_name(r, section);
  auto programs = list_of_strings(r.get("programs", here_only(ctx)));
  GroupConfig g;
  g.priority = group_priority(r, here_only(ctx), "999");
  g.section = section;
  g.source = r.header();
  for (const auto& program : programs) {
    std::string prog = "program:" + program, fcgi = "fcgi-program:" + program;
    bool has_prog = ctx.store.has_section(prog), has_fcgi = ctx.store.has_section(fcgi);
    if (!has_prog && !has_fcgi) {
      std::vector<std::string_view> known;
      for (const auto& s : sections)
        if (s.starts_with("program:") || s.starts_with("fcgi-program:"))
          known.push_back(std::string_view(s).substr(s.find(':') + 1));
      auto& d = r.fail(DiagCode::P2020, "programs",
                       fmt::format("'{}' names no [program:{}] or [fcgi-program:{}] section",
                                   program, program, program));
      if (auto near = closest_match(program, known)) d.help = fmt::format("did you mean '{}'?", *near);
      continue;
    }
    if (has_prog && has_fcgi) {
      r.fail(DiagCode::P2021, "programs",
             fmt::format("'{}' is ambiguous: both [program:{}] and [fcgi-program:{}] exist",
                         program, program, program));
      continue;
    }
    const std::string& member = has_prog ? prog : fcgi;
    out.members.push_back(member);
    if (!name) continue;
    auto procs = read_processes(ctx, member, SectionKind::kProgram, *name);
    g.processes.insert(g.processes.end(), procs.begin(), procs.end());
  }
  if (name) {
    g.name = *name;
    out.group = std::move(g);
  }
  return out;
}

// [group:x] sections, each read on its own like the programs below.
void read_heterogeneous(CompileContext& ctx, const std::vector<std::string>& sections,
                        std::set<std::string>& excluded, std::vector<GroupConfig>& groups) {
  std::vector<const std::string*> headers;
  for (const auto& section : sections)
    if (section.starts_with("group:")) headers.push_back(&section);
  std::vector<HeterogeneousGroup> read(headers.size());
  read_sections_in_parallel(ctx, headers.size(), [&](CompileContext& c, std::size_t i) {
    read[i] = read_one_group(c, sections, *headers[i]);
  });
  for (auto& h : read) {
    excluded.insert(h.members.begin(), h.members.end());
    if (h.group) groups.push_back(std::move(*h.group));
  }
}

std::optional<GroupConfig> read_program(CompileContext& ctx, const std::string& section) {
  SectionReader r(ctx, section, SectionKind::kProgram);
  auto name = group_name(r, section);
  GroupConfig g;
  g.priority = group_priority(r, here_only(ctx), "999");
  if (!name) return std::nullopt;
  g.name = *name;
  g.section = section;
  g.source = r.header();
  g.processes = read_processes(ctx, section, SectionKind::kProgram, *name);
  return g;
}

// Most of a big config is [program:x] sections, each read on its own.
void read_programs(CompileContext& ctx, const std::vector<std::string>& sections,
                   const std::set<std::string>& excluded, std::vector<GroupConfig>& groups) {
  std::vector<const std::string*> programs;
  for (const auto& section : sections)
    if (section.starts_with("program:") && !excluded.count(section)) programs.push_back(&section);
  std::vector<std::optional<GroupConfig>> read(programs.size());
  read_sections_in_parallel(ctx, programs.size(), [&](CompileContext& c, std::size_t i) {
    read[i] = read_program(c, *programs[i]);
  });
  for (auto& g : read)
    if (g) groups.push_back(std::move(*g));
}

}  // namespace

void read_eventlisteners(CompileContext& ctx, const std::vector<std::string>& sections,
                         std::vector<GroupConfig>& groups);
void read_fcgi_programs(CompileContext& ctx, const std::vector<std::string>& sections,
                        const std::set<std::string>& excluded, std::vector<GroupConfig>& groups);

std::vector<GroupConfig> read_groups(CompileContext& ctx) {
  std::vector<GroupConfig> groups;
  std::vector<std::string> sections = ctx.store.section_names();
  std::set<std::string> excluded;
  read_heterogeneous(ctx, sections, excluded, groups);
  read_programs(ctx, sections, excluded, groups);
  read_eventlisteners(ctx, sections, groups);
  read_fcgi_programs(ctx, sections, excluded, groups);
  // Sorted through indices: a GroupConfig is large, and stable_sort moves
  // each element many times.
  std::vector<std::size_t> order(groups.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (groups[a].priority != groups[b].priority) return groups[a].priority < groups[b].priority;
    return groups[a].name < groups[b].name;
  });
  std::vector<GroupConfig> sorted;
  sorted.reserve(groups.size());
  for (std::size_t i : order) sorted.push_back(std::move(groups[i]));
  return sorted;
}

}  // namespace proctor::model
