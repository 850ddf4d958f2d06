// P3002: Supervisor dispatches on section names it knows ("program:",
// "supervisord", ...) and ignores every other section, so [programs:web]
// or [supervisor] silently defines nothing.

#include <fmt/format.h>

#include <optional>

#include "compiler/base/edit_distance.h"
#include "compiler/lint/rules/structure_rules.h"
#include "compiler/model/value_types.h"

namespace proctor::lint {

namespace {

// Suggestions cost edit distances; a hostile file can have 100k sections.
constexpr std::size_t kMaxSuggestLength = 64;
constexpr int kSuggestBudget = 500;

std::vector<std::string_view> prefixes(bool named) {
  std::vector<std::string_view> out;
  for (const auto& s : model::section_specs()) {
    if (s.named != named) continue;
    std::string_view p = s.prefix;
    out.push_back(named ? p.substr(0, p.size() - 1) : p);  // "program:" -> "program"
  }
  return out;
}

// "program" (or a near miss) -> "program"; nullopt when nothing is close.
std::optional<std::string> near(std::string_view word, const std::vector<std::string_view>& names) {
  for (auto n : names)
    if (n == word) return std::string(n);
  return closest_match(word, names);
}

// The header the user probably meant: the type part lower-cased, stripped
// and matched against Supervisor's section types.
std::optional<std::string> suggestion(std::string_view name) {
  if (name.size() > kMaxSuggestLength) return std::nullopt;
  std::size_t colon = name.find(':');
  if (colon != std::string_view::npos) {
    std::string type = lower(model::py_strip(name.substr(0, colon)));
    std::string rest(model::py_strip(name.substr(colon + 1)));
    if (auto t = near(type, prefixes(true))) return *t + ":" + (rest.empty() ? "NAME" : rest);
    if (auto t = near(type, prefixes(false))) return *t;
    return std::nullopt;
  }
  std::string whole = lower(model::py_strip(name));
  if (auto t = near(whole, prefixes(false))) return *t;
  if (auto t = near(whole, prefixes(true))) return *t + ":NAME";
  // "[program web]": a space where the colon belongs.
  std::size_t space = whole.find(' ');
  if (space != std::string::npos)
    if (auto t = near(whole.substr(0, space), prefixes(true)))
      return *t + ":" + std::string(model::py_strip(std::string_view(whole).substr(space + 1)));
  return std::nullopt;
}

}  // namespace

void check_unknown_section(const LintInput& in, DiagSink& sink) {
  int budget = kSuggestBudget;
  for (const auto& name : in.store.section_names()) {
    if (model::classify_section(name)) continue;
    const syntax::StoredSection* s = in.store.section(name);
    auto& d = sink.report(DiagCode::P3002, s->header_range,
                          fmt::format("Supervisor does not know the section [{}] and ignores it",
                                      shorten(name)));
    if (budget-- <= 0) continue;
    if (auto fix = suggestion(name)) d.help = fmt::format("did you mean [{}]?", *fix);
  }
}

}  // namespace proctor::lint
