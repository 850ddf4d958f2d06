// P3007: Supervisor splits `command` with shlex and execve()s it; there is
// no shell, so pipes, redirections, $VAR and `&` reach the program as
// literal arguments. A shell's -c script is exempt: there the shell parses it.

#include <fmt/format.h>

#include <cctype>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

struct Finding {
  std::size_t index;  ///< character index in the word
  std::string token;  ///< what to quote in the message
  std::string what;   ///< "pipe", "redirection", ...
};

bool unquoted(const Word& w, std::size_t k) { return w.quote[k] == Word::kNone; }
// `$` and backticks still work inside double quotes in a shell.
bool expands(const Word& w, std::size_t k) {
  return w.quote[k] == Word::kNone || w.quote[k] == Word::kDouble;
}

// "<path to venv>/bin/x" in sample configs is a placeholder, not input
// redirection: '<' + letter ... letter + '>' with no space before the '>'.
bool is_placeholder(std::string_view cmd, std::size_t at) {
  if (at + 1 >= cmd.size() || !std::isalpha(static_cast<unsigned char>(cmd[at + 1]))) return false;
  std::size_t close = cmd.find_first_of("<>", at + 1);
  return close != std::string_view::npos && cmd[close] == '>' &&
         std::isalnum(static_cast<unsigned char>(cmd[close - 1]));
}

// Redirections only where a shell would see them: at the start of a word,
// after optional fd digits or '&' (2>&1, >>log, <in, &>all).
std::optional<Finding> redirection(const Word& w, std::string_view cmd) {
  std::size_t k = 0;
  while (k < w.text.size() && unquoted(w, k) && (std::isdigit(static_cast<unsigned char>(w.text[k])) || w.text[k] == '&')) ++k;
  if (k >= w.text.size() || !unquoted(w, k) || (w.text[k] != '>' && w.text[k] != '<')) return std::nullopt;
  if (w.text[k] == '<' && is_placeholder(cmd, w.pos[k])) return std::nullopt;
  return Finding{0, w.text, "redirection"};
}

// Command separators: a word that starts or ends with '|', '&&' anywhere,
// a lone or trailing '&', and ';' followed by more command.
std::optional<Finding> separator(const Word& w, bool last) {
  const std::string& t = w.text;
  std::size_t n = t.size();
  if (n == 0) return std::nullopt;
  if (unquoted(w, 0) && t[0] == '|') return Finding{0, t.substr(0, t.starts_with("||") ? 2 : 1), "pipe"};
  if (unquoted(w, n - 1) && t[n - 1] == '|') return Finding{n - 1, "|", "pipe"};
  for (std::size_t k = 0; k < n; ++k) {
    if (!unquoted(w, k)) continue;
    if (t[k] == '&' && k + 1 < n && t[k + 1] == '&' && unquoted(w, k + 1)) return Finding{k, "&&", "command list"};
    if (t[k] == ';' && (k + 1 < n || !last)) return Finding{k, ";", "command list"};
  }
  if (unquoted(w, n - 1) && t[n - 1] == '&' && (n == 1 || last)) return Finding{n - 1, "&", "background job"};
  return std::nullopt;
}

// $VAR, ${VAR}, $(cmd) and backticks.
std::optional<Finding> expansion(const Word& w) {
  const std::string& t = w.text;
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (!expands(w, k)) continue;
    if (t[k] == '`') return Finding{k, "`", "command substitution"};
    if (t[k] != '$' || k + 1 >= t.size()) continue;
    char c = t[k + 1];
    if (c == '(') return Finding{k, "$(", "command substitution"};
    if (c == '{' || c == '_' || std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t e = k + 1;
      while (e < t.size() && (std::isalnum(static_cast<unsigned char>(t[e])) || t[e] == '_' || t[e] == '{' || t[e] == '}')) ++e;
      return Finding{k, t.substr(k, e - k), "variable reference"};
    }
  }
  return std::nullopt;
}

std::optional<Finding> find_in_word(const Word& w, bool last, std::string_view cmd) {
  if (auto f = redirection(w, cmd)) return f;
  if (auto f = separator(w, last)) return f;
  return expansion(w);
}

std::string_view help_for(const std::string& what) {
  if (what == "variable reference")
    return "use %(ENV_NAME)s for supervisord's environment, or wrap the command in /bin/sh -c '...'";
  return "wrap the command in /bin/sh -c '...' (ideally with exec before the program) or move it "
         "into a script";
}

void check_site(const LintInput& in, const CommandSite& site, DiagSink& sink) {
  if (site.command.size() > kMaxAnalysedCommand) return;
  std::vector<Word> words = split_words(site.command);
  auto script = shell_script_word(words);
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (script && i == *script) continue;
    auto f = find_in_word(words[i], i + 1 == words.size(), site.command);
    if (!f) continue;
    std::size_t offset = words[i].pos[f->index];
    auto& d = sink.report(DiagCode::P3007, command_range(in, site, offset, f->token),
                          fmt::format("[{}] command contains '{}' ({}), but Supervisor runs it "
                                      "without a shell: the program gets it as a literal argument",
                                      site.section, f->token, f->what));
    d.help = std::string(help_for(f->what));
    return;  // one finding per command is enough to make the point
  }
}

}  // namespace

void check_shell_syntax_in_command(const LintInput& in, DiagSink& sink) {
  for (const auto& site : command_sites(in)) check_site(in, site, sink);
}

}  // namespace proctor::lint
