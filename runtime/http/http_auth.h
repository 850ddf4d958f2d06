#pragma once
// HTTP basic authentication as Supervisor's http.py does it: realm
// "default", and a configured password of "{SHA}" + 40 hex digits is the
// SHA-1 of the real one.

#include <string>
#include <string_view>

#include "runtime/http/http_server.h"

namespace proctor::http {

inline constexpr std::string_view kAuthRealm = "default";

/// Whether an Authorization header value ("Basic <base64 of user:pass>",
/// scheme in any case) names `username` with `password`. A stored password
/// "{SHA}<hex>" matches a plain password whose SHA-1 hex digest (lower case,
/// as Supervisor compares it) is <hex>. Comparisons take constant time.
bool check_basic_auth(std::string_view authorization_header, const std::string& username,
                      const std::string& password);

/// Wraps `inner` so that every request must carry those credentials;
/// others get 401 with WWW-Authenticate and Connection: close (medusa's
/// auth_handler).
Handler require_basic_auth(Handler inner, std::string username, std::string password);

}  // namespace proctor::http
