// P3022: %(ENV_X)s makes a config depend on supervisord's environment, which
// differs between a shell, systemd, cron and containers. Listing every such
// variable (and which are unset here) tells whoever deploys it what to set.

#include <fmt/format.h>

#include <map>
#include <tuple>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

using Uses = std::map<std::string, SourceRange>;  ///< name -> first use

bool earlier(const SourceRange& a, const SourceRange& b) {
  if (!b.valid()) return a.valid();
  if (!a.valid()) return false;
  return std::tuple(a.begin.file, a.begin.line, a.begin.column) <
         std::tuple(b.begin.file, b.begin.line, b.begin.column);
}

// Points at %(ENV_ inside a single-line value when the value is one line.
SourceRange at_offset(const syntax::StoredOption& o, std::size_t pos) {
  SourceRange r = o.value_range;
  if (!r.valid()) return o.key_range;
  if (std::string_view(o.value).substr(0, pos).find('\n') != std::string_view::npos) return r;
  std::size_t close = o.value.find(')', pos);
  r.begin.column += static_cast<std::uint32_t>(pos);
  r.length = static_cast<std::uint32_t>((close == std::string::npos ? o.value.size() : close + 2) - pos);
  return r;
}

void scan_option(const syntax::StoredOption& o, Uses& uses) {
  std::size_t pos = 0;
  while ((pos = o.value.find("%(ENV_", pos)) != std::string::npos) {
    std::size_t close = o.value.find(')', pos);
    if (close == std::string::npos) return;
    std::string name = o.value.substr(pos + 6, close - pos - 6);
    SourceRange r = at_offset(o, pos);
    auto [it, fresh] = uses.emplace(name, r);
    if (!fresh && earlier(r, it->second)) it->second = r;
    pos = close;
  }
}

Uses scan_store(const syntax::IniStore& store) {
  Uses uses;
  for (const auto& o : store.defaults().options) scan_option(o, uses);
  for (const auto& name : store.section_names())
    if (const auto* s = store.section(name))
      for (const auto& o : s->options) scan_option(o, uses);
  return uses;
}

bool provided(const LintInput& in, const std::string& name) {
  if (env_lookup(in.host.environment(), name)) return true;
  return in.config && env_lookup(in.config->supervisord.environment, name).has_value();
}

}  // namespace

void check_environment_variables_needed(const LintInput& in, DiagSink& sink) {
  Uses uses = scan_store(in.store);
  std::vector<std::string> names;
  if (in.config) names = in.config->env_used;
  else
    for (const auto& [n, _] : uses) names.push_back(n);
  if (names.empty()) return;
  SourceRange first;
  std::string list;
  for (const auto& n : names) {
    list += (list.empty() ? "" : ", ") + n;
    if (auto it = uses.find(n); it != uses.end() && earlier(it->second, first)) first = it->second;
  }
  auto& d = sink.report(DiagCode::P3022, first, "this config reads environment variables: " + list);
  for (const auto& n : names)
    if (!provided(in, n)) {
      auto it = uses.find(n);
      d.notes.push_back({n + " is not set here", it == uses.end() ? SourceRange{} : it->second});
    }
  d.help = "make sure supervisord is started with these variables set (systemd: Environment=, "
           "docker: -e)";
}

}  // namespace proctor::lint
