#include "runtime/http/http_response.h"

#include <cstdio>

namespace proctor::http {

const char* reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Moved Temporarily";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Request Entity Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
  }
  return "Unknown";
}

std::string format_head(int status, const HttpHeaders& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  for (const auto& [name, value] : headers.fields()) out += name + ": " + value + "\r\n";
  out += "\r\n";
  return out;
}

std::string http_date(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  // strftime's %a/%b follow the locale; HTTP needs the English names.
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string format_chunk(std::string_view bytes) {
  if (bytes.empty()) return {};
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
  std::string out = size;
  out.append(bytes);
  out += "\r\n";
  return out;
}

std::string error_page(int status) {
  return "<head>\r\n<title>Error response</title>\r\n</head>\r\n<body>\r\n"
         "<h1>Error response</h1>\r\n<p>Error code " +
         std::to_string(status) + ".\r\n<p>Message: " + reason_phrase(status) +
         ".\r\n</body>\r\n";
}

}  // namespace proctor::http
