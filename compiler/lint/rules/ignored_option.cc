// P3003: options Supervisor accepts but that cannot change anything where
// they are written:
//  - stderr_* log settings when redirect_stderr=true: the child's stderr is
//    the stdout pipe, so there is no stderr channel to apply them to
//    (stderr_logfile itself is the compiler's P2104);
//  - numprocs_start with a single process and no %(process_num) anywhere in
//    the section: the number it sets is never seen;
//  - priority of group members whose priorities are all equal: a
//    [group:x] member is ordered by the group's priority among groups, and
//    by its own only among the other members.

#include <fmt/format.h>

#include <map>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

constexpr std::string_view kStderrOptions[] = {"stderr_logfile_maxbytes", "stderr_logfile_backups",
                                               "stderr_capture_maxbytes", "stderr_events_enabled",
                                               "stderr_syslog"};

void redirected_stderr(const LintInput& in, const model::ProcessConfig& p, DiagSink& sink) {
  if (!p.redirect_stderr) return;
  for (auto key : kStderrOptions) {
    const auto* o = own_option(in, p.section, key);
    if (!o) continue;
    sink.report(DiagCode::P3003, o->key_range,
                fmt::format("[{}] {} has no effect: redirect_stderr=true sends stderr into the "
                            "stdout log",
                            p.section, key))
        .help = fmt::format("remove {}, or use the matching stdout_ option", key);
  }
}

bool section_uses_process_num(const LintInput& in, std::string_view section) {
  for (const auto* o : in.store.items(section))
    if (o->value.find("%(process_num)") != std::string::npos) return true;
  return false;
}

void lone_numprocs_start(const LintInput& in, const SectionRef& s, std::size_t process_count,
                         DiagSink& sink) {
  const auto* o = own_option(in, s.name, "numprocs_start");
  if (!o || process_count > 1 || section_uses_process_num(in, s.name)) return;
  sink.report(DiagCode::P3003, o->key_range,
              fmt::format("[{}] numprocs_start has no effect: there is one process and nothing "
                          "in the section uses %(process_num)",
                          s.name))
      .help = "remove numprocs_start, or set numprocs";
}

// Members of one [group:x] whose effective priorities are all equal: their
// explicit priority= orders nothing.
void equal_member_priorities(const LintInput& in, const model::GroupConfig& g, DiagSink& sink) {
  if (!g.section.starts_with("group:") || g.processes.empty()) return;
  for (const auto& p : g.processes)
    if (p.priority != g.processes.front().priority) return;
  for (const auto& p : g.processes) {
    const auto* o = own_option(in, p.section, "priority");
    if (!o) continue;
    auto& d = sink.report(DiagCode::P3003, o->key_range,
                          fmt::format("[{}] priority has no effect: the program is a member of "
                                      "[{}], which starts at the group's priority ({})",
                                      p.section, g.section, g.priority));
    d.notes.push_back({"a member's own priority only orders it among the group's members, and "
                       "they all have the same one",
                       g.source});
    d.help = fmt::format("set priority= in [{}] instead", g.section);
  }
}

}  // namespace

void check_ignored_option(const LintInput& in, DiagSink& sink) {
  if (!in.config) return;
  std::map<std::string, std::size_t> processes_per_section;
  for (const auto& g : in.config->groups) {
    equal_member_priorities(in, g, sink);
    for (const auto& p : g.processes) {
      ++processes_per_section[p.section];
      redirected_stderr(in, p, sink);
    }
  }
  for (const auto& s : known_sections(in.store))
    if (is_process_kind(s.kind) && processes_per_section.count(s.name))
      lone_numprocs_start(in, s, processes_per_section[s.name], sink);
}

}  // namespace proctor::lint
