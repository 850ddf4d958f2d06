#include "runtime/http/http_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

#include "runtime/http/http_connection.h"

namespace proctor::http {
namespace {

constexpr int kBacklog = 128;

/// Whether a server accepts connections on the unix socket at `path`. A
/// full backlog (EAGAIN) counts as alive: never steal a busy server's path.
bool unix_socket_answers(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  bool answers = rc == 0 || (errno != ECONNREFUSED && errno != ENOENT);
  ::close(fd);
  return answers;
}

/// Hard-links the bound socket `temp` to `path`, replacing a stale socket.
int link_into_place(const std::string& temp, const std::string& path) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (::link(temp.c_str(), path.c_str()) == 0) return 0;
    if (errno != EEXIST) return uv_translate_sys_error(errno);
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode)) return UV_EEXIST;
    if (unix_socket_answers(path)) return UV_EADDRINUSE;
    ::unlink(path.c_str());  // stale: its server is gone
  }
  return UV_EADDRINUSE;
}

int resolve_tcp(const std::string& host, int port, sockaddr_storage* out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  const char* node = host.empty() || host == "*" ? nullptr : host.c_str();
  if (node == nullptr) hints.ai_family = AF_INET;
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(node, service.c_str(), &hints, &res); rc != 0) {
    return uv_translate_sys_error(rc == EAI_SYSTEM ? errno : EADDRNOTAVAIL);
  }
  std::memcpy(out, res->ai_addr, res->ai_addrlen);
  ::freeaddrinfo(res);
  return 0;
}

}  // namespace

struct HttpServer::Listener {
  union {
    uv_tcp_t tcp;
    uv_pipe_t pipe;
  } handle;
  HttpServer* server;
  bool is_pipe;
  std::string unlink_path;  // the unix socket we created, removed on stop

  uv_stream_t* stream() { return reinterpret_cast<uv_stream_t*>(&handle); }
  void close() {
    if (!unlink_path.empty()) ::unlink(unlink_path.c_str());
    uv_close(reinterpret_cast<uv_handle_t*>(&handle),
             [](uv_handle_t* h) { delete static_cast<Listener*>(h->data); });
  }
};

HttpServer::HttpServer(uv_loop_t* loop, Handler handler, HttpServerOptions options)
    : loop_(loop), handler_(std::move(handler)), options_(options) {
  std::signal(SIGPIPE, SIG_IGN);
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::stop() {
  for (Listener* l : listeners_) l->close();
  listeners_.clear();
  // close() erases from the set, so iterate over a copy.
  auto connections = connections_;
  for (Connection* c : connections) c->close();
}

int HttpServer::start_listener(Listener* l, uv_stream_t* stream) {
  stream->data = l;
  int rc = uv_listen(stream, kBacklog, on_connection);
  if (rc != 0) {
    l->close();
    return rc;
  }
  listeners_.push_back(l);
  return 0;
}

int HttpServer::listen_unix(const std::string& path, unsigned mode, int uid, int gid) {
  auto* l = new Listener{};
  l->server = this;
  l->is_pipe = true;
  uv_pipe_init(loop_, &l->handle.pipe, 0);
  l->handle.pipe.data = l;
  std::string temp = path + "." + std::to_string(::getpid());
  ::unlink(temp.c_str());
  int rc = uv_pipe_bind(&l->handle.pipe, temp.c_str());
  if (rc == 0 && ::chmod(temp.c_str(), mode) != 0) rc = uv_translate_sys_error(errno);
  if (rc == 0) rc = link_into_place(temp, path);
  if (rc == 0) l->unlink_path = path;
  ::unlink(temp.c_str());
  if (rc == 0 && (uid != -1 || gid != -1) && ::chown(path.c_str(), uid, gid) != 0) {
    rc = uv_translate_sys_error(errno);
  }
  if (rc != 0) {
    l->close();
    return rc;
  }
  return start_listener(l, l->stream());
}

int HttpServer::listen_tcp(const std::string& host, int port) {
  sockaddr_storage addr{};
  if (int rc = resolve_tcp(host, port, &addr); rc != 0) return rc;
  auto* l = new Listener{};
  l->server = this;
  l->is_pipe = false;
  uv_tcp_init(loop_, &l->handle.tcp);
  l->handle.tcp.data = l;
  int rc = uv_tcp_bind(&l->handle.tcp, reinterpret_cast<sockaddr*>(&addr), 0);
  if (rc != 0) {
    l->close();
    return rc;
  }
  if (rc = start_listener(l, l->stream()); rc != 0) return rc;
  sockaddr_storage bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(&l->handle.tcp, reinterpret_cast<sockaddr*>(&bound), &len);
  tcp_port_ = ntohs(bound.ss_family == AF_INET6
                        ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return 0;
}

void HttpServer::on_connection(uv_stream_t* listener, int status) {
  if (status < 0) return;  // e.g. EMFILE; libuv retries on the next readiness
  // Listeners close before their server goes away, so `server` is valid.
  auto* l = static_cast<Listener*>(listener->data);
  Connection::accept(l->server, listener, l->is_pipe);
}

}  // namespace proctor::http
