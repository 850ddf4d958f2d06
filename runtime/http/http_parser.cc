#include "runtime/http/http_parser.h"

#include <cctype>
#include <charconv>
#include <cstdint>

namespace proctor::http {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = char(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = char(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 tchar: what method and field names are made of.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

bool has_control_chars(std::string_view s, bool allow_tab) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
  }
  return false;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

const std::string* HttpHeaders::find(std::string_view name) const {
  for (const auto& [key, value] : fields_) {
    if (iequals(key, name)) return &value;
  }
  return nullptr;
}

bool HttpHeaders::has_token(std::string_view name, std::string_view token) const {
  for (const auto& [key, value] : fields_) {
    if (!iequals(key, name)) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t comma = rest.find(',');
      if (iequals(trim_ows(rest.substr(0, comma)), token)) return true;
      rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    }
  }
  return false;
}

std::string_view HttpRequest::path() const {
  return std::string_view(target).substr(0, target.find('?'));
}

std::string_view HttpRequest::query() const {
  size_t q = target.find('?');
  return q == std::string::npos ? "" : std::string_view(target).substr(q + 1);
}

bool HttpRequest::keep_alive() const {
  if (version_minor == 0) return headers.has_token("Connection", "keep-alive");
  return !headers.has_token("Connection", "close");
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    int hi = -1, lo = -1;
    if (s[i] == '%' && i + 2 < s.size()) {
      hi = hex_digit(s[i + 1]);
      lo = hex_digit(s[i + 2]);
    }
    if (hi >= 0 && lo >= 0) {
      out += char(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

HttpRequestParser::State HttpRequestParser::feed(std::string_view bytes) {
  buf_.append(bytes);
  parse();
  return state_;
}

HttpRequest HttpRequestParser::take() {
  HttpRequest done = std::move(request_);
  buf_.erase(0, head_size_ + body_size_);
  request_ = HttpRequest();
  state_ = State::kIncomplete;
  scanned_ = head_size_ = body_size_ = 0;
  parse();
  return done;
}

void HttpRequestParser::fail(int status, std::string why) {
  state_ = State::kError;
  error_status_ = status;
  error_message_ = std::move(why);
}

void HttpRequestParser::parse() {
  if (state_ != State::kIncomplete) return;
  if (head_size_ == 0) {
    // Clients may send a stray CRLF between requests (RFC 9112 2.2).
    if (scanned_ == 0) {
      size_t blank = buf_.find_first_not_of("\r\n");
      buf_.erase(0, blank == std::string::npos ? buf_.size() : blank);
    }
    size_t end = 0;
    for (; scanned_ < buf_.size() && !end; ++scanned_) {
      if (buf_[scanned_] != '\n') continue;
      size_t next = scanned_ + 1;
      if (next < buf_.size() && buf_[next] == '\r') ++next;
      if (next >= buf_.size()) break;  // look again when more arrives
      if (buf_[next] == '\n') end = next + 1;
    }
    if (!end) {
      if (buf_.size() > limits_.max_header_bytes) fail(431, "request headers too large");
      return;
    }
    if (end > limits_.max_header_bytes) return fail(431, "request headers too large");
    if (!parse_head(std::string_view(buf_).substr(0, end)) || !check_framing()) return;
    head_size_ = end;
  }
  if (buf_.size() - head_size_ < body_size_) return;
  request_.body = buf_.substr(head_size_, body_size_);
  state_ = State::kComplete;
}

bool HttpRequestParser::parse_head(std::string_view head) {
  bool first = true;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    head.remove_prefix(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the blank line that ends the head
    if (first ? !parse_request_line(line) : !parse_header_line(line)) return false;
    first = false;
  }
  return true;
}

bool HttpRequestParser::parse_request_line(std::string_view line) {
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) {
    fail(400, "malformed request line");
    return false;
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!is_token(method) || target.empty() || has_control_chars(target, false) ||
      target.find(' ') != std::string_view::npos) {
    fail(400, "malformed request line");
    return false;
  }
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      !isdigit(static_cast<unsigned char>(version[5])) ||
      !isdigit(static_cast<unsigned char>(version[7]))) {
    fail(400, "malformed HTTP version");
    return false;
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    fail(505, "unsupported HTTP version " + std::string(version));
    return false;
  }
  request_.method = std::string(method);
  request_.target = std::string(target);
  request_.version_minor = version[7] - '0';
  return true;
}

bool HttpRequestParser::parse_header_line(std::string_view line) {
  // Folded continuation lines are obsolete and a request-smuggling vector.
  size_t colon = line.find(':');
  if (line[0] == ' ' || line[0] == '\t' || colon == std::string_view::npos ||
      !is_token(line.substr(0, colon))) {
    fail(400, "malformed header line");
    return false;
  }
  std::string_view value = trim_ows(line.substr(colon + 1));
  if (has_control_chars(value, true)) {
    fail(400, "control character in header value");
    return false;
  }
  request_.headers.add(std::string(line.substr(0, colon)), std::string(value));
  return true;
}

bool HttpRequestParser::check_framing() {
  const HttpHeaders& h = request_.headers;
  if (h.contains("Transfer-Encoding")) {
    if (h.has_token("Transfer-Encoding", "chunked")) {
      fail(411, "chunked request bodies are not supported; send Content-Length");
    } else {
      fail(501, "unsupported Transfer-Encoding");
    }
    return false;
  }
  std::optional<size_t> length;
  for (const auto& [name, value] : h.fields()) {
    if (!iequals(name, "Content-Length")) continue;
    size_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec == std::errc::result_out_of_range) n = SIZE_MAX;  // too large, not malformed
    if (value.empty() || end != value.data() + value.size() || ec == std::errc::invalid_argument ||
        (length && *length != n)) {
      fail(400, "invalid Content-Length");
      return false;
    }
    length = n;
  }
  if (length && *length > limits_.max_body_bytes) {
    fail(413, "request body larger than " + std::to_string(limits_.max_body_bytes) + " bytes");
    return false;
  }
  body_size_ = length.value_or(0);
  return true;
}

}  // namespace proctor::http
