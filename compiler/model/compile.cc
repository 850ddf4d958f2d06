#include "compiler/model/compile.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "compiler/base/parallel_for.h"
#include "compiler/model/dependencies.h"
#include "compiler/model/include_reader.h"
#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

// ServerOptions.realize's fallback URL for children: the first unix
// server, else the last inet server.
std::optional<std::string> fallback_serverurl(const std::vector<ServerConfig>& servers) {
  for (const auto& s : servers)
    if (!s.inet) return "unix://" + s.file;
  std::optional<std::string> url;
  for (const auto& s : servers)
    if (s.inet) url = fmt::format("http://{}:{}", s.host.empty() ? "localhost" : s.host, s.port);
  return url;
}

// Each process sees [supervisord] environment overlaid by its own. The
// global names are indexed once for all processes; a process's own names
// are unique (key_value_pairs builds a dict), so one the global list lacks
// is appended.
void merge_environments(const EnvList& global, std::vector<GroupConfig>& groups,
                        unsigned threads) {
  if (global.empty()) return;
  std::unordered_map<std::string_view, std::size_t> position;
  for (std::size_t i = 0; i < global.size(); ++i) position.emplace(global[i].first, i);
  auto merge_into = [&](ProcessConfig& p) {
    EnvList merged = global;
    for (auto& [k, v] : p.environment) {
      auto at = position.find(k);
      if (at != position.end()) merged[at->second].second = std::move(v);
      else merged.emplace_back(std::move(k), std::move(v));
    }
    p.environment = std::move(merged);
  };
  constexpr std::size_t kGroupsPerBatch = 256;
  parallel_for((groups.size() + kGroupsPerBatch - 1) / kGroupsPerBatch, threads, [&](std::size_t b) {
    for (std::size_t i = b * kGroupsPerBatch; i < std::min(groups.size(), (b + 1) * kGroupsPerBatch); ++i)
      for (auto& p : groups[i].processes) merge_into(p);
  });
}

// supervisord instantiates each factory per server; extras that the
// factory's signature cannot take make start-up fail.
std::optional<std::string> startup_error(const Config& c) {
  if (c.servers.empty()) return std::nullopt;
  for (const auto& p : c.rpcinterfaces)
    if (!p.extras.empty()) return fmt::format("Could not make {} rpc interface", p.name);
  return std::nullopt;
}

SourceRange startup_error_location(const CompileContext& ctx, const Config& c) {
  for (const auto& p : c.rpcinterfaces)
    if (!p.extras.empty())
      if (const auto* o = ctx.store.get("rpcinterface:" + p.name, p.extras.front().first))
        return o->key_range;
  return {};
}

}  // namespace

CompileResult compile_config(const std::string& configfile, const Host& host, SourceManager& sm,
                             DiagSink& sink, unsigned threads) {
  CompileResult result;
  std::string cwd = host.cwd();
  CompileContext ctx{host, sm, sink, result.store, configfile,
                     dirname(absolute_normalized(configfile, cwd)), cwd, host.hostname(),
                     {}, {}, {}, threads};
  for (const auto& [k, v] : host.environment()) ctx.environ.set("ENV_" + k, v);

  ReadFiles files = read_config_files(ctx, sm);
  result.io_error = files.io_error;
  result.files = files.files;
  if (!files.ok) return result;
  if (!ctx.store.has_section("supervisord")) {
    const auto& main_name = files.files.front().path;
    auto& d = sink.report(DiagCode::P2001, SourceRange{{0, 1, 1}, 0},
                          fmt::format("{} has no [supervisord] section, and none of its includes "
                                      "adds one",
                                      main_name));
    d.help = "add a [supervisord] line (an empty section uses every default)";
    return result;
  }

  Config c;
  c.configfile = configfile;
  c.here = ctx.here;
  c.cwd = cwd;
  c.includes = files.includes;
  c.parse_infos = files.parse_infos;
  c.files = files.files;
  c.supervisord = read_supervisord(ctx);
  c.rpcinterfaces = read_rpcinterfaces(ctx);
  c.groups = read_groups(ctx);
  merge_environments(c.supervisord.environment, c.groups, threads);
  c.servers = read_servers(ctx);
  c.serverurl = fallback_serverurl(c.servers);
  c.startup_error = startup_error(c);
  if (c.startup_error)
    sink.report(DiagCode::P2101, startup_error_location(ctx, c),
                *c.startup_error + ": supervisord would exit at start-up")
        .help = "[rpcinterface:supervisor] takes no options besides supervisor.rpcinterface_factory";
  c.supervisorctl = read_supervisorctl(ctx, files.main_only);
  resolve_dependencies(ctx, c);
  c.parse_warnings = std::move(ctx.parse_warnings);
  c.env_used.assign(ctx.env_used.begin(), ctx.env_used.end());
  if (!sink.has_errors()) result.config = std::move(c);
  return result;
}

}  // namespace proctor::model
