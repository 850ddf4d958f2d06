#pragma once
// Text rendering of diagnostics in the rustc/clang style:
//   file:line:col: error[P2004]: message
//      |
//   12 | startsecs = abc
//      |             ^^^
//      = note: ...
//      = help: ...

#include <string>
#include <vector>

#include "compiler/base/diagnostic.h"

namespace proctor {

struct RenderOptions {
  bool color = false;
};

std::string render_text(const Diagnostic& d, const SourceManager& sm, const RenderOptions& opts);
/// "2 errors, 1 warning" style summary; "" when there is nothing.
std::string render_summary(const std::vector<Diagnostic>& diags);

}  // namespace proctor
