#include "runtime/http/http_connection.h"

#include <ctime>

#include "runtime/http/http_response.h"

namespace proctor::http {
namespace {

// How long a closing connection drains the client's unread bytes.
constexpr uint64_t kLingerMs = 2000;

struct WriteReq {
  uv_write_t req;
  std::string data;
};

Connection* owner(void* handle) {
  return static_cast<Connection*>(static_cast<uv_handle_t*>(handle)->data);
}

}  // namespace

// ---- Responder ----------------------------------------------------------

Responder::~Responder() {
  // A handler that drops its Responder unanswered would leave the client
  // hanging forever; tell it instead.
  if (alive() && phase_ == Phase::kNew) reply(500, {}, error_page(500));
  if (alive() && phase_ == Phase::kStreaming) end();
}

bool Responder::finish_head(int status, HttpHeaders& headers, const std::string* body) {
  if (!headers.has_token("Connection", "close") && keep_alive_) {
    if (version_minor_ == 0) headers.add("Connection", "keep-alive");
  } else {
    keep_alive_ = false;
    if (!headers.contains("Connection")) headers.add("Connection", "close");
  }
  headers.add("Date", http_date(std::time(nullptr)));
  if (body) headers.add("Content-Length", std::to_string(body->size()));
  conn_->write(format_head(status, headers));
  return alive();
}

bool Responder::reply(int status, HttpHeaders headers, std::string body) {
  if (!alive() || phase_ != Phase::kNew) return false;
  phase_ = Phase::kDone;
  finish_head(status, headers, &body);
  // Each write may find the client gone and detach us.
  if (alive()) conn_->write(std::move(body));
  if (alive()) conn_->response_done(!keep_alive_);
  return true;
}

bool Responder::start_chunked(int status, HttpHeaders headers) {
  if (!alive() || phase_ != Phase::kNew) return false;
  phase_ = Phase::kStreaming;
  // HTTP/1.0 has no chunked coding: the body ends where the connection does.
  if (version_minor_ == 0) {
    keep_alive_ = false;
  } else {
    headers.add("Transfer-Encoding", "chunked");
  }
  return finish_head(status, headers, nullptr);
}

bool Responder::send_chunk(std::string_view bytes) {
  if (!alive() || phase_ != Phase::kStreaming) return false;
  conn_->write(version_minor_ == 0 ? std::string(bytes) : format_chunk(bytes));
  return alive();  // the write may have found the client gone
}

bool Responder::end() {
  if (!alive() || phase_ != Phase::kStreaming) return false;
  phase_ = Phase::kDone;
  if (version_minor_ != 0) conn_->write(std::string(kLastChunk));
  if (alive()) conn_->response_done(!keep_alive_);
  return true;
}

size_t Responder::pending_bytes() const { return alive() ? conn_->pending_bytes() : 0; }

// ---- Connection: setup and teardown -------------------------------------

Connection::Connection(HttpServer* server, bool is_pipe)
    : server_(server), parser_(server->options_.limits) {
  if (is_pipe) {
    uv_pipe_init(server->loop_, &stream_.pipe, 0);
  } else {
    uv_tcp_init(server->loop_, &stream_.tcp);
  }
  uv_timer_init(server->loop_, &timer_);
  stream()->data = this;
  timer_.data = this;
  open_handles_ = 2;
}

Connection* Connection::accept(HttpServer* server, uv_stream_t* listener, bool is_pipe) {
  auto* c = new Connection(server, is_pipe);
  server->connections_.insert(c);
  if (uv_accept(listener, c->stream()) != 0) {
    c->close();
    return nullptr;
  }
  c->start_reading();
  c->process();
  return c;
}

void Connection::close() {
  if (phase_ == Phase::kClosing) return;
  phase_ = Phase::kClosing;
  if (auto r = responder_.lock()) r->conn_ = nullptr;
  if (server_) {
    server_->connections_.erase(this);
    if (server_->connections_.empty()) on_freed_ = server_->options_.on_quiet;
  }
  server_ = nullptr;
  uv_close(reinterpret_cast<uv_handle_t*>(stream()), on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), on_closed);
}

void Connection::on_closed(uv_handle_t* h) {
  Connection* c = owner(h);
  if (--c->open_handles_ != 0) return;
  std::function<void()> quiet = std::move(c->on_freed_);
  delete c;
  if (quiet) quiet();
}

// ---- Connection: reading requests ---------------------------------------

void Connection::start_reading() {
  if (reading_ || peer_eof_) return;
  if (uv_read_start(stream(), on_alloc, on_read) == 0) reading_ = true;
}

void Connection::on_alloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  Connection* c = owner(h);
  *buf = uv_buf_init(c->read_buf_, sizeof c->read_buf_);
}

void Connection::on_read(uv_stream_t* s, ssize_t nread, const uv_buf_t* buf) {
  Connection* c = owner(s);
  if (nread == UV_EOF) return c->handle_eof();
  if (nread < 0) return c->close();
  if (nread == 0 || c->phase_ == Phase::kLingering) return;
  c->parser_.feed(std::string_view(buf->base, size_t(nread)));
  if (c->phase_ == Phase::kReading) return c->process();
  // Busy with a request: hold further input back until the answer is done.
  if (c->parser_.state() != HttpRequestParser::State::kIncomplete) {
    uv_read_stop(s);
    c->reading_ = false;
  }
}

void Connection::handle_eof() {
  peer_eof_ = true;
  uv_read_stop(stream());
  reading_ = false;
  if (phase_ == Phase::kHandling) {
    // A client that half-closes after its request still gets a plain
    // answer, but an endless stream has nobody left to read it.
    auto r = responder_.lock();
    if (r && r->phase_ == Responder::Phase::kStreaming) close();
    return;
  }
  // Closing now would cancel unwritten output: shut down after it instead.
  if (phase_ == Phase::kReading) return begin_shutdown();
  if (phase_ == Phase::kLingering && shut_down_) close();
}

void Connection::process() {
  while (phase_ == Phase::kReading && server_) {
    switch (parser_.state()) {
      case HttpRequestParser::State::kIncomplete:
        if (peer_eof_) return begin_shutdown();
        start_reading();
        if (!parser_.started()) return arm_timer(server_->options_.idle_timeout_ms);
        // Armed once per request, not per read: a client trickling one byte
        // at a time must not hold the connection forever.
        if (!request_timer_armed_) arm_timer(server_->options_.request_timeout_ms);
        request_timer_armed_ = true;
        return;
      case HttpRequestParser::State::kError:
        return send_error(parser_.error_status());
      case HttpRequestParser::State::kComplete:
        dispatch(parser_.take());
        break;
    }
  }
}

void Connection::dispatch(HttpRequest request) {
  uv_timer_stop(&timer_);
  request_timer_armed_ = false;
  phase_ = Phase::kHandling;
  dispatching_ = true;
  {
    std::shared_ptr<Responder> r(
        new Responder(this, request.version_minor, request.keep_alive()));
    responder_ = r;
    // Exceptions must not unwind through libuv's C frames.
    try {
      server_->handler_(request, r);
    } catch (...) {
      r->reply(500, {}, error_page(500));
    }
  }
  dispatching_ = false;
}

void Connection::send_error(int status) {
  phase_ = Phase::kHandling;
  std::shared_ptr<Responder> r(new Responder(this, 1, false));
  responder_ = r;
  r->reply(status, {{"Content-Type", "text/html"}}, error_page(status));
}

// ---- Connection: writing responses --------------------------------------

void Connection::write(std::string bytes) {
  if (phase_ == Phase::kClosing || bytes.empty()) return;
  auto* w = new WriteReq{{}, std::move(bytes)};
  uv_buf_t buf = uv_buf_init(w->data.data(), unsigned(w->data.size()));
  if (uv_write(&w->req, stream(), &buf, 1, on_write) != 0) {
    delete w;
    return close();
  }
  if (pending_bytes() > server_->options_.max_pending_write_bytes) close();
}

void Connection::on_write(uv_write_t* req, int status) {
  auto* w = reinterpret_cast<WriteReq*>(req);
  Connection* c = owner(req->handle);
  delete w;
  if (status < 0) c->close();  // ECANCELED while closing: close() is idempotent
}

size_t Connection::pending_bytes() const {
  return uv_stream_get_write_queue_size(reinterpret_cast<const uv_stream_t*>(&stream_));
}

void Connection::response_done(bool close_after) {
  responder_.reset();
  if (phase_ == Phase::kClosing) return;
  if (close_after || peer_eof_) return begin_shutdown();
  phase_ = Phase::kReading;
  if (!dispatching_) process();  // otherwise the loop in process() resumes
}

void Connection::begin_shutdown() {
  phase_ = Phase::kLingering;
  // Bounds how long a client that does not read can hold the connection.
  arm_timer(server_->options_.idle_timeout_ms);
  if (uv_shutdown(&shutdown_req_, stream(), on_shutdown) != 0) close();
}

void Connection::on_shutdown(uv_shutdown_t* req, int status) {
  Connection* c = owner(req->handle);
  if (c->phase_ == Phase::kClosing) return;
  c->shut_down_ = true;
  if (status < 0 || c->peer_eof_) return c->close();
  c->start_reading();  // drain and discard until EOF or the linger timer
  c->arm_timer(kLingerMs);
}

void Connection::arm_timer(uint64_t ms) { uv_timer_start(&timer_, on_timer, ms, 0); }

void Connection::on_timer(uv_timer_t* t) {
  Connection* c = owner(t);
  if (c->phase_ == Phase::kReading && c->parser_.started()) return c->send_error(408);
  c->close();
}

}  // namespace proctor::http
