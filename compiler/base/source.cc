#include "compiler/base/source.h"

namespace proctor {

namespace {

// Python reads config files with universal newlines: "\n", "\r\n" and a
// lone "\r" all end a line, so line numbers must count them the same way.
std::vector<std::size_t> find_line_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  // Without '\r' only '\n' ends a line, and find() scans for one byte
  // many times faster than the loop below (megabytes of includes).
  if (text.find('\r') == std::string::npos) {
    for (std::size_t nl = text.find('\n'); nl != std::string::npos; nl = text.find('\n', nl + 1))
      starts.push_back(nl + 1);
    return starts;
  }
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      starts.push_back(i + 1);
    } else if (text[i] == '\n') {
      starts.push_back(i + 1);
    }
  }
  return starts;
}

}  // namespace

FileId SourceManager::add(std::string display_name, std::string text) {
  File f{std::move(display_name), std::move(text), {}};
  f.line_starts = find_line_starts(f.text);
  files_.push_back(std::move(f));
  return static_cast<FileId>(files_.size() - 1);
}

std::string_view SourceManager::line_text(FileId id, std::uint32_t line) const {
  if (id >= files_.size() || line == 0) return {};
  const File& f = files_[id];
  if (line > f.line_starts.size()) return {};
  std::size_t begin = f.line_starts[line - 1];
  if (begin >= f.text.size()) return {};
  std::size_t end = begin;
  while (end < f.text.size() && f.text[end] != '\n' && f.text[end] != '\r') ++end;
  return std::string_view(f.text).substr(begin, end - begin);
}

}  // namespace proctor
