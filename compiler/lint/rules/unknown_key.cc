// P3001: Supervisor reads the options it knows and silently ignores every
// other key, so a misspelt `autorestrat=true` is simply lost.

#include <fmt/format.h>

#include "compiler/base/edit_distance.h"
#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

// Edit distance is quadratic; a hostile file can have 100k odd keys, so
// suggestions are only computed for plausible key lengths, a bounded number
// of times.
constexpr std::size_t kMaxSuggestLength = 40;
constexpr int kSuggestBudget = 500;

// Where else the key is valid ("socket" in a [program:x] belongs to
// [fcgi-program:x]), as a help text; "" when nowhere.
std::string other_section_help(std::string_view key, model::SectionKind here) {
  for (const auto& spec : model::section_specs()) {
    if (spec.kind == here || !model::find_option(spec.kind, key)) continue;
    return fmt::format("'{}' is an option of [{}{}], not of this section", key, spec.prefix,
                       spec.named ? "NAME" : "");
  }
  return "";
}

std::string help_for(std::string_view key, model::SectionKind kind, int& budget) {
  if (key.size() <= kMaxSuggestLength && budget > 0) {
    --budget;
    std::vector<std::string_view> names;
    for (const auto& o : model::section_spec(kind).options) names.push_back(o.name);
    if (auto near = closest_match(key, names)) return fmt::format("did you mean '{}'?", *near);
  }
  return other_section_help(key, kind);
}

}  // namespace

void check_unknown_key(const LintInput& in, DiagSink& sink) {
  int budget = kSuggestBudget;
  for (const auto& s : known_sections(in.store)) {
    // Extra keys of [rpcinterface:x] and [ctlplugin:x] are the factory's
    // keyword arguments; [DEFAULT] keys are inherited by every section and
    // cannot be judged against one of them.
    if (s.kind == model::SectionKind::kRpcInterface || s.kind == model::SectionKind::kCtlPlugin) continue;
    for (const auto& o : s.stored->options) {
      if (model::find_option(s.kind, o.key) || is_default_copy(in.store, o)) continue;
      auto& d = sink.report(DiagCode::P3001, o.key_range,
                            fmt::format("[{}] has no option '{}'; Supervisor ignores it", s.name,
                                        shorten(o.key)));
      d.help = help_for(o.key, s.kind, budget);
    }
  }
}

}  // namespace proctor::lint
