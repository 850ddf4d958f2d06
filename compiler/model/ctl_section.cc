// ClientOptions.read_config: supervisorctl reads only the main file, with
// only the real environment (not [supervisord] environment), and refuses
// the file on its own terms without affecting supervisord's verdict.

#include <fmt/format.h>

#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

std::vector<PluginConfig> read_plugins(CompileContext& ctx, const syntax::IniStore& store,
                                       std::string_view prefix, std::string_view factory_key,
                                       SectionKind kind);

std::optional<SupervisorctlConfig> read_supervisorctl(CompileContext& ctx,
                                                      const syntax::IniStore& main_only) {
  if (!main_only.has_section("supervisorctl")) return std::nullopt;
  DiagSink own;
  syntax::IniStore store = main_only;
  CompileContext c{ctx.host, ctx.sm, own, store, ctx.configfile,
                   dirname(absolute_normalized(ctx.configfile, ctx.cwd)), ctx.cwd, ctx.hostname,
                   {}, {}, {}};
  for (const auto& [k, v] : ctx.host.environment()) c.environ.set("ENV_" + k, v);
  SectionReader r(c, "supervisorctl", SectionKind::kSupervisorctl);
  FormatMapping here;
  here.set("here", c.here);
  SupervisorctlConfig out;
  out.serverurl = r.get("serverurl", here).value_or("");
  if (out.serverurl.starts_with("unix://"))
    out.serverurl = "unix://" + absolute_normalized(expand_home(out.serverurl.substr(7), c.host), c.cwd);
  out.prompt = r.get("prompt", {}).value_or("supervisor");
  out.username = r.get("username", {});
  out.password = r.get("password", {});
  if (auto history = r.get("history_file", here); history && !history->empty())
    out.history_file = absolute_normalized(expand_home(*history, c.host), c.cwd);
  out.ctlplugins = read_plugins(c, main_only, "ctlplugin:", "supervisor.ctl_factory",
                                SectionKind::kCtlPlugin);
  ctx.env_used.insert(c.env_used.begin(), c.env_used.end());
  if (own.has_errors()) {
    const Diagnostic& first = own.all().front();
    SupervisorctlConfig failed;
    failed.error = first.supervisor_message.empty() ? first.message : first.supervisor_message;
    auto& d = ctx.sink.report(DiagCode::P2105, first.range,
                              "supervisorctl would refuse this file: " + failed.error.value());
    bool env = first.code == DiagCode::P2037 || first.code == DiagCode::P2002;
    d.help = env ? "supervisorctl expands [supervisorctl] with its own environment only; "
                   "[supervisord] environment= does not reach it, so export the variable where "
                   "supervisorctl runs or write the value literally"
                 : first.help;
    return failed;
  }
  return out;
}

}  // namespace proctor::model
