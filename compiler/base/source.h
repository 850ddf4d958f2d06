#pragma once
// Source buffers and locations. Every section, key and value the compiler
// reads keeps a SourceRange so diagnostics can point at the user's text.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proctor {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = 0xffffffffu;

/// A 1-based line and column (columns count bytes) inside one file.
struct SourceLoc {
  FileId file = kNoFile;
  std::uint32_t line = 0;
  std::uint32_t column = 0;

  bool valid() const { return file != kNoFile && line > 0; }
  friend bool operator==(const SourceLoc&, const SourceLoc&) = default;
};

/// A half-open byte range on one line; `length` 0 points at a single column.
struct SourceRange {
  SourceLoc begin;
  std::uint32_t length = 0;

  bool valid() const { return begin.valid(); }
  friend bool operator==(const SourceRange&, const SourceRange&) = default;
};

/// Owns the text of every file the compiler read, so diagnostics can quote
/// the offending line long after parsing finished.
class SourceManager {
 public:
  /// `display_name` is how the file is named in messages (the path as the
  /// user gave it, or the absolute path of an included file).
  FileId add(std::string display_name, std::string text);

  const std::string& name(FileId id) const { return files_.at(id).name; }
  const std::string& text(FileId id) const { return files_.at(id).text; }
  std::size_t size() const { return files_.size(); }

  std::uint32_t line_count(FileId id) const {
    return static_cast<std::uint32_t>(files_.at(id).line_starts.size());
  }
  /// The text of line `line` (1-based) without its terminator, or "".
  std::string_view line_text(FileId id, std::uint32_t line) const;

 private:
  struct File {
    std::string name;
    std::string text;
    std::vector<std::size_t> line_starts;
  };
  std::vector<File> files_;
};

}  // namespace proctor
