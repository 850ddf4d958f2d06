#pragma once
// Python's os.path functions Supervisor applies to paths, on plain strings.

#include <string>
#include <string_view>

namespace proctor::model {

/// os.path.expanduser for "~" and "~/..." (other users' "~name" kept as is).
std::string expand_user(std::string_view path, std::string_view home);
/// os.path.dirname.
std::string dirname(std::string_view path);
/// os.path.join(base, path): an absolute `path` replaces `base`.
std::string join_path(std::string_view base, std::string_view path);
/// os.path.normpath(os.path.abspath(p)) with `cwd` as the current directory.
std::string absolute_normalized(std::string_view path, std::string_view cwd);
bool is_absolute(std::string_view path);

}  // namespace proctor::model
