#pragma once
// HTTP/1.x requests from bytes, incrementally (pure: no I/O). Covers what
// Supervisor's clients send: a request line, headers, and a body framed by
// Content-Length. Chunked request bodies are refused with 411 (no client of
// supervisord sends them); other transfer codings with 501.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace proctor::http {

/// Header fields in arrival order; lookup ignores the case of names.
class HttpHeaders {
 public:
  HttpHeaders() = default;
  HttpHeaders(std::initializer_list<std::pair<std::string, std::string>> fields)
      : fields_(fields) {}

  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  /// The first field called `name`, or nullptr.
  const std::string* find(std::string_view name) const;
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  /// Whether a comma-separated field (e.g. Connection) lists `token`, in any case.
  bool has_token(std::string_view name, std::string_view token) const;

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method;   ///< "GET", "POST", ... as sent (methods are case-sensitive)
  std::string target;   ///< the request target: path plus "?query"
  int version_minor = 1;  ///< HTTP/1.0 or HTTP/1.1
  HttpHeaders headers;
  std::string body;

  /// The target before any '?', still percent-encoded.
  std::string_view path() const;
  /// The target after the '?', or empty.
  std::string_view query() const;
  /// HTTP/1.1 keeps the connection unless "Connection: close"; HTTP/1.0
  /// only with "Connection: keep-alive".
  bool keep_alive() const;
};

/// Decodes %XX escapes (medusa's unquote); invalid escapes stay as they are.
std::string percent_decode(std::string_view s);

struct HttpLimits {
  size_t max_header_bytes = 64 * 1024;      ///< request line + headers (431 beyond)
  size_t max_body_bytes = 8 * 1024 * 1024;  ///< Content-Length (413 beyond)
};

/// Feeds bytes, yields whole requests. Bytes after a complete request stay
/// buffered for the next one; take() hands the request over and starts on them.
class HttpRequestParser {
 public:
  enum class State { kIncomplete, kComplete, kError };

  explicit HttpRequestParser(HttpLimits limits = {}) : limits_(limits) {}

  State feed(std::string_view bytes);
  State state() const { return state_; }
  /// Moves the complete request out and parses any bytes buffered after it.
  HttpRequest take();

  /// True once any byte of a request that is not complete yet has arrived
  /// (the server's request-read timeout runs then, the idle timeout before).
  bool started() const { return state_ == State::kIncomplete && !buf_.empty(); }

  /// For kError: the status to answer with (400, 411, 413, 431, 501, 505)
  /// and why, for the log.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }

 private:
  void parse();
  bool parse_head(std::string_view head);
  bool parse_request_line(std::string_view line);
  bool parse_header_line(std::string_view line);
  bool check_framing();
  void fail(int status, std::string why);

  HttpLimits limits_;
  State state_ = State::kIncomplete;
  std::string buf_;
  size_t scanned_ = 0;  // bytes of buf_ already searched for the end of the head
  size_t head_size_ = 0;  // 0 while the head is incomplete
  size_t body_size_ = 0;
  HttpRequest request_;
  int error_status_ = 0;
  std::string error_message_;
};

}  // namespace proctor::http
