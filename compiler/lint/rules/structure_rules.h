#pragma once
// The structure rules (unknown and duplicate keys and sections, options
// without effect, log settings, groups) and the helpers they share
// (structure_helpers.cc).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lint/rule_helpers.h"

namespace proctor::lint {

void check_unknown_key(const LintInput& in, DiagSink& sink);                    // P3001
void check_unknown_section(const LintInput& in, DiagSink& sink);                // P3002
void check_ignored_option(const LintInput& in, DiagSink& sink);                 // P3003
void check_duplicate_section(const LintInput& in, DiagSink& sink);              // P3004
void check_duplicate_key(const LintInput& in, DiagSink& sink);                  // P3005
void check_glued_comment(const LintInput& in, DiagSink& sink);                  // P3006
void check_shared_logfile(const LintInput& in, DiagSink& sink);                 // P3009
void check_device_log_rotation(const LintInput& in, DiagSink& sink);            // P3010
void check_unbounded_log(const LintInput& in, DiagSink& sink);                  // P3011
void check_exitcodes_without_autorestart(const LintInput& in, DiagSink& sink);  // P3012
void check_implausible_startsecs(const LintInput& in, DiagSink& sink);          // P3013
void check_cwd_relative_path(const LintInput& in, DiagSink& sink);              // P3014
void check_program_in_several_groups(const LintInput& in, DiagSink& sink);      // P3023
void check_group_restarts_together(const LintInput& in, DiagSink& sink);        // P3024

/// [program:x], [fcgi-program:x] and [eventlistener:x]: the sections that
/// make processes.
bool is_process_kind(model::SectionKind kind);

/// True when `o` sits in a section only because the %(here)s substitution
/// copied a [DEFAULT] key into it (it still points at the DEFAULT line).
bool is_default_copy(const syntax::IniStore& store, const syntax::StoredOption& o);

/// The section's own option (written in the section itself), or nullptr when
/// the key is absent or only inherited from [DEFAULT].
const syntax::StoredOption* own_option(const LintInput& in, std::string_view section,
                                       std::string_view key);

/// True when the stored value is exactly the text on its line (one line, no
/// %(here)s substitution), so offsets into it are columns.
bool verbatim_value(const LintInput& in, const syntax::StoredOption& o);

/// `length` bytes at `offset` of the value when it is verbatim, else the
/// whole value (or the key when the value is empty). The second form takes
/// verbatim_value() computed once, for many ranges in one long value.
SourceRange value_sub_range(const LintInput& in, const syntax::StoredOption& o,
                            std::size_t offset, std::size_t length);
SourceRange value_sub_range(const syntax::StoredOption& o, bool verbatim, std::size_t offset,
                            std::size_t length);

/// A process's log channel, for the rules that look at log files.
struct LogSite {
  const model::ProcessConfig* process;
  const model::LogChannel* channel;
  std::string key;  ///< "stdout_logfile" or "stderr_logfile"
};
/// Every process channel of a compiled config that logs to a path.
std::vector<LogSite> path_log_sites(const model::Config& config);

/// One log file setting and its rotation limit, for rules that do not need
/// process names: from the compiled config (paths absolute), else from the
/// raw values where they need no expansion (P3010/P3011 still work when
/// the config is refused for a host reason).
struct LogUse {
  std::string section;
  std::string key;   ///< "stdout_logfile", "stderr_logfile" or "logfile"
  std::string path;  ///< absolute, or as written
  std::int64_t maxbytes;
};
/// Per section and key (numprocs copies collapsed); syslog/AUTO/NONE left out.
std::vector<LogUse> log_uses(const LintInput& in);

/// /dev/stdout, /dev/stderr and their /proc/self/fd and /dev/fd aliases.
bool is_std_stream(std::string_view path);
/// A path under /dev or /proc: not a regular file that grows.
bool is_special_file(std::string_view path);

/// `s` on one line, cut to `max` bytes with "..." so messages stay short.
std::string shorten(std::string_view s, std::size_t max = 60);

/// Names listed in a [group:x] programs= value (split on ',', stripped,
/// empty entries dropped), with each name's offset in the value.
struct ListedName {
  std::string name;
  std::size_t offset;
};
std::vector<ListedName> listed_programs(std::string_view value);

}  // namespace proctor::lint
