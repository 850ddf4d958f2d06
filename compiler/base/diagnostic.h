#pragma once
// The one diagnostic type shared by compiler, lint, and runtime. Rendering
// lives elsewhere (diagnostic_render.h); this is only the data.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/base/source.h"

namespace proctor {

enum class Severity { kNote, kInfo, kWarning, kError };

enum class DiagCode {
#define X(code, sev, name, summary) code,
#include "compiler/base/diag_codes.def"
#undef X
};

struct DiagCodeInfo {
  DiagCode code;
  std::string_view id;  ///< "P2004"
  Severity severity;    ///< default severity
  std::string_view name;
  std::string_view summary;
};

const DiagCodeInfo& info(DiagCode code);
const std::vector<DiagCodeInfo>& all_diag_codes();
/// Looks a code up by its id ("P2004") or its name ("invalid-integer").
const DiagCodeInfo* find_diag_code(std::string_view id_or_name);
std::string_view severity_name(Severity s);

struct DiagNote {
  std::string message;
  SourceRange range;  ///< may be invalid for a note without location
};

struct Diagnostic {
  DiagCode code;
  Severity severity;
  std::string message;
  SourceRange range;
  std::vector<DiagNote> notes;
  std::string help;  ///< a suggested fix, "" when there is none
  /// Supervisor's own wording of the same error, where proctor must
  /// reproduce it (supervisorctl's verdict in the plan); usually "".
  std::string supervisor_message;
};

/// Collects diagnostics in the order they were found. Reporting the same
/// code, location and message twice keeps one (Supervisor reads some
/// options twice, e.g. a program's priority for its group and its process).
class DiagSink {
 public:
  Diagnostic& report(DiagCode code, SourceRange range, std::string message);
  /// Takes `later`'s diagnostics, in order, as if they had been reported
  /// here after everything already held: a repeat of one held here adds its
  /// notes to it and replaces its help and Supervisor message when it has
  /// them, as a caller amending the Diagnostic& report() returned would.
  /// Lets section readers run on other threads with their own sinks.
  void merge(DiagSink&& later);
  const std::vector<Diagnostic>& all() const { return diags_; }
  std::size_t error_count() const;
  bool has_errors() const { return error_count() > 0; }

 private:
  std::vector<Diagnostic> diags_;
  std::unordered_map<std::string, std::size_t> seen_;
};

}  // namespace proctor
