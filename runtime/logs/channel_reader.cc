#include "runtime/logs/channel_reader.h"

#include <unistd.h>

#include <memory>

namespace proctor::runtime::logs {

Expected<ChannelReader*> ChannelReader::start(uv_loop_t* loop, int fd, ChannelOptions options) {
  auto* reader = new ChannelReader(std::move(options));
  int err = uv_pipe_init(loop, &reader->pipe_, 0);
  if (err) {
    ::close(fd);
    delete reader;  // never initialised: nothing for uv_close to do
    return Expected<ChannelReader*>::failure(uv_strerror(err));
  }
  reader->pipe_.data = reader;
  err = uv_pipe_open(&reader->pipe_, fd);
  if (!err) err = uv_read_start(reinterpret_cast<uv_stream_t*>(&reader->pipe_), on_alloc, on_read);
  if (err) {
    uv_os_fd_t attached;  // once uv_pipe_open succeeded, uv_close closes fd
    if (uv_fileno(reinterpret_cast<uv_handle_t*>(&reader->pipe_), &attached) != 0) ::close(fd);
    reader->close();
    return Expected<ChannelReader*>::failure(uv_strerror(err));
  }
  return reader;
}

void ChannelReader::close() {
  if (closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&pipe_), on_close);
}

void ChannelReader::on_close(uv_handle_t* handle) {
  delete static_cast<ChannelReader*>(handle->data);
}

// One buffer for every reader of the loop's thread: libuv hands it back in
// on_read, which consumes it before the next alloc. A buffer per reader
// would cost 64 KiB of resident memory per pipe (12 MiB for 100 processes).
void ChannelReader::on_alloc(uv_handle_t*, size_t, uv_buf_t* buf) {
  static thread_local std::unique_ptr<char[]> shared(new char[kBufferSize]);
  *buf = uv_buf_init(shared.get(), kBufferSize);
}

void ChannelReader::on_read(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<ChannelReader*>(stream->data);
  if (nread > 0) {
    self->deliver(std::string_view(buf->base, static_cast<size_t>(nread)));
  } else if (nread < 0) {
    self->finish(nread == UV_EOF ? 0 : static_cast<int>(nread));
  }
}

void ChannelReader::deliver(std::string_view chunk) {
  if (options_.strip_ansi) {
    stripped_.clear();
    stripper_.feed(chunk, stripped_);
    chunk = stripped_;
  }
  emit(chunk);
}

void ChannelReader::emit(std::string_view chunk) {
  if (chunk.empty()) return;
  if (options_.log) {
    int err = options_.log->write(chunk);
    if (err && options_.on_log_error) options_.on_log_error(err);
  }
  if (options_.on_data) options_.on_data(chunk);
}

void ChannelReader::finish(int status) {
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&pipe_));
  if (options_.strip_ansi) {
    stripped_.clear();
    stripper_.finish(stripped_);
    emit(stripped_);
  }
  if (options_.on_eof) options_.on_eof(status);
}

}  // namespace proctor::runtime::logs
