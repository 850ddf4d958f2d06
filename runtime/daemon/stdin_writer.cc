#include "runtime/daemon/stdin_writer.h"

#include <unistd.h>

#include <cerrno>

namespace proctor::daemon {

StdinWriter* StdinWriter::start(uv_loop_t* loop, int fd) {
  auto* w = new StdinWriter(fd);
  if (uv_poll_init(loop, &w->poll_, fd) != 0) {
    delete w;
    return nullptr;
  }
  w->poll_.data = w;
  return w;
}

bool StdinWriter::write(std::string_view bytes) {
  if (broken_) return false;
  pending_.append(bytes);
  return flush();
}

// Writes as much as the pipe takes; polls for the rest.
bool StdinWriter::flush() {
  while (!pending_.empty()) {
    ssize_t n = ::write(fd_, pending_.data(), pending_.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n < 0) {
      broken_ = true;
      pending_.clear();
      break;
    }
    pending_.erase(0, static_cast<std::size_t>(n));
  }
  bool want = !pending_.empty();
  if (want != polling_) {
    if (want) uv_poll_start(&poll_, UV_WRITABLE, on_writable);
    else uv_poll_stop(&poll_);
    polling_ = want;
  }
  return !broken_;
}

void StdinWriter::on_writable(uv_poll_t* poll, int status, int) {
  auto* self = static_cast<StdinWriter*>(poll->data);
  if (status < 0) {
    self->broken_ = true;
    self->pending_.clear();
  }
  self->flush();
}

void StdinWriter::close() {
  uv_close(reinterpret_cast<uv_handle_t*>(&poll_), [](uv_handle_t* h) { delete static_cast<StdinWriter*>(h->data); });
}

}  // namespace proctor::daemon
