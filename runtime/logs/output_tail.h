#pragma once
// Reading a child's log file for readProcessStdoutLog/tailProcessStdoutLog
// (options.py readFile/tailFile). Supervisor reads the file on disk, not
// a buffer, so these do too. Bytes come back raw: Supervisor decodes them
// as UTF-8 afterwards (and fails on a cut character), the RPC layer's job.

#include <cstdint>
#include <string>

#include "compiler/base/expected.h"

namespace proctor::runtime::logs {

/// readFile: offset >= 0 reads `length` bytes from there (0: to the end);
/// offset < 0 reads the last -offset bytes and then requires length == 0.
/// Errors are Supervisor's fault names: "BAD_ARGUMENTS" (negative length,
/// or a length with a negative offset) and "FAILED" (cannot open or read).
Expected<std::string> read_log(const std::string& path, std::int64_t offset, std::int64_t length);

struct TailResult {
  std::string bytes;
  std::int64_t offset;  ///< the file size: where the next tail starts
  bool overflow;        ///< the file had grown past offset + length
};

/// tailFile: at most `length` bytes ending at the end of the file,
/// starting no earlier than `offset` unless the file has outgrown
/// offset + length. A file that cannot be read gives {"", offset, false}.
TailResult tail_log(const std::string& path, std::int64_t offset, std::int64_t length);

}  // namespace proctor::runtime::logs
