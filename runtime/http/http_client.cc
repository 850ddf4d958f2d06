// Blocking client side of HTTP/1.1 for proctorctl (see http_client.h).
#include "runtime/http/http_client.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

#include "runtime/rpc/base64.h"

namespace proctor::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

bool wait_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, timeout_ms);
    if (n > 0) return true;
    if (n == 0) {
      errno = ETIMEDOUT;
      return false;
    }
    // EINTR ends the wait too: a signal handler (Ctrl-C during tail -f) must
    // be able to stop a blocking read.
    return false;
  }
}

}  // namespace

Expected<Endpoint> parse_server_url(std::string_view url) {
  Endpoint e;
  if (url.starts_with("unix://")) {
    e.unix_socket = true;
    e.path = std::string(url.substr(7));
    if (e.path.empty()) return Expected<Endpoint>::failure("unix:// URL without a socket path");
    if (e.path.size() >= sizeof(sockaddr_un{}.sun_path))
      return Expected<Endpoint>::failure("unix socket path too long: " + e.path);
    return e;
  }
  if (!url.starts_with("http://")) {
    return Expected<Endpoint>::failure("url must be http:// or unix://: " + std::string(url));
  }
  std::string_view rest = url.substr(7);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  size_t at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  e.port = 80;
  std::string_view host = rest;
  if (!rest.empty() && rest[0] == '[') {  // [v6]:port
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return Expected<Endpoint>::failure("bad IPv6 host in " + std::string(url));
    host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return Expected<Endpoint>::failure("bad host in " + std::string(url));
    rest = rest.empty() ? rest : rest.substr(1);
    if (!rest.empty()) {
      unsigned p = 0;
      auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), p);
      if (ec != std::errc() || end != rest.data() + rest.size() || p > 65535)
        return Expected<Endpoint>::failure("bad port in " + std::string(url));
      e.port = uint16_t(p);
    }
  } else if (size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    std::string_view port = rest.substr(colon + 1);
    if (!port.empty()) {
      unsigned p = 0;
      auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
      if (ec != std::errc() || end != port.data() + port.size() || p > 65535)
        return Expected<Endpoint>::failure("bad port in " + std::string(url));
      e.port = uint16_t(p);
    }
  }
  e.host = host.empty() ? "localhost" : std::string(host);
  return e;
}

HttpClient::HttpClient(Endpoint endpoint, ClientOptions options)
    : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

HttpClient::~HttpClient() { close(); }

void HttpClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  reusable_ = false;
  buf_.clear();
}

template <class T>
Expected<T> HttpClient::fail(int err, std::string why) {
  errno_ = err;
  close();
  return Expected<T>::failure(std::move(why));
}

bool HttpClient::connect_now() {
  close();
  auto try_connect = [this](int family, const sockaddr* addr, socklen_t len) {
    int fd = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return false;
    int rc = ::connect(fd, addr, len);
    if (rc != 0 && errno == EINPROGRESS) {
      if (!wait_fd(fd, POLLOUT, options_.timeout_ms)) {
        int e = errno;
        ::close(fd);
        errno = e;
        return false;
      }
      int err = 0;
      socklen_t el = sizeof err;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
      if (err != 0) {
        ::close(fd);
        errno = err;
        return false;
      }
      rc = 0;
    }
    if (rc != 0) {
      int e = errno;
      ::close(fd);
      errno = e;
      return false;
    }
    fd_ = fd;
    return true;
  };
  if (endpoint_.unix_socket) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, endpoint_.path.data(), endpoint_.path.size());
    if (try_connect(AF_UNIX, reinterpret_cast<sockaddr*>(&addr), sizeof addr)) return true;
    errno_ = errno;
    return false;
  }
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(endpoint_.port);
  int gai = ::getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &res);
  if (gai != 0) {
    errno_ = EHOSTUNREACH;
    return false;
  }
  int last = ECONNREFUSED;
  bool ok = false;
  for (addrinfo* ai = res; ai && !ok; ai = ai->ai_next) {
    ok = try_connect(ai->ai_family, ai->ai_addr, ai->ai_addrlen);
    if (!ok) last = errno;
  }
  ::freeaddrinfo(res);
  if (!ok) errno_ = last;
  return ok;
}

bool HttpClient::send_all(std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(size_t(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_fd(fd_, POLLOUT, options_.timeout_ms)) {
        errno_ = errno;
        return false;
      }
      continue;
    }
    errno_ = n < 0 ? errno : EPIPE;
    return false;
  }
  return true;
}

long HttpClient::read_more() {
  char chunk[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buf_.append(chunk, size_t(n));
      return long(n);
    }
    if (n == 0) return 0;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_fd(fd_, POLLIN, options_.timeout_ms)) {
        errno_ = errno;
        return -1;
      }
      continue;
    }
    errno_ = errno;
    return -1;
  }
}

std::string HttpClient::build_request(std::string_view method, std::string_view path,
                                      std::string_view content_type, std::string_view body) const {
  std::string req;
  req.append(method).append(" ").append(path).append(" HTTP/1.1\r\n");
  if (endpoint_.unix_socket) {
    req += "Host: localhost\r\n";
  } else {
    req += "Host: " + endpoint_.host + (endpoint_.port == 80 ? "" : ":" + std::to_string(endpoint_.port)) + "\r\n";
  }
  req += "Accept-Encoding: identity\r\nUser-Agent: proctorctl\r\n";
  if (options_.username && options_.password) {
    req += "Authorization: Basic " +
           rpc::base64_encode(*options_.username + ":" + *options_.password) + "\r\n";
  }
  if (!content_type.empty()) req.append("Content-Type: ").append(content_type).append("\r\n");
  if (method != "GET" || !body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n";
  req.append(body);
  return req;
}

bool HttpClient::read_head(ClientResponse& r, bool& saw_bytes) {
  size_t end;
  saw_bytes = !buf_.empty();
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (buf_.size() > 256 * 1024) {
      errno_ = EPROTO;
      return false;
    }
    long n = read_more();
    if (n <= 0) {
      if (n == 0) errno_ = ECONNRESET;
      return false;
    }
    saw_bytes = true;
  }
  std::string_view head(buf_.data(), end);
  size_t eol = head.find("\r\n");
  std::string_view status_line = head.substr(0, eol);
  // HTTP/1.1 200 OK
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) {
    errno_ = EPROTO;
    return false;
  }
  std::string_view code = status_line.substr(9, 3);
  auto [p, ec] = std::from_chars(code.data(), code.data() + 3, r.status);
  if (ec != std::errc() || p != code.data() + 3) {
    errno_ = EPROTO;
    return false;
  }
  r.reason = status_line.size() > 13 ? std::string(status_line.substr(13)) : "";
  bool http10 = status_line.starts_with("HTTP/1.0");
  std::string_view rest = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
  while (!rest.empty()) {
    size_t e = rest.find("\r\n");
    std::string_view line = rest.substr(0, e);
    rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 2);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    r.headers.add(std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1))));
  }
  buf_.erase(0, end + 4);
  reusable_ = http10 ? r.headers.has_token("Connection", "keep-alive")
                     : !r.headers.has_token("Connection", "close");
  return true;
}

bool HttpClient::read_body(ClientResponse& r, const std::function<bool(std::string_view)>* sink) {
  auto deliver = [&](std::string_view data) {
    if (sink) return (*sink)(data);
    r.body.append(data);
    return true;
  };
  const std::string* te = r.headers.find("Transfer-Encoding");
  if (te && lower(*te).find("chunked") != std::string::npos) {
    for (;;) {
      size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (read_more() <= 0) return false;
      }
      std::string_view size_line(buf_.data(), eol);
      size_line = trim(size_line.substr(0, size_line.find(';')));
      size_t size = 0;
      auto [p, ec] = std::from_chars(size_line.data(), size_line.data() + size_line.size(), size, 16);
      if (ec != std::errc() || size_line.empty()) {
        errno_ = EPROTO;
        return false;
      }
      buf_.erase(0, eol + 2);
      if (size == 0) {
        // Trailers, up to the empty line.
        for (;;) {
          while ((eol = buf_.find("\r\n")) == std::string::npos) {
            if (read_more() <= 0) return false;
          }
          bool last = eol == 0;
          buf_.erase(0, eol + 2);
          if (last) return true;
        }
      }
      while (buf_.size() < size + 2) {
        if (sink && !buf_.empty() && buf_.size() <= size) {
          // Stream partial chunk data as it arrives.
          std::string part = std::move(buf_);
          buf_.clear();
          size -= part.size();
          if (!deliver(part)) return true;
          continue;
        }
        if (read_more() <= 0) return false;
      }
      if (!deliver(std::string_view(buf_.data(), size))) {
        buf_.erase(0, size + 2);
        return true;
      }
      buf_.erase(0, size + 2);
    }
  }
  if (const std::string* cl = r.headers.find("Content-Length")) {
    size_t want = 0;
    auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), want);
    if (ec != std::errc()) {
      errno_ = EPROTO;
      return false;
    }
    while (buf_.size() < want) {
      if (sink && !buf_.empty()) {
        std::string part = std::move(buf_);
        buf_.clear();
        want -= part.size();
        if (!deliver(part)) return true;
        continue;
      }
      if (read_more() <= 0) return false;
    }
    bool more = deliver(std::string_view(buf_.data(), want));
    buf_.erase(0, want);
    (void)more;
    return true;
  }
  if (r.status == 204 || r.status == 304 || r.status / 100 == 1) return true;
  // No framing: the body runs to the end of the connection.
  reusable_ = false;
  for (;;) {
    if (!buf_.empty()) {
      std::string part = std::move(buf_);
      buf_.clear();
      if (!deliver(part)) return true;
    }
    long n = read_more();
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

Expected<ClientResponse> HttpClient::request(std::string_view method, std::string_view path,
                                             std::string_view content_type, std::string_view body) {
  std::string req = build_request(method, path, content_type, body);
  for (int attempt = 0; attempt < 2; ++attempt) {
    bool reused = fd_ >= 0 && reusable_;
    if (!reused && !connect_now()) return fail<ClientResponse>(errno_, std::strerror(errno_));
    ClientResponse r;
    bool saw = false;
    if (!send_all(req) || !read_head(r, saw)) {
      // A kept-alive connection the server closed while idle: try once more.
      if (reused && !saw && errno_ != ETIMEDOUT) {
        close();
        continue;
      }
      return fail<ClientResponse>(errno_, errno_ == EPROTO ? "malformed HTTP response" : std::strerror(errno_));
    }
    if (!read_body(r, nullptr)) {
      return fail<ClientResponse>(errno_ ? errno_ : ECONNRESET, "response ended early: " +
                                                         std::string(std::strerror(errno_ ? errno_ : ECONNRESET)));
    }
    if (!reusable_) close();
    return r;
  }
  return fail<ClientResponse>(ECONNRESET, std::strerror(ECONNRESET));
}

Expected<ClientResponse> HttpClient::stream_get(std::string_view path,
                                                const std::function<bool(std::string_view)>& on_data) {
  close();
  if (!connect_now()) return fail<ClientResponse>(errno_, std::strerror(errno_));
  std::string req = build_request("GET", path, "", "");
  ClientResponse r;
  bool saw = false;
  if (!send_all(req) || !read_head(r, saw)) {
    return fail<ClientResponse>(errno_, errno_ == EPROTO ? "malformed HTTP response" : std::strerror(errno_));
  }
  if (r.status != 200) {
    ClientResponse copy = r;
    read_body(copy, nullptr);
    close();
    return copy;
  }
  bool ok = read_body(r, &on_data);
  close();
  if (!ok) return fail<ClientResponse>(errno_, std::strerror(errno_));
  return r;
}

}  // namespace proctor::http
