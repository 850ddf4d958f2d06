// Port of ServerOptions._processes_from_section: the options read once per
// section, then the per-process loop over numprocs with its growing set of
// expansion names.

#include <fmt/format.h>

#include <algorithm>

#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

struct SectionOptions {
  std::int64_t priority = 999;
  bool autostart = true;
  Autorestart autorestart = Autorestart::kUnexpected;
  std::int64_t startsecs = 1, startretries = 3, stopwaitsecs = 10;
  int stopsignal = 15;
  bool stopasgroup = false, killasgroup = false, redirect_stderr = false;
  std::vector<int> exitcodes{0};
  std::int64_t numprocs = 1, numprocs_start = 0;
  std::string environment;
  std::int64_t stdout_capture = 0, stderr_capture = 0;
  bool stdout_events = false, stderr_events = false;
  std::optional<std::string> serverurl, user;
  std::optional<std::int64_t> uid, umask;
  std::string process_name;
};

SectionOptions read_section_options(SectionReader& r, const FormatMapping& names) {
  SectionOptions o;
  auto integer = [&](std::string_view k, std::int64_t d) {
    return r.typed<std::int64_t>(k, names, py_int, DiagCode::P2004).value_or(d);
  };
  auto flag = [&](std::string_view k, bool d) {
    return r.typed<bool>(k, names, boolean, DiagCode::P2005).value_or(d);
  };
  auto bytes = [&](std::string_view k) {
    return r.typed<std::int64_t>(k, names, byte_size, DiagCode::P2010).value_or(0);
  };
  o.priority = integer("priority", 999);
  o.autostart = flag("autostart", true);
  o.autorestart = r.typed<Autorestart>("autorestart", names, autorestart, DiagCode::P2006)
                      .value_or(Autorestart::kUnexpected);
  o.startsecs = integer("startsecs", 1);
  o.startretries = integer("startretries", 3);
  o.stopsignal = r.typed<int>("stopsignal", names, signal_number, DiagCode::P2007).value_or(15);
  o.stopwaitsecs = integer("stopwaitsecs", 10);
  o.stopasgroup = flag("stopasgroup", false);
  // killasgroup defaults to stopasgroup, not to the table's "false".
  o.killasgroup = r.convert<bool>("killasgroup",
                                  r.get_or("killasgroup", o.stopasgroup ? "true" : "false", names),
                                  boolean, DiagCode::P2005)
                      .value_or(o.stopasgroup);
  o.exitcodes = r.typed<std::vector<int>>("exitcodes", names, exitcodes, DiagCode::P2008)
                    .value_or(std::vector<int>{0});
  o.redirect_stderr = flag("redirect_stderr", false);
  o.numprocs = integer("numprocs", 1);
  o.numprocs_start = integer("numprocs_start", 0);
  o.environment = r.get_unexpanded("environment").value_or("");
  o.stdout_capture = bytes("stdout_capture_maxbytes");
  o.stdout_events = flag("stdout_events_enabled", false);
  o.stderr_capture = bytes("stderr_capture_maxbytes");
  o.stderr_events = flag("stderr_events_enabled", false);
  o.serverurl = r.get("serverurl", names);
  if (o.serverurl) {
    std::string upper(py_strip(*o.serverurl));
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    if (upper == "AUTO") o.serverurl.reset();
  }
  o.user = r.get("user", names);
  if (o.user) {
    if (auto uid = lookup_uid(r.ctx().host, *o.user)) o.uid = *uid;
    else r.fail(DiagCode::P2015, "user", uid.error()).help = "create the user on this host, or remove user=";
  }
  o.umask = r.typed<std::int64_t>("umask", names, octal, DiagCode::P2009);
  std::string template_text = r.get_unexpanded("process_name").value_or("%(program_name)s");
  if (auto n = process_or_group_name(template_text)) o.process_name = *n;
  else r.fail(DiagCode::P2016, "process_name", n.error()).help = "process names may not contain ' ', ':' or '/'";
  return o;
}

// datatypes.logfile_name plus the per-channel options read with it.
LogChannel read_channel(SectionReader& r, std::string_view ch, const FormatMapping& names,
                        const FormatMapping& expansions, std::int64_t capture, bool events) {
  LogChannel c;
  c.capture_maxbytes = capture;
  c.events_enabled = events;
  std::string key = fmt::format("{}_logfile", ch);
  auto first = r.get_or(key, std::nullopt, names);
  if (first) {
    auto value = r.ctx().expand(*first, expansions, key, r.where(key), r.section());
    if (!value) {
      r.mark_failed();
    } else {
      std::string lower = *value;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (lower == "none" || lower == "off") {
        c.kind = LogChannel::Kind::kNone;
      } else if (lower == "auto") {
        c.kind = LogChannel::Kind::kAuto;
      } else if (lower == "syslog") {
        c.kind = LogChannel::Kind::kNone;
        c.syslog = true;  // overrides *_syslog below, as Supervisor does
      } else {
        c.kind = LogChannel::Kind::kPath;
        c.path = expand_home(*value, r.ctx().host);
        std::string dir = dirname(c.path);
        if (!dir.empty() && !r.ctx().host.is_dir(absolute_normalized(dir, r.ctx().cwd)))
          r.fail(DiagCode::P2013, key,
                 fmt::format("the directory '{}' of '{}' does not exist on this host", dir, *value))
              .help = "create the directory, or log elsewhere";
      }
    }
  }
  bool deprecated_syslog = c.syslog;
  c.backups = r.typed<std::int64_t>(key + "_backups", names, py_int, DiagCode::P2004).value_or(10);
  c.maxbytes = r.typed<std::int64_t>(key + "_maxbytes", names, byte_size, DiagCode::P2010).value_or(0);
  c.syslog = r.convert<bool>(fmt::format("{}_syslog", ch),
                             r.get_or(fmt::format("{}_syslog", ch), "false", names), boolean,
                             DiagCode::P2005)
                 .value_or(false);
  if (deprecated_syslog) {
    c.syslog = true;
    r.ctx().sink.report(DiagCode::P2102, r.where(key),
                        fmt::format("[{}] {}=syslog is deprecated and will be removed", r.section(), key))
        .help = fmt::format("use {}_syslog=true (and {}=NONE if no file is wanted)", ch, key);
    r.ctx().parse_warnings.push_back(fmt::format(
        "For [{}], {}=syslog but this is deprecated and will be removed.  Use {}_syslog=true to "
        "enable syslog instead.",
        r.section(), key, ch));
  }
  if (c.kind == LogChannel::Kind::kAuto && c.maxbytes == 0) {
    r.ctx().sink.report(DiagCode::P2103, r.where(key + "_maxbytes"),
                        fmt::format("[{}] {} is AUTO with {}_maxbytes=0, so it is never rotated",
                                    r.section(), key, key))
        .help = fmt::format("set {}_maxbytes to a limit such as 50MB", key);
    r.ctx().parse_warnings.push_back(fmt::format(
        "For [{}], AUTO logging used for {} without rollover, set maxbytes > 0 to avoid filling "
        "up filesystem unintentionally",
        r.section(), key));
  }
  return c;
}

bool process_less(const ProcessConfig& a, const ProcessConfig& b) {
  if (a.priority != b.priority) return a.priority < b.priority;
  return a.name < b.name;
}

}  // namespace

std::vector<ProcessConfig> read_processes(CompileContext& ctx, const std::string& section,
                                          SectionKind kind, const std::string& group_name) {
  SectionReader r(ctx, section, kind);
  std::string program_name(py_strip(section.substr(section.find(':') + 1)));
  FormatMapping common;
  common.set("here", ctx.here);
  common.set("program_name", program_name);
  common.set("host_node_name", ctx.hostname);
  common.set("group_name", group_name);
  SectionOptions o = read_section_options(r, common);

  if (o.numprocs > 1 && o.process_name.find("%(process_num)") == std::string::npos)
    r.fail(DiagCode::P2017, "process_name",
           fmt::format("numprocs is {}, so the process name template '{}' must contain "
                       "%(process_num) to make the names unique",
                       o.numprocs, o.process_name))
        .help = "for example: process_name=%(program_name)s_%(process_num)02d";
  if (o.stopasgroup && !o.killasgroup)
    r.fail(DiagCode::P2018, "killasgroup",
           "stopasgroup=true needs killasgroup=true (a group stopped by signal must also be "
           "killable as a group)")
        .help = "remove killasgroup= (it defaults to stopasgroup) or set it to true";
  if (!r.ok()) return {};

  std::vector<ProcessConfig> out;
  for (std::int64_t num = o.numprocs_start; num < o.numprocs_start + o.numprocs; ++num) {
    // Supervisor mutates one dict across iterations; names only accumulate.
    common.set("process_num", num);
    common.set("numprocs", o.numprocs);
    // Its `expansions` is a copy of that dict updated with ENV_*; the
    // process's own environment then updates both. As layers: `common` is
    // left alone until the iteration ends, `own_env` holds this process's
    // ENV_ names, and `names` is what `common` would be meanwhile.
    FormatMapping own_env;
    FormatMapping names = FormatMapping::layered(common, own_env);
    FormatMapping environ_over_common = FormatMapping::layered(common, ctx.environ);
    FormatMapping expansions = FormatMapping::layered(environ_over_common, own_env);

    ProcessConfig p;
    p.section = section;
    p.source = r.header();
    if (auto env = ctx.expand(o.environment, expansions, "environment", r.where("environment"), section)) {
      if (auto pairs = r.convert<EnvList>("environment", env, key_value_pairs, DiagCode::P2014))
        p.environment = *pairs;
    } else {
      r.mark_failed();
    }
    for (const auto& [k, v] : p.environment) own_env.set("ENV_" + k, v);
    p.directory = r.get("directory", names);
    p.stdout_log = read_channel(r, "stdout", names, expansions, o.stdout_capture, o.stdout_events);
    p.stderr_log = read_channel(r, "stderr", names, expansions, o.stderr_capture, o.stderr_events);
    if (o.redirect_stderr) {
      if (p.stderr_log.kind == LogChannel::Kind::kPath) {
        ctx.sink.report(DiagCode::P2104, r.where("stderr_logfile"),
                        fmt::format("[{}] stderr_logfile is ignored because redirect_stderr=true",
                                    section))
            .help = "remove stderr_logfile=, or set redirect_stderr=false";
        ctx.parse_warnings.push_back(fmt::format(
            "For [{}], redirect_stderr=true but stderr_logfile has also been set to a filename, "
            "the filename has been ignored",
            section));
      }
      p.stderr_log.kind = LogChannel::Kind::kNone;
      p.stderr_log.path.clear();
    }
    auto command = r.get("command", names);
    if (!command && r.ok())
      r.fail(DiagCode::P2019, "command", "every program needs a command")
          .help = "add command=/path/to/executable [args]";
    auto name = ctx.expand(o.process_name, expansions, "process_name", r.where("process_name"), section);
    if (!r.ok() || !name) return {};
    p.name = *name;
    p.command = command.value_or("");
    p.umask = o.umask;
    p.priority = o.priority;
    p.autostart = o.autostart;
    p.autorestart = o.autorestart;
    p.startsecs = o.startsecs;
    p.startretries = o.startretries;
    p.user = o.user;
    p.uid = o.uid;
    p.stopsignal = o.stopsignal;
    p.stopwaitsecs = o.stopwaitsecs;
    p.stopasgroup = o.stopasgroup;
    p.killasgroup = o.killasgroup;
    p.exitcodes = o.exitcodes;
    p.redirect_stderr = o.redirect_stderr;
    p.serverurl = o.serverurl;
    for (const auto& [k, v] : p.environment) common.set("ENV_" + k, v);
    out.push_back(std::move(p));
  }
  std::stable_sort(out.begin(), out.end(), process_less);
  return out;
}

}  // namespace proctor::model
