#pragma once
// Suppression comments, which Supervisor ignores like any comment:
//   command = run.sh ; proctor: disable=P3007          (this line)
//   ; proctor: disable=P3011,unbounded-log             (the next line)
//   ; proctor: disable-file=P3016                      (the whole file)
// Codes may be ids or names; "all" matches every code.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/base/diagnostic.h"

namespace proctor::lint {

class Suppressions {
 public:
  /// Scans every file the source manager holds.
  explicit Suppressions(const SourceManager& sm);
  bool suppressed(const Diagnostic& d) const;

 private:
  bool matches(const std::set<std::string>& codes, const Diagnostic& d) const;
  std::map<FileId, std::set<std::string>> per_file_;
  std::map<std::pair<FileId, std::uint32_t>, std::set<std::string>> per_line_;
};

}  // namespace proctor::lint
