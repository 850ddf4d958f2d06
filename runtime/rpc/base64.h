#pragma once
// Base64 (RFC 4648, standard alphabet), shared by XML-RPC <base64> values and
// HTTP basic auth. Pure: no I/O.

#include <optional>
#include <string>
#include <string_view>

namespace proctor::rpc {

/// Encodes `bytes`. With `line_length` > 0 the output is split into lines of
/// that many characters, each ending in "\n", which is what Python's
/// base64.encodebytes (76) produces and xmlrpc.client writes.
std::string base64_encode(std::string_view bytes, size_t line_length = 0);

/// Decodes `text`, skipping ASCII whitespace (encoders wrap lines). Padding
/// may be omitted; any other character outside the alphabet, or a length
/// that cannot come from an encoder, gives nullopt.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace proctor::rpc
