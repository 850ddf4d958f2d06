// P3024: `supervisorctl update` (and reread + add/remove) compares whole
// groups: when any member of a [group:x] changes, the group is removed and
// added again, so every member process is stopped and restarted, not only
// the one whose settings changed.

#include <fmt/format.h>

#include <set>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

void check_group_restarts_together(const LintInput& in, DiagSink& sink) {
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kGroup) continue;
    const auto* programs = option(in, s.name, "programs");
    if (!programs) continue;
    std::set<std::string> members;
    for (const auto& item : listed_programs(programs->value)) members.insert(item.name);
    if (members.size() < 2) continue;
    auto& d = sink.report(DiagCode::P3024, s.stored->header_range,
                          fmt::format("[{}] has {} member programs: `supervisorctl update` "
                                      "restarts all of them when any one of them changes",
                                      s.name, members.size()));
    d.help = "keep programs that must restart independently out of the group";
  }
}

}  // namespace proctor::lint
