#pragma once
// The compiler's front door: a config path in, the typed Config out, read
// exactly as `supervisord -c PATH` reads it at start-up.

#include <optional>
#include <string>

#include "compiler/base/diagnostic.h"
#include "compiler/model/config.h"
#include "compiler/model/host.h"
#include "compiler/syntax/ini_store.h"

namespace proctor::model {

struct CompileResult {
  std::optional<Config> config;  ///< empty when any error was reported
  bool io_error = false;         ///< the main file could not be found or read
  /// Everything that was read, merged, even when errors stopped compilation;
  /// lint rules inspect it for what Supervisor silently ignores.
  syntax::IniStore store;
  std::vector<SourceFile> files;  ///< files read, main first
};

/// `threads` caps the threads that read sections (0: one per core); the
/// result does not depend on it.
CompileResult compile_config(const std::string& configfile, const Host& host, SourceManager& sm,
                             DiagSink& sink, unsigned threads = 0);

}  // namespace proctor::model
