// P3004: configparser (strict=False, as Supervisor uses it) merges a
// repeated section header into the first one, in one file or across
// included files; the later keys silently replace the earlier ones.

#include <fmt/format.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

void report_reopened(const syntax::StoredSection& s, DiagSink& sink) {
  for (const SourceRange& again : s.reopened) {
    auto& d = sink.report(DiagCode::P3004, again,
                          fmt::format("[{}] is defined again; Supervisor merges it into the first "
                                      "definition, later keys replacing earlier ones",
                                      shorten(s.name)));
    d.notes.push_back({"first defined here", s.header_range});
    d.help = "keep one definition of the section";
  }
}

}  // namespace

void check_duplicate_section(const LintInput& in, DiagSink& sink) {
  report_reopened(in.store.defaults(), sink);
  for (const auto& name : in.store.section_names()) report_reopened(*in.store.section(name), sink);
}

}  // namespace proctor::lint
