// Helpers the command rules share: which commands the config runs, how
// Supervisor splits them (shlex.split, POSIX mode), and where to point.

#include <set>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

bool is_program_like(model::SectionKind k) {
  return k == model::SectionKind::kProgram || k == model::SectionKind::kFcgiProgram ||
         k == model::SectionKind::kEventListener;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Splits one word starting at `i`; returns the offset after it.
std::size_t split_one(std::string_view s, std::size_t i, Word& w) {
  auto add = [&](std::size_t at, char q) {
    w.text += s[at];
    w.pos.push_back(at);
    w.quote.push_back(q);
  };
  w.begin = i;
  char quote = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (quote == '\'') {
      if (c == '\'') quote = 0;
      else add(i, Word::kSingle);
    } else if (quote == '"') {
      if (c == '"') quote = 0;
      else if (c == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) add(++i, Word::kDouble);
      else add(i, Word::kDouble);
    } else if (is_space(c)) {
      break;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && i + 1 < s.size()) {
      add(++i, Word::kEscaped);
    } else {
      add(i, Word::kNone);
    }
  }
  return i;
}

bool is_shell_name(std::string_view base) {
  static const std::set<std::string_view> shells = {"sh", "bash", "zsh", "dash", "ksh", "ash", "mksh"};
  return shells.count(base) > 0;
}

// After a shell name: options up to -c (or a cluster containing c); `-o x`
// takes an argument; any other word is a script file, so no -c script.
std::optional<std::size_t> after_shell(const std::vector<Word>& words, std::size_t i) {
  for (std::size_t j = i + 1; j < words.size(); ++j) {
    const std::string& t = words[j].text;
    if (t == "-o" || t == "+o") { ++j; continue; }
    if (t.size() < 2 || (t[0] != '-' && t[0] != '+') || t == "--") return std::nullopt;
    if (t[1] != '-' && t.find('c') != std::string::npos)
      return j + 1 < words.size() ? std::optional(j + 1) : std::nullopt;
  }
  return std::nullopt;
}

// su/runuser run `-c SCRIPT` (or --command=SCRIPT) through the user's shell.
std::optional<std::size_t> after_su(const std::vector<Word>& words, std::size_t i) {
  for (std::size_t j = i + 1; j < words.size(); ++j) {
    const std::string& t = words[j].text;
    if (t.starts_with("--command=")) return j;
    if ((t == "-c" || t == "--command") && j + 1 < words.size()) return j + 1;
  }
  return std::nullopt;
}

}  // namespace

std::vector<CommandSite> command_sites(const LintInput& in) {
  std::vector<CommandSite> out;
  if (in.config) {
    std::set<std::string> seen;
    for (const auto& g : in.config->groups)
      for (const auto& p : g.processes)
        if (seen.insert(p.section).second)
          out.push_back({p.section, p.command, option(in, p.section, "command"), &p});
    return out;
  }
  for (const auto& s : known_sections(in.store)) {
    if (!is_program_like(s.kind)) continue;
    if (const auto* o = option(in, s.name, "command")) out.push_back({s.name, o->value, o, nullptr});
  }
  return out;
}

std::vector<Word> split_words(std::string_view command) {
  std::vector<Word> out;
  std::size_t i = 0;
  while (i < command.size()) {
    if (is_space(command[i])) { ++i; continue; }
    Word w;
    i = split_one(command, i, w);
    out.push_back(std::move(w));
  }
  return out;
}

std::optional<std::size_t> shell_script_word(const std::vector<Word>& words) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string base = base_name(words[i].text);
    if (is_shell_name(base)) {
      if (auto j = after_shell(words, i)) return j;
    } else if (base == "su" || base == "runuser") {
      if (auto j = after_su(words, i)) return j;
    }
  }
  return std::nullopt;
}

std::string base_name(std::string_view path) {
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

SourceRange command_range(const LintInput& in, const CommandSite& site, std::size_t offset,
                          std::string_view needle) {
  if (!site.option) return option_range(in, site.section, "command");
  const auto& o = *site.option;
  SourceRange r = o.value_range.valid() ? o.value_range : o.key_range;
  if (!o.value_range.valid()) return r;
  std::string_view raw = o.value;
  std::size_t at = std::string_view::npos;
  if (raw == site.command) at = offset;
  else if (!needle.empty()) at = raw.find(needle);
  if (at == std::string_view::npos || at >= raw.size() || raw.substr(0, at).find('\n') != std::string_view::npos)
    return r;
  std::size_t line_end = raw.find('\n', at);
  std::size_t len = std::min(needle.empty() ? 1 : needle.size(),
                             (line_end == std::string_view::npos ? raw.size() : line_end) - at);
  r.begin.column += static_cast<std::uint32_t>(at);
  r.length = static_cast<std::uint32_t>(len);
  return r;
}

std::optional<std::string> env_lookup(const std::vector<std::pair<std::string, std::string>>& env,
                                      std::string_view name) {
  for (const auto& [k, v] : env)
    if (k == name) return v;
  return std::nullopt;
}

}  // namespace proctor::lint
