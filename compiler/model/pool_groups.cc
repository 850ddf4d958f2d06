// The [eventlistener:x] and [fcgi-program:x] parts of
// process_groups_from_parser: group-level options first, then processes.

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "compiler/base/edit_distance.h"
#include "compiler/model/importable.h"
#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

FormatMapping here_only(const CompileContext& ctx) {
  FormatMapping m;
  m.set("here", ctx.here);
  return m;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), ::toupper);
  return s;
}

std::vector<std::string> read_events(SectionReader& r, const FormatMapping& names) {
  std::set<std::string> unique;
  auto text = r.get_or("events", "", names);
  if (text && !text->empty()) {
    std::size_t start = 0;
    while (true) {
      std::size_t comma = text->find(',', start);
      unique.insert(upper(std::string(py_strip(std::string_view(*text).substr(start, comma - start)))));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (unique.empty()) {
    r.fail(DiagCode::P2025, "events", "an event listener pool must subscribe to at least one event type")
        .help = "add e.g. events=PROCESS_STATE";
    return {};
  }
  std::vector<std::string_view> known = event_type_names();
  for (const auto& e : unique) {
    if (std::find(known.begin(), known.end(), e) != known.end()) continue;
    auto& d = r.fail(DiagCode::P2026, "events", fmt::format("unknown event type '{}'", e));
    if (auto near = closest_match(e, known)) d.help = fmt::format("did you mean {}?", *near);
  }
  return {unique.begin(), unique.end()};
}

void read_one_eventlistener(CompileContext& ctx, const std::string& section,
                            std::vector<GroupConfig>& groups) {
  SectionReader r(ctx, section, SectionKind::kEventListener);
  FormatMapping names = here_only(ctx);
  GroupConfig g;
  g.type = GroupConfig::Type::kEventListener;
  g.name = section.substr(section.find(':') + 1);  // not stripped, as Supervisor does
  g.section = section;
  g.source = r.header();
  // Listeners start first and stop last by default.
  g.priority = r.convert<std::int64_t>("priority", r.get_or("priority", "-1", names), py_int,
                                       DiagCode::P2004)
                   .value_or(-1);
  g.buffer_size = r.typed<std::int64_t>("buffer_size", names, py_int, DiagCode::P2004).value_or(10);
  if (g.buffer_size < 1)
    r.fail(DiagCode::P2024, "buffer_size",
           fmt::format("must be at least 1, found {}", g.buffer_size));
  if (auto handler = r.get("result_handler", names)) {
    if (auto c = resolve_import(*handler)) g.result_handler = std::string(c->qualified);
    else
      r.fail(DiagCode::P2023, "result_handler",
             fmt::format("'{}' cannot be imported; proctor runs only Supervisor's default handler",
                         *handler))
          .help = "remove result_handler= to use supervisor.dispatchers:default_handler";
  }
  g.events = read_events(r, names);
  if (r.typed<bool>("redirect_stderr", names, boolean, DiagCode::P2005).value_or(false))
    r.fail(DiagCode::P2027, "redirect_stderr",
           "an event listener's stdout carries the listener protocol, so stderr cannot be "
           "redirected into it")
        .help = "remove redirect_stderr=true";
  if (!r.ok()) return;
  g.processes = read_processes(ctx, section, SectionKind::kEventListener, g.name);
  groups.push_back(std::move(g));
}

// parse_fcgi_socket: "unix://ABS" or exactly "tcp://HOST:PORT".
std::optional<FcgiSocket> parse_socket(SectionReader& r, const std::string& text,
                                       std::optional<std::int64_t> proc_uid, FcgiSocket s) {
  const Host& host = r.ctx().host;
  if (text.starts_with("unix://")) {
    std::string path = text.substr(7);
    if (!is_absolute(path)) {
      r.fail(DiagCode::P2030, "socket", fmt::format("unix socket path '{}' is not absolute", path));
      return std::nullopt;
    }
    s.url = "unix://" + absolute_normalized(expand_home(path, host), r.ctx().cwd);
    if (!s.owner && proc_uid && *proc_uid != host.current_uid())
      s.owner = std::pair{*proc_uid, host.primary_gid(*proc_uid).value_or(-1)};
    if (!s.mode) s.mode = 0700;
    return s;
  }
  if (s.owner || s.mode) {
    r.fail(DiagCode::P2028, s.mode ? "socket_mode" : "socket_owner",
           "socket_owner and socket_mode apply only to unix:// sockets")
        .help = "remove it, or use socket=unix:///path/to.sock";
    return std::nullopt;
  }
  std::string_view rest(text);
  auto colon = rest.rfind(':');
  bool ok = rest.starts_with("tcp://") && colon != std::string_view::npos && colon > 6;
  std::string_view hostpart = ok ? rest.substr(6, colon - 6) : "";
  std::string_view port = ok ? rest.substr(colon + 1) : "";
  ok = ok && !port.empty() && std::all_of(port.begin(), port.end(), ::isdigit) &&
       hostpart.find_first_of(" \t\n\r\f\v:") == std::string_view::npos;
  if (!ok) {
    r.fail(DiagCode::P2030, "socket",
           fmt::format("expected unix:///absolute/path or tcp://host:port, found '{}'", text));
    return std::nullopt;
  }
  std::int64_t p = py_int(port).value_or(0);
  if (p < 1 || p > 65535) {
    r.fail(DiagCode::P2030, "socket", fmt::format("port {} is outside 1-65535", p));
    return std::nullopt;
  }
  std::string lowered(hostpart);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
  s.url = fmt::format("tcp://{}:{}", lowered, p);
  return s;
}

void read_one_fcgi(CompileContext& ctx, const std::string& section, std::vector<GroupConfig>& groups) {
  SectionReader r(ctx, section, SectionKind::kFcgiProgram);
  FormatMapping names = here_only(ctx);
  GroupConfig g;
  g.type = GroupConfig::Type::kFcgi;
  g.section = section;
  g.source = r.header();
  auto name = process_or_group_name(section.substr(section.find(':') + 1));
  if (!name) {
    ctx.sink.report(DiagCode::P2016, r.header(), fmt::format("[{}]: {}", section, name.error()));
    return;
  }
  g.name = *name;
  g.priority = r.typed<std::int64_t>("priority", names, py_int, DiagCode::P2004).value_or(999);
  std::optional<std::int64_t> proc_uid;
  if (auto user = r.get("user", names)) {
    if (auto uid = lookup_uid(ctx.host, *user)) proc_uid = *uid;
    else r.fail(DiagCode::P2015, "user", uid.error());
  }
  FcgiSocket s;
  s.backlog = r.typed<std::int64_t>("socket_backlog", names, py_int, DiagCode::P2004);
  if (s.backlog && (*s.backlog < 1 || *s.backlog > 65535))
    r.fail(DiagCode::P2028, "socket_backlog", fmt::format("must be 1-65535, found {}", *s.backlog));
  if (auto owner = r.get("socket_owner", names)) {
    if (auto ug = lookup_user_group(ctx.host, *owner)) s.owner = *ug;
    else r.fail(DiagCode::P2028, "socket_owner", ug.error());
  }
  s.mode = r.typed<std::int64_t>("socket_mode", names, octal, DiagCode::P2028);
  FormatMapping socket_names = names;
  socket_names.set("program_name", g.name);
  auto socket = r.get("socket", socket_names);
  if (!socket || socket->empty()) {
    if (r.ok())
      r.fail(DiagCode::P2029, "socket", "an fcgi-program needs a socket")
          .help = "add socket=unix:///path/to/%(program_name)s.sock or socket=tcp://127.0.0.1:9000";
    return;
  }
  if (!r.ok()) return;
  auto parsed = parse_socket(r, *socket, proc_uid, s);
  if (!parsed) return;
  g.socket = *parsed;
  g.processes = read_processes(ctx, section, SectionKind::kFcgiProgram, g.name);
  groups.push_back(std::move(g));
}

}  // namespace

void read_eventlisteners(CompileContext& ctx, const std::vector<std::string>& sections,
                         std::vector<GroupConfig>& groups) {
  for (const auto& section : sections)
    if (section.starts_with("eventlistener:")) read_one_eventlistener(ctx, section, groups);
}

void read_fcgi_programs(CompileContext& ctx, const std::vector<std::string>& sections,
                        const std::set<std::string>& excluded, std::vector<GroupConfig>& groups) {
  for (const auto& section : sections)
    if (section.starts_with("fcgi-program:") && !excluded.count(section))
      read_one_fcgi(ctx, section, groups);
}

}  // namespace proctor::model
