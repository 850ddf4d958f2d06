// P3023: every [group:x] that lists a program gets its own copy of the
// program's processes, so a program in two groups runs twice (two
// processes with the same name, in two groups), and listing it twice in
// one group is at best noise.

#include <fmt/format.h>

#include <unordered_map>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

struct Listing {
  std::string group;
  SourceRange where;
};

bool is_program(const LintInput& in, const std::string& name) {
  return in.store.has_section("program:" + name) || in.store.has_section("fcgi-program:" + name);
}

}  // namespace

void check_program_in_several_groups(const LintInput& in, DiagSink& sink) {
  std::unordered_map<std::string, Listing> first;
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kGroup) continue;
    const auto* programs = option(in, s.name, "programs");
    if (!programs) continue;
    bool verbatim = verbatim_value(in, *programs);
    for (const auto& item : listed_programs(programs->value)) {
      if (!is_program(in, item.name)) continue;  // the compiler's P2020
      SourceRange where = value_sub_range(*programs, verbatim, item.offset, item.name.size());
      auto [it, added] = first.emplace(item.name, Listing{s.name, where});
      if (added) continue;
      bool same = it->second.group == s.name;
      auto& d = sink.report(DiagCode::P3023, where,
                            same ? fmt::format("[{}] lists '{}' twice", s.name, item.name)
                                 : fmt::format("'{}' is a member of [{}] and of [{}]; Supervisor "
                                               "runs a separate copy of it in each group",
                                               item.name, it->second.group, s.name));
      d.notes.push_back({fmt::format("first listed in [{}] here", it->second.group), it->second.where});
      d.help = same ? "list each program once" : "list each program in one group only";
    }
  }
}

}  // namespace proctor::lint
