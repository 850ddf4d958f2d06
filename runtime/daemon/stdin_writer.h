#pragma once
// Writes to a child's stdin pipe without blocking the loop, as Supervisor's
// PInputDispatcher does: what the pipe cannot take now is kept and written
// when it becomes writable. Event envelopes can be larger than a pipe.

#include <uv.h>

#include <string>
#include <string_view>

namespace proctor::daemon {

class StdinWriter {
 public:
  /// Writes to `fd` (non-blocking, not owned). Lives until close().
  static StdinWriter* start(uv_loop_t* loop, int fd);

  /// Queues `bytes`; false when the pipe is closed (EPIPE) or failed.
  bool write(std::string_view bytes);
  /// Stops watching the pipe (before its fd is closed); frees itself later.
  void close();

 private:
  explicit StdinWriter(int fd) : fd_(fd) {}
  bool flush();
  static void on_writable(uv_poll_t* poll, int status, int events);

  uv_poll_t poll_{};
  int fd_;
  std::string pending_;
  bool polling_ = false;
  bool broken_ = false;
};

}  // namespace proctor::daemon
