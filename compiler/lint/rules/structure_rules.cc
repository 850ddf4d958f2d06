// Rules about how the file is written: unknown keys and sections, options
// that have no effect, duplicates, glued comments, log settings, groups.

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

void add_structure_rules(std::vector<Rule>& out) {
  out.insert(out.end(), {
                            {DiagCode::P3001, &check_unknown_key},
                            {DiagCode::P3002, &check_unknown_section},
                            {DiagCode::P3003, &check_ignored_option},
                            {DiagCode::P3004, &check_duplicate_section},
                            {DiagCode::P3005, &check_duplicate_key},
                            {DiagCode::P3006, &check_glued_comment},
                            {DiagCode::P3009, &check_shared_logfile},
                            {DiagCode::P3010, &check_device_log_rotation},
                            {DiagCode::P3011, &check_unbounded_log},
                            {DiagCode::P3012, &check_exitcodes_without_autorestart},
                            {DiagCode::P3013, &check_implausible_startsecs},
                            {DiagCode::P3014, &check_cwd_relative_path},
                            {DiagCode::P3023, &check_program_in_several_groups},
                            {DiagCode::P3024, &check_group_restarts_together},
                        });
}

}  // namespace proctor::lint
