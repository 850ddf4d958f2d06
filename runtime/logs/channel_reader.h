#pragma once
// One output channel (stdout or stderr) of a child, read in the daemon's
// libuv loop the way POutputDispatcher reads it: every chunk goes whole
// to the channel's log file (optionally without ANSI escapes) and to an
// optional observer (events, the main log), and end of file is reported.
// Chunks are up to 64 KiB so logging a fast writer costs few system calls.

#include <uv.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/base/expected.h"
#include "runtime/logs/ansi_strip.h"
#include "runtime/logs/rotating_file.h"

namespace proctor::runtime::logs {

struct ChannelOptions {
  RotatingFile* log = nullptr;  ///< not owned; nullptr: logfile NONE
  bool strip_ansi = false;
  /// Each chunk as logged (after stripping), never empty.
  std::function<void(std::string_view)> on_data;
  /// The child closed its end (or reading failed: 0 or a libuv error).
  std::function<void(int status)> on_eof;
  /// A write to the log failed (-errno); reading goes on, as Supervisor's
  /// handler prints the error and carries on.
  std::function<void(int err)> on_log_error;
};

class ChannelReader {
 public:
  /// Takes ownership of `fd` (the parent's end of a child pipe) and starts
  /// reading. The reader lives until close(); it frees itself in its
  /// close callback, after which no option is touched again.
  static Expected<ChannelReader*> start(uv_loop_t* loop, int fd, ChannelOptions options);

  /// Stops reading and closes the pipe; safe to call from on_eof and more
  /// than once. `this` must not be used afterwards.
  void close();

 private:
  ChannelReader(ChannelOptions options) : options_(std::move(options)) {}
  static void on_alloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void on_close(uv_handle_t* handle);
  void deliver(std::string_view chunk);
  void emit(std::string_view chunk);
  void finish(int status);

  static constexpr size_t kBufferSize = 64 * 1024;
  uv_pipe_t pipe_;
  ChannelOptions options_;
  AnsiStripper stripper_;
  std::string stripped_;
  bool closing_ = false;
};

}  // namespace proctor::runtime::logs
