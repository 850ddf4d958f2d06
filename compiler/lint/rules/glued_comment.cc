// P3006: configparser only starts an inline comment at ';' or '#' preceded
// by whitespace, so `autostart=true;comment` keeps ";comment" in the value.
// Typed values (integers, booleans, ...) can never contain ';' or '#', so
// there any glued one is reported; in free text only a run of ';'/'#'
// followed by a space and more words looks like a comment, and quoted text
// is skipped. ';' in `command` is left to P3007 (shell syntax).

#include <fmt/format.h>

#include <cctype>
#include <optional>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

bool typed_kind(const model::OptionSpec* spec) {
  if (!spec) return false;
  using K = model::ValueKind;
  switch (spec->kind) {
    case K::kInteger: case K::kBoolean: case K::kAutorestart: case K::kByteSize:
    case K::kOctal: case K::kSignal: case K::kExitcodes: case K::kLoglevel:
    case K::kPort: case K::kUser: case K::kUserGroup:
      return true;
    default:
      return false;
  }
}

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// After the run of comment characters at `i`: whitespace, then text.
bool comment_follows(std::string_view v, std::size_t i) {
  while (i < v.size() && (v[i] == ';' || v[i] == '#')) ++i;
  if (i >= v.size() || !is_space(v[i])) return false;
  while (i < v.size() && is_space(v[i])) ++i;
  return i < v.size();
}

// Offset of the glued comment character, if the value has one.
std::optional<std::size_t> glued_at(std::string_view key, std::string_view v, bool typed) {
  // A value that starts with the character ("user=#user#") is a template
  // placeholder more often than a comment: judge it like free text.
  if (!v.empty() && (v[0] == ';' || v[0] == '#')) typed = false;
  char quote = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (!typed && quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (!typed && (c == '"' || c == '\'')) {
      quote = c;
      continue;
    }
    if (c != ';' && c != '#') continue;
    if (i > 0 && is_space(v[i - 1])) continue;  // a continuation line's own comment
    if (c == ';' && key == "command") continue;
    if (typed || comment_follows(v, i)) return i;
  }
  return std::nullopt;
}

void check_option(const LintInput& in, std::string_view section, const model::OptionSpec* spec,
                  const syntax::StoredOption& o, DiagSink& sink) {
  if (o.value.find_first_of(";#") == std::string::npos) return;
  auto at = glued_at(o.key, o.value, typed_kind(spec));
  if (!at) return;
  char c = o.value[*at];
  auto& d = sink.report(DiagCode::P3006, value_sub_range(in, o, *at, 1),
                        fmt::format("[{}] {}: '{}' has no whitespace before it, so it is part of "
                                    "the value '{}', not a comment",
                                    shorten(section), shorten(o.key), c, shorten(o.value)));
  d.help = fmt::format("put a space before '{}' to start a comment", c);
}

}  // namespace

void check_glued_comment(const LintInput& in, DiagSink& sink) {
  for (const auto& o : in.store.defaults().options) check_option(in, "DEFAULT", nullptr, o, sink);
  for (const auto& name : in.store.section_names()) {
    auto kind = model::classify_section(name);
    for (const auto& o : in.store.section(name)->options) {
      if (is_default_copy(in.store, o)) continue;  // reported on the [DEFAULT] line
      check_option(in, name, kind ? model::find_option(*kind, o.key) : nullptr, o, sink);
    }
  }
}

}  // namespace proctor::lint
