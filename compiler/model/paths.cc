#include "compiler/model/paths.h"

#include <vector>

namespace proctor::model {

std::string expand_user(std::string_view path, std::string_view home) {
  if (path == "~" || path.starts_with("~/")) return std::string(home) + std::string(path.substr(1));
  return std::string(path);
}

std::string dirname(std::string_view path) {
  auto slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  std::string_view head = path.substr(0, slash + 1);
  // Python strips trailing slashes from the head unless it is all slashes.
  std::size_t end = head.size();
  while (end > 0 && head[end - 1] == '/') --end;
  return end == 0 ? std::string(head) : std::string(head.substr(0, end));
}

bool is_absolute(std::string_view path) { return !path.empty() && path[0] == '/'; }

std::string join_path(std::string_view base, std::string_view path) {
  if (is_absolute(path) || base.empty()) return std::string(path);
  std::string out(base);
  if (out.back() != '/') out += '/';
  out += path;
  return out;
}

std::string absolute_normalized(std::string_view path, std::string_view cwd) {
  std::string full = is_absolute(path) ? std::string(path) : join_path(cwd, path);
  // POSIX normpath keeps exactly two leading slashes; abspath inputs here
  // rarely have them, but match Python anyway.
  std::string prefix = full.starts_with("//") && !full.starts_with("///") ? "//" : "/";
  std::vector<std::string_view> parts;
  std::string_view rest(full);
  std::size_t i = 0;
  while (i <= rest.size()) {
    std::size_t j = rest.find('/', i);
    if (j == std::string_view::npos) j = rest.size();
    std::string_view comp = rest.substr(i, j - i);
    if (comp.empty() || comp == ".") {
    } else if (comp == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(comp);
    }
    i = j + 1;
  }
  std::string out = prefix;
  for (std::size_t k = 0; k < parts.size(); ++k) {
    if (k) out += '/';
    out += parts[k];
  }
  return out;
}

}  // namespace proctor::model
