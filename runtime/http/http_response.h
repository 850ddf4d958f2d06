#pragma once
// Response bytes (pure): status lines, header blocks, chunk framing and the
// error page medusa serves, so that clients see what supervisord sends.

#include <ctime>
#include <string>
#include <string_view>

#include "runtime/http/http_parser.h"

namespace proctor::http {

/// "OK" for 200, "Not Found" for 404, ...; "Unknown" for codes we never send.
const char* reason_phrase(int status);

/// "HTTP/1.1 <status> <reason>\r\n", each header as "Name: value\r\n", then
/// the blank line.
std::string format_head(int status, const HttpHeaders& headers);

/// An RFC 9110 IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string http_date(std::time_t t);

/// One chunk of a chunked body ("<hex size>\r\n<bytes>\r\n"); empty input
/// gives empty output, because an empty chunk would end the body.
std::string format_chunk(std::string_view bytes);
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

/// Medusa's DEFAULT_ERROR_MESSAGE page for `status`, served as text/html.
std::string error_page(int status);

}  // namespace proctor::http
