#include "compiler/base/diagnostic_render.h"

#include <fmt/format.h>

#include <algorithm>

namespace proctor {

namespace {

const char* severity_color(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;33m";
    case Severity::kInfo: return "\033[1;36m";
    case Severity::kNote: return "\033[1;32m";
  }
  return "";
}

std::string paint(const RenderOptions& o, const char* code, std::string_view text) {
  if (!o.color) return std::string(text);
  return fmt::format("{}{}\033[0m", code, text);
}

// Control characters would corrupt the terminal; tabs keep the caret aligned
// only if replaced by one space each.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (unsigned char c : line) out += (c < 0x20 || c == 0x7f) ? ' ' : static_cast<char>(c);
  return out;
}

// Messages quote the user's text; control bytes in it (NUL, ESC
// sequences) would reach the terminal raw, so they are shown as \xNN.
// Newlines inside messages (Supervisor's multi-line ones) are kept.
std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) out += fmt::format("\\x{:02x}", c);
    else out += static_cast<char>(c);
  }
  return out;
}

std::string location_prefix(const SourceRange& r, const SourceManager& sm) {
  if (!r.valid() || r.begin.file >= sm.size()) return "proctor";
  return fmt::format("{}:{}:{}", sm.name(r.begin.file), r.begin.line, r.begin.column);
}

std::string snippet(const SourceRange& r, const SourceManager& sm, const RenderOptions& o) {
  if (!r.valid() || r.begin.file >= sm.size()) return "";
  std::string_view line = sm.line_text(r.begin.file, r.begin.line);
  constexpr std::size_t kMaxShown = 200;  // a 10 MB line must not flood the terminal
  std::string shown = printable(line.substr(0, kMaxShown));
  if (line.size() > kMaxShown) shown += " ...";
  std::string num = std::to_string(r.begin.line);
  std::string pad(num.size(), ' ');
  std::size_t col = r.begin.column > 0 ? r.begin.column - 1 : 0;
  if (col > kMaxShown) return fmt::format("{} |\n{} | {}\n", pad, num, shown);
  std::size_t len = std::max<std::size_t>(1, std::min<std::size_t>(r.length, kMaxShown - std::min(col, kMaxShown)));
  std::string caret = std::string(col, ' ') + std::string(len, '^');
  return fmt::format("{} |\n{} | {}\n{} | {}\n", pad, num, shown, pad,
                     paint(o, severity_color(Severity::kError), caret));
}

}  // namespace

std::string render_text(const Diagnostic& d, const SourceManager& sm, const RenderOptions& o) {
  const auto& ci = info(d.code);
  std::string head = fmt::format("{}: {}: {}", location_prefix(d.range, sm),
                                 paint(o, severity_color(d.severity),
                                       fmt::format("{}[{}]", severity_name(d.severity), ci.id)),
                                 escaped(d.message));
  std::string out = head + "\n" + snippet(d.range, sm, o);
  for (const auto& n : d.notes) {
    if (n.range.valid())
      out += fmt::format("  = note: {} ({})\n", escaped(n.message), location_prefix(n.range, sm));
    else out += fmt::format("  = note: {}\n", escaped(n.message));
  }
  if (!d.help.empty()) out += fmt::format("  = help: {}\n", escaped(d.help));
  return out;
}

std::string render_summary(const std::vector<Diagnostic>& diags) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& d : diags) ++counts[static_cast<int>(d.severity)];
  std::vector<std::string> parts;
  auto add = [&](std::size_t n, const char* word) {
    if (n) parts.push_back(fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"));
  };
  add(counts[3], "error");
  add(counts[2], "warning");
  add(counts[1], "info");
  add(counts[0], "note");
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace proctor
