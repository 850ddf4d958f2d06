#pragma once

namespace proctor::cli {

/// Exit codes shared by every proctor subcommand (documented in README).
enum ExitCode : int {
  kOk = 0,
  kInvalidConfig = 1,
  kUsage = 2,
  kIoError = 3,
};

}  // namespace proctor::cli
