// P3005: a key written twice in a section (or in two definitions of the
// same section, in any file) keeps only the last value; the earlier one is
// silently discarded.

#include <fmt/format.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

void report_overrides(const syntax::StoredSection& s, DiagSink& sink) {
  for (const auto& o : s.options) {
    if (o.overridden.empty()) continue;
    auto& d = sink.report(DiagCode::P3005, o.key_range,
                          fmt::format("[{}] '{}' is set {} times; the last value wins: '{}'",
                                      shorten(s.name), shorten(o.key), o.overridden.size() + 1,
                                      shorten(o.value)));
    for (const SourceRange& earlier : o.overridden)
      d.notes.push_back({"this earlier value is discarded", earlier});
    d.help = fmt::format("keep one '{}' line", shorten(o.key));
  }
}

}  // namespace

void check_duplicate_key(const LintInput& in, DiagSink& sink) {
  report_overrides(in.store.defaults(), sink);
  for (const auto& name : in.store.section_names()) report_overrides(*in.store.section(name), sink);
}

}  // namespace proctor::lint
