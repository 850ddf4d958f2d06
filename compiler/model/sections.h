#pragma once
// One reader per kind of section, each a port of the matching part of
// Supervisor's options.py. They report problems to the context's sink and
// return what they could read.

#include <optional>
#include <string>
#include <vector>

#include "compiler/model/config.h"
#include "compiler/model/context.h"

namespace proctor::model {

/// ServerOptions.read_config's [supervisord] part, including how
/// [supervisord] environment extends ENV_* for everything read later.
SupervisordConfig read_supervisord(CompileContext& ctx);

/// [rpcinterface:x] sections (get_plugins).
std::vector<PluginConfig> read_rpcinterfaces(CompileContext& ctx);

/// process_groups_from_parser: every group, in Supervisor's order.
std::vector<GroupConfig> read_groups(CompileContext& ctx);

/// _processes_from_section for one program-like section.
std::vector<ProcessConfig> read_processes(CompileContext& ctx, const std::string& section,
                                          SectionKind kind, const std::string& group_name);

/// server_configs_from_parser: inet servers, then unix servers.
std::vector<ServerConfig> read_servers(CompileContext& ctx);

/// ClientOptions.read_config: supervisorctl's own reading of the main file
/// (no includes, only the real environment). nullopt without [supervisorctl].
std::optional<SupervisorctlConfig> read_supervisorctl(CompileContext& ctx,
                                                      const syntax::IniStore& main_only);

/// A user name or uid that must exist (datatypes.name_to_uid).
Expected<std::int64_t> lookup_uid(const Host& host, std::string_view name);
/// "user[:group]" (datatypes.colon_separated_user_group).
Expected<std::pair<std::int64_t, std::int64_t>> lookup_user_group(const Host& host,
                                                                   std::string_view spec);
/// `$HOME` of the compiling process, for "~" expansion.
std::string home_dir(const Host& host);
/// os.path.expanduser; the environment is consulted only for a leading '~'.
std::string expand_home(std::string_view path, const Host& host);

}  // namespace proctor::model
