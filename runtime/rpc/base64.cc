#include "runtime/rpc/base64.h"

#include <cstdint>

namespace proctor::rpc {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string base64_encode(std::string_view bytes, size_t line_length) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4 + 2);
  size_t line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    size_t left = bytes.size() - i;
    if (left > 1) n |= uint8_t(bytes[i + 1]) << 8;
    if (left > 2) n |= uint8_t(bytes[i + 2]);
    char quad[4] = {kAlphabet[(n >> 18) & 63], kAlphabet[(n >> 12) & 63],
                    left > 1 ? kAlphabet[(n >> 6) & 63] : '=',
                    left > 2 ? kAlphabet[n & 63] : '='};
    for (char c : quad) {
      out += c;
      if (line_length && ++line == line_length) {
        out += '\n';
        line = 0;
      }
    }
  }
  if (line_length && line) out += '\n';
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0, padding = 0;
  size_t digits = 0;
  for (char c : text) {
    if (is_space(c)) continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    int v = sextet(c);
    if (v < 0 || padding) return std::nullopt;  // data after '=' is corrupt
    acc = (acc << 6) | uint32_t(v);
    bits += 6;
    ++digits;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  // A lone sextet in the last group cannot encode a byte.
  if (digits % 4 == 1 || padding > 2) return std::nullopt;
  if (padding && (digits + padding) % 4 != 0) return std::nullopt;
  return out;
}

}  // namespace proctor::rpc
