#pragma once
// One client connection of HttpServer (internal to runtime/http). It owns a
// stream handle and a timer and deletes itself once both have closed.
//
// Phases: kReading (waiting for a request; the timer is the idle or the
// request-read timeout), kHandling (a Responder is out; no timer, since
// deferred answers and streams may take as long as they like), kLingering
// (the response is written and our side shut down; the client's remaining
// bytes are drained briefly so it sees the response rather than a reset),
// kClosing.

#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include "runtime/http/http_parser.h"
#include "runtime/http/http_server.h"

namespace proctor::http {

class Connection {
 public:
  /// Accepts a pending client of `listener`; nullptr if that fails.
  static Connection* accept(HttpServer* server, uv_stream_t* listener, bool is_pipe);

  /// Idempotent. Detaches the server and the Responder, then closes the
  /// handles; the object deletes itself in the last close callback.
  void close();

  // For Responder.
  void write(std::string bytes);
  void response_done(bool close_after);
  size_t pending_bytes() const;

 private:
  enum class Phase { kReading, kHandling, kLingering, kClosing };
  Connection(HttpServer* server, bool is_pipe);
  ~Connection() = default;

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&stream_); }
  void start_reading();
  void process();
  void dispatch(HttpRequest request);
  void send_error(int status);
  void begin_shutdown();
  void arm_timer(uint64_t ms);

  static void on_alloc(uv_handle_t* h, size_t suggested, uv_buf_t* buf);
  static void on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf);
  void handle_eof();
  static void on_timer(uv_timer_t* t);
  static void on_write(uv_write_t* req, int status);
  static void on_shutdown(uv_shutdown_t* req, int status);
  static void on_closed(uv_handle_t* h);

  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } stream_;
  uv_timer_t timer_;
  uv_shutdown_t shutdown_req_;
  HttpServer* server_;  // nullptr once closing or the server stopped
  HttpRequestParser parser_;
  std::weak_ptr<Responder> responder_;
  Phase phase_ = Phase::kReading;
  int open_handles_ = 0;
  std::function<void()> on_freed_;  ///< the server's on_quiet, if this was its last connection
  bool reading_ = false;
  bool peer_eof_ = false;
  bool shut_down_ = false;  // our side's FIN has been sent
  bool request_timer_armed_ = false;  // the current request's read deadline runs
  bool dispatching_ = false;  // inside the handler: replies must not recurse
  char read_buf_[16 * 1024];
};

}  // namespace proctor::http
