#include "runtime/http/http_auth.h"

#include <cctype>

#include "runtime/http/http_response.h"
#include "runtime/http/sha1.h"
#include "runtime/rpc/base64.h"

namespace proctor::http {
namespace {

/// Equality whose time does not depend on where the inputs differ, so a
/// remote client cannot guess a password byte by byte. (The length may leak;
/// that tells an attacker little.)
bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool check_basic_auth(std::string_view header, const std::string& username,
                      const std::string& password) {
  size_t space = header.find(' ');
  if (space == std::string_view::npos || !iequals_ascii(header.substr(0, space), "basic")) {
    return false;
  }
  auto decoded = rpc::base64_decode(header.substr(space + 1));
  if (!decoded) return false;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return false;
  std::string_view user = std::string_view(*decoded).substr(0, colon);
  std::string_view given = std::string_view(*decoded).substr(colon + 1);
  bool user_ok = constant_time_equal(user, username);
  bool pass_ok = password.starts_with("{SHA}")
                     ? constant_time_equal(sha1_hex(given), std::string_view(password).substr(5))
                     : constant_time_equal(given, password);
  return user_ok && pass_ok;
}

Handler require_basic_auth(Handler inner, std::string username, std::string password) {
  return [inner = std::move(inner), username = std::move(username),
          password = std::move(password)](const HttpRequest& request,
                                          std::shared_ptr<Responder> responder) {
    const std::string* header = request.headers.find("Authorization");
    if (header && check_basic_auth(*header, username, password)) {
      return inner(request, std::move(responder));
    }
    responder->reply(401,
                     {{"WWW-Authenticate", "Basic realm=\"" + std::string(kAuthRealm) + "\""},
                      {"Content-Type", "text/html"},
                      {"Connection", "close"}},
                     error_page(401));
  };
}

}  // namespace proctor::http
