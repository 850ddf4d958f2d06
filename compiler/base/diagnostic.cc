#include "compiler/base/diagnostic.h"

#include <fmt/format.h>

#include <algorithm>

namespace proctor {

namespace sev {
constexpr Severity error = Severity::kError;
constexpr Severity warning = Severity::kWarning;
constexpr Severity info = Severity::kInfo;
}  // namespace sev

const std::vector<DiagCodeInfo>& all_diag_codes() {
  static const std::vector<DiagCodeInfo> table = {
#define X(code, severity, name, summary) {DiagCode::code, #code, sev::severity, name, summary},
#include "compiler/base/diag_codes.def"
#undef X
  };
  return table;
}

const DiagCodeInfo& info(DiagCode code) {
  return all_diag_codes().at(static_cast<std::size_t>(code));
}

const DiagCodeInfo* find_diag_code(std::string_view id_or_name) {
  for (const auto& c : all_diag_codes())
    if (c.id == id_or_name || c.name == id_or_name) return &c;
  return nullptr;
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::kNote: return "note";
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "error";
}

Diagnostic& DiagSink::report(DiagCode code, SourceRange range, std::string message) {
  std::string key = fmt::format("{}:{}:{}:{}:{}:{}", static_cast<int>(code), range.begin.file,
                                range.begin.line, range.begin.column, range.length, message);
  auto [it, fresh] = seen_.emplace(std::move(key), diags_.size());
  if (!fresh) return diags_[it->second];
  diags_.push_back({code, info(code).severity, std::move(message), range, {}, {}, {}});
  return diags_.back();
}

void DiagSink::merge(DiagSink&& later) {
  for (Diagnostic& d : later.diags_) {
    std::size_t held = diags_.size();
    Diagnostic& into = report(d.code, d.range, d.message);
    if (diags_.size() > held) {
      into = std::move(d);
      continue;
    }
    for (DiagNote& n : d.notes) into.notes.push_back(std::move(n));
    if (!d.help.empty()) into.help = std::move(d.help);
    if (!d.supervisor_message.empty()) into.supervisor_message = std::move(d.supervisor_message);
  }
  later.diags_.clear();
  later.seen_.clear();
}

std::size_t DiagSink::error_count() const {
  return std::count_if(diags_.begin(), diags_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

}  // namespace proctor
