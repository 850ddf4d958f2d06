#pragma once
// Reads the main file and, through its [include] section, every included
// file, merging them into one store the way UnhosedConfigParser does.

#include <string>
#include <vector>

#include "compiler/model/config.h"
#include "compiler/model/context.h"

namespace proctor::model {

struct ReadFiles {
  bool ok = false;
  bool io_error = false;
  syntax::IniStore main_only;  ///< the main file alone (what supervisorctl reads)
  std::vector<SourceFile> files;
  std::vector<std::string> includes;  ///< files read via [include], in order
  std::vector<std::string> parse_infos;
};

/// Fills `ctx.store`; warnings about unmatched patterns go to
/// ctx.parse_warnings (and the sink, as P1101).
ReadFiles read_config_files(CompileContext& ctx, SourceManager& sm);

}  // namespace proctor::model
