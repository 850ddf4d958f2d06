#include <fmt/format.h>

#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

// datatypes.existing_dirpath: the directory part (resolved against the
// working directory) must exist; the value itself is returned ~-expanded.
std::optional<std::string> existing_dirpath(SectionReader& r, std::string_view key,
                                            const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  const Host& host = r.ctx().host;
  std::string expanded = expand_home(*v, host);
  std::string dir = dirname(expanded);
  if (dir.empty() || host.is_dir(absolute_normalized(dir, r.ctx().cwd))) return expanded;
  r.fail(DiagCode::P2013, key,
         fmt::format("the directory '{}' of '{}' does not exist on this host", dir, *v))
      .help = "create the directory, or point the option at an existing one";
  return std::nullopt;
}

std::optional<std::string> existing_directory(SectionReader& r, std::string_view key,
                                              const std::optional<std::string>& v) {
  if (!v) return std::nullopt;
  const Host& host = r.ctx().host;
  std::string expanded = expand_home(*v, host);
  if (host.is_dir(absolute_normalized(expanded, r.ctx().cwd))) return expanded;
  r.fail(DiagCode::P2012, key, fmt::format("'{}' is not an existing directory on this host", *v))
      .help = "create the directory, or point the option at an existing one";
  return std::nullopt;
}

}  // namespace

std::string expand_home(std::string_view path, const Host& host) {
  if (!path.starts_with('~')) return std::string(path);
  return expand_user(path, home_dir(host));
}

std::string home_dir(const Host& host) {
  for (const auto& [k, v] : host.environment())
    if (k == "HOME") return v;
  return "/";
}

Expected<std::int64_t> lookup_uid(const Host& host, std::string_view name) {
  if (auto n = py_int(name)) {
    if (host.uid_exists(*n)) return *n;
    return Expected<std::int64_t>::failure(fmt::format("no user with id {} exists on this host", *n));
  }
  if (auto uid = host.uid_for_name(std::string(name))) return *uid;
  return Expected<std::int64_t>::failure(fmt::format("no user named '{}' exists on this host", name));
}

Expected<std::pair<std::int64_t, std::int64_t>> lookup_user_group(const Host& host,
                                                                   std::string_view spec) {
  using R = Expected<std::pair<std::int64_t, std::int64_t>>;
  auto colon = spec.find(':');
  auto uid = lookup_uid(host, spec.substr(0, colon));
  if (!uid) return R::failure(uid.error());
  if (colon == std::string_view::npos) return std::pair<std::int64_t, std::int64_t>{*uid, -1};
  std::string_view group = spec.substr(colon + 1);
  std::optional<std::int64_t> gid;
  if (auto n = py_int(group)) {
    if (host.gid_exists(*n)) gid = *n;
  } else {
    gid = host.gid_for_name(std::string(group));
  }
  if (!gid) return R::failure(fmt::format("no group '{}' exists on this host", group));
  return std::pair<std::int64_t, std::int64_t>{*uid, *gid};
}

SupervisordConfig read_supervisord(CompileContext& ctx) {
  SectionReader r(ctx, "supervisord", SectionKind::kSupervisord);
  FormatMapping names;
  names.set("here", ctx.here);
  SupervisordConfig c;
  auto integer = [&](std::string_view k) {
    return r.typed<std::int64_t>(k, names, py_int, DiagCode::P2004).value_or(0);
  };
  auto flag = [&](std::string_view k) {
    return r.typed<bool>(k, names, boolean, DiagCode::P2005).value_or(false);
  };
  c.minfds = integer("minfds");
  c.minprocs = integer("minprocs");
  c.directory = existing_directory(r, "directory", r.get("directory", names));
  c.user = r.get("user", names);
  c.umask = r.typed<std::int64_t>("umask", names, octal, DiagCode::P2009).value_or(022);
  c.logfile = existing_dirpath(r, "logfile", r.get("logfile", names)).value_or("");
  c.logfile_maxbytes = r.typed<std::int64_t>("logfile_maxbytes", names, byte_size, DiagCode::P2010).value_or(0);
  c.logfile_backups = integer("logfile_backups");
  c.loglevel = r.typed<std::string>("loglevel", names, loglevel, DiagCode::P2011).value_or("info");
  c.pidfile = existing_dirpath(r, "pidfile", r.get("pidfile", names)).value_or("");
  c.identifier = r.get("identifier", names).value_or("supervisor");
  c.nodaemon = flag("nodaemon");
  c.silent = flag("silent");
  c.childlogdir = existing_directory(r, "childlogdir",
                                     r.get_or("childlogdir", ctx.host.temp_dir(), names))
                      .value_or("");
  c.nocleanup = flag("nocleanup");
  c.strip_ansi = flag("strip_ansi");

  // Expanded twice: once as an option, once more with host_node_name.
  if (auto env = r.get("environment", names)) {
    FormatMapping second = names;
    second.set("host_node_name", ctx.hostname);
    if (auto twice = ctx.expand(*env, with_environ(ctx.environ, second), "environment",
                                r.where("environment"), "supervisord")) {
      if (auto pairs = r.convert<EnvList>("environment", twice, key_value_pairs, DiagCode::P2014))
        c.environment = *pairs;
    }
  }
  for (const auto& [k, v] : c.environment) ctx.environ.set("ENV_" + k, v);

  if (c.logfile != "syslog" && !c.logfile.empty())
    c.logfile = absolute_normalized(expand_home(c.logfile, ctx.host), ctx.cwd);
  if (!c.pidfile.empty()) c.pidfile = absolute_normalized(c.pidfile, ctx.cwd);
  if (c.user) {
    if (auto uid = lookup_uid(ctx.host, *c.user)) {
      c.uid = *uid;
      c.gid = ctx.host.primary_gid(*uid);
    } else {
      r.fail(DiagCode::P2015, "user", uid.error()).help =
          "create the user on this host, or remove user= to keep supervisord's own user";
    }
  }
  return c;
}

}  // namespace proctor::model
