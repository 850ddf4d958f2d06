#include "compiler/lint/linter.h"

#include <algorithm>

#include "compiler/lint/rule.h"
#include "compiler/lint/suppression.h"
#include "compiler/model/compile.h"

namespace proctor::lint {

bool code_matches(DiagCode code, const std::vector<std::string>& patterns) {
  const auto& ci = info(code);
  for (const auto& p : patterns) {
    if (p == ci.name || p == "all") return true;
    if (!p.empty() && std::string_view(ci.id).starts_with(p)) return true;
  }
  return false;
}

LintReport lint_config(const std::string& path, const model::Host& host, SourceManager& sm,
                       const LintOptions& options) {
  LintReport report;
  report.config = path;
  DiagSink sink;
  model::CompileResult compiled = model::compile_config(path, host, sm, sink);
  report.io_error = compiled.io_error;
  if (!compiled.io_error) {
    LintInput in{sm, compiled.store, compiled.config ? &*compiled.config : nullptr, host,
                 options.env_check};
    for (const Rule& rule : all_rules()) rule.check(in, sink);
  }
  Suppressions suppressions(sm);
  for (const auto& d : sink.all()) {
    if (!options.select.empty() && !code_matches(d.code, options.select)) continue;
    if (code_matches(d.code, options.ignore)) continue;
    if (suppressions.suppressed(d)) continue;
    report.diagnostics.push_back(d);
  }
  std::stable_sort(report.diagnostics.begin(), report.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     auto key = [](const Diagnostic& d) {
                       return std::tuple(d.range.begin.file, d.range.begin.line, d.range.begin.column);
                     };
                     return key(a) < key(b);
                   });
  return report;
}

}  // namespace proctor::lint
