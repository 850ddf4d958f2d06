#pragma once
// The few pieces of Python's str model the value types need: iterating
// UTF-8 text by code point, and the Unicode 14.0 properties (Python 3.11's
// unicodedata) behind str.isprintable() and int()'s decimal digits.

#include <cstddef>
#include <string>
#include <string_view>

namespace proctor::model {

/// One code point of UTF-8 text and its length in bytes. An invalid byte b
/// decodes as U+DC00+b (length 1), like Python's "surrogateescape", so it is
/// never mistaken for a real character; callers copy the original bytes.
struct CodePoint {
  char32_t value;
  std::size_t length;
};
CodePoint decode_utf8(std::string_view s, std::size_t pos);

/// Appends the UTF-8 encoding of `c`.
void append_utf8(std::string& out, char32_t c);

/// Number of code points (Python's len()).
std::size_t py_length(std::string_view s);

/// Python's str.isprintable() for one code point.
bool py_isprintable(char32_t c);

/// unicodedata.decimal(c): 0-9 for a Unicode decimal digit (Nd), else -1.
int py_decimal(char32_t c);

}  // namespace proctor::model
