#pragma once
// The runtime rules (commands, security, dependencies, environment) and the
// command helpers several of them share (command_words.cc).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lint/rule_helpers.h"

namespace proctor::lint {

void check_shell_syntax_in_command(const LintInput& in, DiagSink& sink);          // P3007
void check_daemonizing_command(const LintInput& in, DiagSink& sink);              // P3008
void check_unauthenticated_inet_server(const LintInput& in, DiagSink& sink);      // P3015
void check_plaintext_password(const LintInput& in, DiagSink& sink);               // P3016
void check_world_writable_socket(const LintInput& in, DiagSink& sink);            // P3017
void check_explicit_root_user(const LintInput& in, DiagSink& sink);               // P3018
void check_missing_rpcinterface(const LintInput& in, DiagSink& sink);             // P3019
void check_serverurl_mismatch(const LintInput& in, DiagSink& sink);               // P3020
void check_priority_contradicts_dependency(const LintInput& in, DiagSink& sink);  // P3021
void check_environment_variables_needed(const LintInput& in, DiagSink& sink);     // P3022
void check_command_not_found(const LintInput& in, DiagSink& sink);                // P3025
void check_command_not_executable(const LintInput& in, DiagSink& sink);           // P3026

/// One program-like section's command: expanded when the config compiled
/// (first process of the section), else the raw value.
struct CommandSite {
  std::string section;
  std::string command;
  const syntax::StoredOption* option = nullptr;  ///< the `command` option, if any
  const model::ProcessConfig* process = nullptr;  ///< nullptr without a Config
};

/// Every [program:x], [fcgi-program:x] and [eventlistener:x] with a command.
std::vector<CommandSite> command_sites(const LintInput& in);

/// Commands longer than this are not analysed word by word: no real
/// command is, and hostile input must stay fast.
inline constexpr std::size_t kMaxAnalysedCommand = 64 * 1024;

/// A word of shlex.split(command) (POSIX mode, no comments), remembering for
/// each character where it was in the command and how it was quoted.
struct Word {
  enum Quote : char { kNone = 0, kSingle = 's', kDouble = 'd', kEscaped = 'e' };
  std::string text;
  std::vector<std::size_t> pos;  ///< offset in the command of each char of text
  std::vector<char> quote;       ///< Quote of each char of text
  std::size_t begin = 0;         ///< offset where the word starts (quotes included)
};
std::vector<Word> split_words(std::string_view command);

/// Index of the word that is a shell script run with `-c` (sh -c, bash -lc,
/// su -c, ...), or nullopt.
std::optional<std::size_t> shell_script_word(const std::vector<Word>& words);

/// os.path.basename.
std::string base_name(std::string_view path);

/// Where to point at `offset` of the site's command: exact when the command
/// is the raw single-line value, else where `needle` appears in the raw
/// value, else the whole value (or the section header).
SourceRange command_range(const LintInput& in, const CommandSite& site, std::size_t offset,
                          std::string_view needle);

/// Where Supervisor would find a command's executable (process.py
/// get_execv_args), for --env-check. nullopt when there is nothing to check
/// (empty command, unexpanded %(...)s).
struct ResolvedProgram {
  std::string program;  ///< first word of the command
  std::string file;     ///< what would be exec'd (absolute), "" when not found
  bool searched = false;  ///< looked up on PATH (no '/' in program)
  std::string path;     ///< the PATH searched
};
std::optional<ResolvedProgram> resolve_program(const LintInput& in, const CommandSite& site);

/// A value as a name=value environment lookup (first match), or nullopt.
std::optional<std::string> env_lookup(const std::vector<std::pair<std::string, std::string>>& env,
                                      std::string_view name);

}  // namespace proctor::lint
