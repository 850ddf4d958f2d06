#pragma once
// The two bits of Python 3 text behaviour Supervisor's event payloads show
// to listeners: repr() of bytes (its "Undecodable: b'...'" payloads) and
// len() of a str, which the `len:` header counts in characters, not bytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace proctor::runtime::events {

/// repr(bytes), e.g. b'it\'s' is rendered "b\"it's\"".
std::string python_bytes_repr(std::string_view bytes);
/// True when `bytes` decodes as strict UTF-8 (Python's bytes.decode()).
bool is_valid_utf8(std::string_view bytes);
/// len() of the str that valid UTF-8 `text` decodes to.
std::size_t python_str_len(std::string_view text);
/// as_string(data), or Supervisor's 'Undecodable: %r' when it is not UTF-8.
std::string decoded_or_repr(std::string_view data);

}  // namespace proctor::runtime::events
