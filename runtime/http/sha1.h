#pragma once
// SHA-1 (FIPS 180-4), only for Supervisor's "{SHA}<hex>" passwords. SHA-1 is
// broken for collisions; that is Supervisor's format, not our choice.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace proctor::http {

std::array<uint8_t, 20> sha1(std::string_view bytes);

/// Lower-case hex of sha1(bytes), as Python's hashlib hexdigest() writes it.
std::string sha1_hex(std::string_view bytes);

}  // namespace proctor::http
