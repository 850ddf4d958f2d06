#pragma once
// A small blocking HTTP/1.1 client for proctorctl: one persistent connection
// to a unix socket path or host:port, requests with a Content-Length body,
// responses framed by Content-Length, chunked transfer coding or the end of
// the connection, Basic auth, and a per-read/write timeout. Streaming GETs
// (`tail -f`) hand each piece of body to a callback as it arrives.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/base/expected.h"
#include "runtime/http/http_parser.h"

namespace proctor::http {

/// Where a server listens, from supervisorctl's serverurl.
struct Endpoint {
  bool unix_socket = false;
  std::string path;  ///< unix socket path
  std::string host;  ///< TCP host name or address
  uint16_t port = 0;
};

/// "unix:///abs/path" or "http://host[:port][/...]" (port 80 by default,
/// as Python's http.client uses). Anything else is an error.
Expected<Endpoint> parse_server_url(std::string_view url);

struct ClientResponse {
  int status = 0;
  std::string reason;
  HttpHeaders headers;
  std::string body;
};

struct ClientOptions {
  std::optional<std::string> username;
  std::optional<std::string> password;
  /// Milliseconds any one connect, read or write may wait; negative waits
  /// forever (supervisorctl has no timeout: start waits for startsecs).
  int timeout_ms = -1;
};

class HttpClient {
 public:
  HttpClient(Endpoint endpoint, ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends one request and reads the whole response. On failure the error
  /// is a message and error_code() the errno (ECONNREFUSED, ENOENT,
  /// ETIMEDOUT, ECONNRESET, EPROTO for a malformed response...). A reused
  /// connection the server closed while idle is reopened once.
  Expected<ClientResponse> request(std::string_view method, std::string_view path,
                                   std::string_view content_type, std::string_view body);

  /// GET `path` and pass the body to `on_data` piece by piece until the
  /// server ends it or `on_data` returns false. The response head is
  /// returned (body empty); a non-200 status delivers no data.
  Expected<ClientResponse> stream_get(std::string_view path,
                                      const std::function<bool(std::string_view)>& on_data);

  int error_code() const { return errno_; }
  void close();

 private:
  bool connect_now();
  bool send_all(std::string_view data);
  /// Reads more bytes into buf_; 0 on orderly close, -1 on error.
  long read_more();
  bool read_head(ClientResponse& r, bool& saw_bytes);
  bool read_body(ClientResponse& r, const std::function<bool(std::string_view)>* sink);
  std::string build_request(std::string_view method, std::string_view path,
                            std::string_view content_type, std::string_view body) const;
  template <class T>
  Expected<T> fail(int err, std::string why);

  Endpoint endpoint_;
  ClientOptions options_;
  int fd_ = -1;
  bool reusable_ = false;  ///< the connection already carried a response
  std::string buf_;
  int errno_ = 0;
};

}  // namespace proctor::http
