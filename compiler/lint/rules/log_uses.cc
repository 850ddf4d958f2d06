// log_uses(): the log file settings P3010 and P3011 judge, from the typed
// config or, when it did not compile, from the raw values.

#include <set>

#include "compiler/lint/rules/structure_rules.h"
#include "compiler/model/paths.h"
#include "compiler/model/value_types.h"

namespace proctor::lint {

namespace {

std::vector<LogUse> compiled(const model::Config& config) {
  std::vector<LogUse> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const LogSite& s : path_log_sites(config))
    if (seen.emplace(s.process->section, s.key).second)
      out.push_back({s.process->section, s.key, model::absolute_normalized(s.channel->path, config.cwd),
                     s.channel->maxbytes});
  const auto& sd = config.supervisord;
  if (sd.logfile != "syslog" && !sd.logfile.empty())
    out.push_back({"supervisord", "logfile", sd.logfile, sd.logfile_maxbytes});
  return out;
}

// A raw value that names a file as written: no expansion, not a keyword.
std::optional<std::string> raw_path(const LintInput& in, std::string_view section, std::string_view key) {
  const auto* o = option(in, section, key);
  if (!o) return std::nullopt;
  std::string v(model::py_strip(o->value));
  std::string l = lower(v);
  if (v.empty() || v.find("%(") != std::string::npos || l == "auto" || l == "none" || l == "off" ||
      l == "syslog")
    return std::nullopt;
  return v;
}

std::optional<std::int64_t> raw_maxbytes(const LintInput& in, std::string_view section,
                                         const std::string& key) {
  const auto* o = option(in, section, key + "_maxbytes");
  if (!o) return 50 * 1024 * 1024;  // Supervisor's default for every log
  auto v = model::byte_size(model::py_strip(o->value));
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

void add_raw(const LintInput& in, std::string_view section, const std::string& key,
             std::vector<LogUse>& out) {
  auto path = raw_path(in, section, key);
  auto max = raw_maxbytes(in, section, key);
  if (path && max) out.push_back({std::string(section), key, *path, *max});
}

std::vector<LogUse> raw(const LintInput& in) {
  std::vector<LogUse> out;
  for (const auto& s : known_sections(in.store)) {
    if (s.kind == model::SectionKind::kSupervisord) add_raw(in, s.name, "logfile", out);
    if (!is_process_kind(s.kind)) continue;
    add_raw(in, s.name, "stdout_logfile", out);
    const auto* redirect = option(in, s.name, "redirect_stderr");
    auto redirected = redirect ? model::boolean(redirect->value) : Expected<bool>(false);
    if (redirected && !*redirected) add_raw(in, s.name, "stderr_logfile", out);
  }
  return out;
}

}  // namespace

std::vector<LogUse> log_uses(const LintInput& in) { return in.config ? compiled(*in.config) : raw(in); }

}  // namespace proctor::lint
