#pragma once
// An HTTP/1.1 server on libuv for supervisord's control socket: unix and/or
// TCP listeners, many connections, one request at a time per connection,
// answers that may come later (deferred) or never end (tail -f streams).
//
// Everything runs on the loop's thread. Handles are owned by the server and
// its connections and freed in their close callbacks, so after stop() (or
// destruction) the loop must run once more to release them.

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "runtime/http/http_parser.h"

namespace proctor::http {

class Connection;

/// The answer to one request. Handlers may answer at once or keep the
/// shared_ptr and answer later; once the client has gone (or the server
/// stopped) every call is a no-op that returns false.
class Responder {
 public:
  ~Responder();

  bool alive() const { return conn_ != nullptr; }

  /// A whole response; Content-Length, Date and Connection are added.
  /// A "Connection: close" header from the caller closes the connection
  /// after the response.
  bool reply(int status, HttpHeaders headers, std::string body);

  /// A response of unknown length, sent as it is produced: chunked for
  /// HTTP/1.1 clients, raw and ended by closing for HTTP/1.0 ones.
  bool start_chunked(int status, HttpHeaders headers);
  bool send_chunk(std::string_view bytes);
  bool end();

  /// Bytes handed to the socket but not yet written: a streaming producer
  /// should wait while this is large (a client that never reads is dropped
  /// once it exceeds HttpServerOptions::max_pending_write_bytes).
  size_t pending_bytes() const;

 private:
  friend class Connection;
  Responder(Connection* conn, int version_minor, bool keep_alive)
      : conn_(conn), version_minor_(version_minor), keep_alive_(keep_alive) {}
  bool finish_head(int status, HttpHeaders& headers, const std::string* body);

  enum class Phase { kNew, kStreaming, kDone };
  Connection* conn_;  // nulled by the connection when it closes
  int version_minor_;
  bool keep_alive_;
  Phase phase_ = Phase::kNew;
};

using Handler = std::function<void(const HttpRequest&, std::shared_ptr<Responder>)>;

struct HttpServerOptions {
  HttpLimits limits;
  /// From the first byte of a request until it is complete (then 408).
  uint64_t request_timeout_ms = 30'000;
  /// A connection with no request in progress is closed after this long.
  uint64_t idle_timeout_ms = 300'000;
  /// A client this far behind in reading is disconnected.
  size_t max_pending_write_bytes = 16 * 1024 * 1024;
  /// Called once the last open connection has closed and been freed.
  std::function<void()> on_quiet;
};

class HttpServer {
 public:
  /// Ignores SIGPIPE for the whole process: a client that disconnects while
  /// we write must not kill the daemon (libuv writes with plain write()).
  HttpServer(uv_loop_t* loop, Handler handler, HttpServerOptions options = {});
  ~HttpServer();  ///< stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Listens on a unix socket, as Supervisor does: bound under a temporary
  /// name, chmod'ed to `mode`, then hard-linked into place, so the socket is
  /// never reachable with looser permissions. An existing socket at `path`
  /// is replaced only if nothing answers on it (UV_EADDRINUSE otherwise);
  /// a non-socket there is never removed (UV_EEXIST). uid/gid -1 leave the
  /// owner as is. Returns 0 or a negative libuv error code.
  int listen_unix(const std::string& path, unsigned mode = 0700, int uid = -1, int gid = -1);

  /// Listens on host:port; host "" or "*" means every IPv4 address (as in
  /// Supervisor's "port = :9001"), port 0 an ephemeral port (see tcp_port()).
  int listen_tcp(const std::string& host, int port);

  /// The port the most recent TCP listener is bound to, or -1.
  int tcp_port() const { return tcp_port_; }
  size_t connection_count() const { return connections_.size(); }

  /// Closes the listeners (removing the unix socket) and every connection.
  /// Pending Responders become no-ops.
  void stop();

 private:
  friend class Connection;
  struct Listener;
  static void on_connection(uv_stream_t* listener, int status);
  int start_listener(Listener* l, uv_stream_t* stream);

  uv_loop_t* loop_;
  Handler handler_;
  HttpServerOptions options_;
  std::vector<Listener*> listeners_;
  std::unordered_set<Connection*> connections_;
  int tcp_port_ = -1;
};

}  // namespace proctor::http
