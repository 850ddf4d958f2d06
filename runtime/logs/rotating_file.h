#pragma once
// A child's log file with Supervisor's RotatingFileHandler semantics
// (loggers.py): append every chunk whole, and after a write that leaves
// the file at or past `maxbytes`, roll it over (name.N-1 -> name.N, ...,
// name -> name.1, keeping `backups` files; with backups == 0 the file is
// simply truncated, as Supervisor does). maxbytes == 0 never rotates.
// Device files, FIFOs, sockets and anything under /dev/ or /proc/
// (/dev/stdout, /proc/self/fd/1) are written as streams: never
// sought, never rotated, never removed.

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/base/expected.h"

namespace proctor::runtime::logs {

class RotatingFile {
 public:
  /// Opens (creating) `path` for appending. Fails with "couldn't open
  /// PATH: strerror".
  static Expected<RotatingFile> open(std::string path, std::int64_t maxbytes, int backups);

  RotatingFile(RotatingFile&& other) noexcept;
  RotatingFile& operator=(RotatingFile&& other) noexcept;
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;
  ~RotatingFile();

  /// Writes all of `bytes` to the current file, then rotates if due.
  /// 0, or -errno (the file stays usable where it can).
  int write(std::string_view bytes);
  /// Closes and reopens the same name (SIGUSR2, after external rotation).
  int reopen();
  /// clearProcessLogs: removes the file (not its backups) and reopens it
  /// empty. A stream file is only reopened.
  int clear();

  const std::string& path() const { return path_; }
  bool is_stream() const { return stream_; }
  /// Bytes in the current file as this handle knows it.
  std::int64_t size() const { return size_; }

 private:
  RotatingFile(std::string path, std::int64_t maxbytes, int backups)
      : path_(std::move(path)), maxbytes_(maxbytes), backups_(backups) {}
  int open_file(bool truncate);
  int rollover();
  void close_file();

  std::string path_;
  std::int64_t maxbytes_;
  int backups_;
  int fd_ = -1;
  bool stream_ = false;
  std::int64_t size_ = 0;
};

}  // namespace proctor::runtime::logs
