#include "compiler/lint/suppression.h"

#include <sstream>
#include <string_view>

namespace proctor::lint {

namespace {

std::set<std::string> parse_codes(std::string_view list) {
  std::set<std::string> out;
  std::string cur;
  for (char c : list) {
    if (c == ',') {
      if (!cur.empty()) out.insert(cur);
      cur.clear();
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (!cur.empty()) break;
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.insert(cur);
  return out;
}

// The text after "proctor: KEY=" in a ';' or '#' comment, or npos.
std::size_t directive(std::string_view line, std::string_view key) {
  std::size_t comment = line.find_first_of(";#");
  if (comment == std::string_view::npos) return comment;
  std::size_t pos = line.find("proctor:", comment);
  if (pos == std::string_view::npos) return pos;
  pos += 8;
  while (pos < line.size() && line[pos] == ' ') ++pos;
  if (line.substr(pos, key.size()) != key) return std::string_view::npos;
  return pos + key.size();
}

bool comment_only(std::string_view line) {
  std::size_t first = line.find_first_not_of(" \t");
  return first != std::string_view::npos && (line[first] == ';' || line[first] == '#');
}

}  // namespace

Suppressions::Suppressions(const SourceManager& sm) {
  for (FileId f = 0; f < sm.size(); ++f) {
    for (std::uint32_t n = 1; n <= sm.line_count(f); ++n) {
      std::string_view line = sm.line_text(f, n);
      if (auto at = directive(line, "disable-file="); at != std::string_view::npos) {
        auto codes = parse_codes(line.substr(at));
        per_file_[f].insert(codes.begin(), codes.end());
      } else if (auto at2 = directive(line, "disable="); at2 != std::string_view::npos) {
        auto codes = parse_codes(line.substr(at2));
        std::uint32_t target = comment_only(line) ? n + 1 : n;
        per_line_[{f, target}].insert(codes.begin(), codes.end());
      }
    }
  }
}

bool Suppressions::matches(const std::set<std::string>& codes, const Diagnostic& d) const {
  const auto& ci = info(d.code);
  return codes.count("all") || codes.count(std::string(ci.id)) || codes.count(std::string(ci.name));
}

bool Suppressions::suppressed(const Diagnostic& d) const {
  if (!d.range.valid()) return false;
  if (auto it = per_file_.find(d.range.begin.file); it != per_file_.end() && matches(it->second, d))
    return true;
  auto it = per_line_.find({d.range.begin.file, d.range.begin.line});
  return it != per_line_.end() && matches(it->second, d);
}

}  // namespace proctor::lint
