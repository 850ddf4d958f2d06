// P3008: Supervisor supervises the process it started. A command that forks
// into the background and exits looks like a crash, so Supervisor starts it
// again (and again, until FATAL) while the real daemon runs unsupervised.
// Only well-known programs and flags are matched; see docs/rules/P3008.md.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

using Args = std::vector<std::string>;

struct Cmd {
  std::string program;  ///< basename of the executable
  std::string path;     ///< the executable as written
  Args args;
};

bool has(const Args& a, std::string_view w) { return std::find(a.begin(), a.end(), w) != a.end(); }

// A short-option cluster ("-nf", "-De") that contains `letter`.
bool short_flag(const Args& a, char letter) {
  for (const auto& w : a)
    if (w.size() >= 2 && w[0] == '-' && w[1] != '-' && w.find(letter, 1) != std::string::npos) return true;
  return false;
}

bool contains(const Args& a, std::string_view text) {
  for (const auto& w : a)
    if (w.find(text) != std::string::npos) return true;
  return false;
}

// The value after `flag` ("-c FILE") or nullopt.
std::optional<std::string> value_of(const Args& a, std::string_view flag) {
  for (std::size_t i = 0; i + 1 < a.size(); ++i)
    if (a[i] == flag) return a[i + 1];
  return std::nullopt;
}

// True when a line of `text` reads "KEY VALUE", "KEY = VALUE" or
// "KEY VALUE;" (nginx, php-fpm and redis config syntax), ignoring case.
bool has_setting(std::string_view text, std::string_view key, std::string_view value) {
  auto is_sep = [](char ch) { return ch == ' ' || ch == '\t' || ch == '=' || ch == ';' || ch == '\r'; };
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::vector<std::string> tok;
    std::string cur;
    for (std::size_t i = start; i < end && tok.size() < 2; ++i) {
      if (!is_sep(text[i])) cur += text[i];
      else if (!cur.empty()) tok.push_back(lower(cur)), cur.clear();
    }
    if (!cur.empty() && tok.size() < 2) tok.push_back(lower(cur));
    if (tok.size() == 2 && tok[0] == key && tok[1] == value) return true;
    start = end + 1;
  }
  return false;
}

// Reads a config file the command names, when this host has it.
bool file_sets(const LintInput& in, const std::optional<std::string>& path, std::string_view key,
               std::string_view value) {
  if (!path || !path->starts_with("/")) return false;
  auto r = in.host.read_file(*path);
  return r.ok && has_setting(r.text, key, value);
}

std::optional<std::string> nginx(const LintInput& in, const Cmd& c) {
  if (contains(c.args, "daemon off") || short_flag(c.args, 't') || short_flag(c.args, 's') ||
      short_flag(c.args, 'v') || short_flag(c.args, 'V') || short_flag(c.args, 'T'))
    return std::nullopt;
  std::string conf = value_of(c.args, "-c").value_or("");
  if (conf.empty()) conf = "/etc/nginx/nginx.conf";
  if (file_sets(in, conf, "daemon", "off")) return std::nullopt;
  bool checked = conf.starts_with("/") && in.host.read_file(conf).ok;
  return fmt::format("nginx daemonizes by default, and neither the command nor {} sets `daemon "
                     "off;`{}",
                     conf, checked ? "" : " (the file could not be read here)");
}

std::optional<std::string> php_fpm(const LintInput& in, const Cmd& c) {
  if (short_flag(c.args, 'F') || has(c.args, "--nodaemonize") || short_flag(c.args, 't') ||
      short_flag(c.args, 'v') || short_flag(c.args, 'i') || short_flag(c.args, 'm'))
    return std::nullopt;
  auto conf = value_of(c.args, "-y");
  if (!conf) conf = value_of(c.args, "--fpm-config");
  for (const char* no : {"no", "false", "off", "0"})
    if (file_sets(in, conf, "daemonize", no)) return std::nullopt;
  return "php-fpm daemonizes by default (add -F / --nodaemonize, unless php-fpm.conf sets "
         "daemonize = no)";
}

std::optional<std::string> redis(const LintInput& in, const Cmd& c) {
  if (auto v = value_of(c.args, "--daemonize")) {
    if (lower(*v) == "yes") return "redis-server --daemonize yes forks into the background";
    return std::nullopt;
  }
  if (!c.args.empty() && !c.args[0].starts_with("-") && file_sets(in, c.args[0], "daemonize", "yes"))
    return fmt::format("{} sets `daemonize yes` (add --daemonize no)", c.args[0]);
  return std::nullopt;
}

// apachectl/apache2ctl only daemonize for start-like actions; httpd and
// apache2 always do, except for query flags (-t, -v, -S, ...).
std::optional<std::string> apache(const Cmd& c) {
  if (contains(c.args, "FOREGROUND") || has(c.args, "-X")) return std::nullopt;
  bool starts = has(c.args, "start") || has(c.args, "restart") || has(c.args, "graceful");
  if (c.program == "apachectl" || c.program == "apache2ctl") {
    if (!starts) return std::nullopt;
  } else {
    for (const char* q : {"-t", "-v", "-V", "-S", "-M", "-l", "-L", "-h"})
      if (has(c.args, q)) return std::nullopt;
    if (auto k = value_of(c.args, "-k"); k && !starts) return std::nullopt;
  }
  return "Apache forks into the background unless run with -DFOREGROUND";
}

// php-fpm, php-fpm8.2, php-fpm81, php8.2-fpm: PHP's FastCGI manager.
bool is_php_fpm(std::string_view p) {
  auto version = [](std::string_view v) { return v.find_first_not_of("0123456789.") == std::string_view::npos; };
  if (p.starts_with("php-fpm")) return version(p.substr(7));
  return p.starts_with("php") && p.ends_with("-fpm") && p.size() > 7 && version(p.substr(3, p.size() - 7));
}

std::optional<std::string> known_daemon(const LintInput& in, const Cmd& c) {
  const std::string& p = c.program;
  bool start = !c.args.empty() && (c.args.back() == "start" || c.args.back() == "restart");
  if (p == "service" && c.args.size() >= 2 && (c.args[1] == "start" || c.args[1] == "restart"))
    return "`service NAME start` starts the service in the background and returns";
  if (p == "systemctl" && (has(c.args, "start") || has(c.args, "restart")))
    return "`systemctl start` asks systemd to start the unit and returns";
  if ((c.path.starts_with("/etc/init.d/") || c.path.starts_with("/etc/rc.d/")) && start)
    return "an init script's `start` launches the daemon in the background and returns";
  if (p == "nginx" || p == "openresty") return nginx(in, c);
  if (is_php_fpm(p)) return php_fpm(in, c);
  if (p == "redis-server") return redis(in, c);
  if (p == "memcached" && has(c.args, "-d")) return "memcached -d runs as a daemon";
  if (p == "apachectl" || p == "apache2ctl" || p == "httpd" || p == "apache2") return apache(c);
  if (p == "sshd" && !short_flag(c.args, 'D') && !short_flag(c.args, 'd') && !short_flag(c.args, 't') &&
      !short_flag(c.args, 'T'))
    return "sshd detaches unless run with -D";
  if ((p == "cron" || p == "crond") && !short_flag(c.args, 'f') && !short_flag(c.args, 'n'))
    return "cron daemonizes unless run with -f (Debian, busybox) or -n (cronie)";
  if (p == "rsyslogd" && !short_flag(c.args, 'n') && !short_flag(c.args, 'N'))
    return "rsyslogd forks unless run with -n";
  if (p == "postfix" && !c.args.empty() && c.args[0] == "start")
    return "`postfix start` returns after starting the master (use `postfix start-fg`)";
  if ((p == "gunicorn" || p == "haproxy") && has(c.args, "-D"))
    return fmt::format("{} -D runs as a daemon", p);
  return std::nullopt;
}

// --daemon / -daemon / --daemonize[=yes] on any program; "--daemonize no"
// and "--daemon=false" turn it off.
std::optional<std::string> daemon_flag(const Cmd& c) {
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    std::string_view a = c.args[i];
    std::size_t eq = a.find('=');
    std::string_view name = a.substr(0, eq);
    if (name != "--daemon" && name != "-daemon" && name != "--daemonize" && name != "-daemonize") continue;
    std::string v = eq != std::string_view::npos ? lower(a.substr(eq + 1))
                                                 : (i + 1 < c.args.size() ? lower(c.args[i + 1]) : "");
    if (v == "no" || v == "false" || v == "off" || v == "0") continue;
    return fmt::format("{} asks {} to daemonize", name, c.program);
  }
  return std::nullopt;
}

// NAME=value, as a shell or env(1) reads a variable assignment.
bool is_assignment(std::string_view w) {
  std::size_t eq = w.find('=');
  if (eq == 0 || eq == std::string_view::npos || std::isdigit(static_cast<unsigned char>(w[0]))) return false;
  for (char ch : w.substr(0, eq))
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') return false;
  return true;
}

// `exec`, `env [-opts] [VAR=x ...]` and leading VAR=x assignments don't
// change which program ends up running.
Cmd strip_wrappers(const std::vector<std::string>& words) {
  std::size_t i = 0;
  bool after_env = false;
  while (i < words.size()) {
    const std::string& w = words[i];
    bool env = base_name(w) == "env";
    if (!(w == "exec" || env || is_assignment(w) || (after_env && w.starts_with("-")))) break;
    after_env = after_env || env;
    ++i;
  }
  Cmd c;
  if (i >= words.size()) return c;
  c.path = words[i];
  c.program = base_name(words[i]);
  c.args.assign(words.begin() + static_cast<std::ptrdiff_t>(i) + 1, words.end());
  return c;
}

std::vector<std::string> texts(const std::vector<Word>& words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(w.text);
  return out;
}

// The last simple command of a -c script: what the shell ends up running
// while Supervisor watches it ("setup && exec prog").
std::vector<std::string> last_command(const std::string& script) {
  std::vector<std::string> cur;
  for (auto& w : split_words(script)) {
    std::string t = w.text;
    bool sep_after = !t.empty() && w.quote.back() == Word::kNone && t.back() == ';';
    if (t == "&&" || t == "||" || t == "|" || t == ";") { cur.clear(); continue; }
    if (sep_after) t.pop_back();
    if (!t.empty()) cur.push_back(t);
    if (sep_after) cur.clear();
  }
  return cur;
}

std::optional<std::string> why_daemon(const LintInput& in, const std::vector<std::string>& words) {
  Cmd c = strip_wrappers(words);
  if (c.program.empty()) return std::nullopt;
  if (auto r = known_daemon(in, c)) return r;
  return daemon_flag(c);
}

void check_site(const LintInput& in, const CommandSite& site, DiagSink& sink) {
  if (site.command.size() > kMaxAnalysedCommand) return;
  std::vector<Word> words = split_words(site.command);
  if (words.empty()) return;
  std::optional<std::string> why;
  std::string needle = words[0].text;
  std::size_t offset = words[0].begin;
  if (auto script = shell_script_word(words)) {
    auto last = last_command(words[*script].text);
    why = why_daemon(in, last);
    if (!last.empty()) needle = last.front() == "exec" && last.size() > 1 ? last[1] : last.front();
    offset = site.command.find(needle, words[*script].begin);
  } else {
    why = why_daemon(in, texts(words));
  }
  if (!why) return;
  auto& d = sink.report(DiagCode::P3008, command_range(in, site, offset, needle),
                        fmt::format("[{}] command puts itself in the background: {}", site.section, *why));
  d.notes.push_back({"Supervisor sees the command exit, restarts it until it gives up (FATAL), "
                     "and the daemon it left behind runs unsupervised", {}});
  d.help = "run the program in the foreground (its no-daemon option), and let Supervisor do the "
           "daemonizing";
}

}  // namespace

void check_daemonizing_command(const LintInput& in, DiagSink& sink) {
  for (const auto& site : command_sites(in)) check_site(in, site, sink);
}

}  // namespace proctor::lint
