#pragma once
// Supervisor's value types (supervisor/datatypes.py), one function each,
// reproducing exactly which strings Python 3.11 accepts and what they mean.
// Failures explain what was expected and quote what was found.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/base/expected.h"

namespace proctor::model {

/// Python's str.isspace() for one code point.
bool py_isspace(char32_t c);
/// Python's str.strip() with no argument (Unicode whitespace), on UTF-8.
std::string_view py_strip(std::string_view s);

/// Python `int(s)` (base 10): surrounding whitespace, a sign, '_' between
/// digits, any Unicode decimal digit. Values outside int64 are refused.
Expected<std::int64_t> py_int(std::string_view s);

/// datatypes.boolean: true/yes/on/1, false/no/off/0, any case.
Expected<bool> boolean(std::string_view s);

enum class Autorestart { kFalse, kTrue, kUnexpected };
/// datatypes.auto_restart: a boolean word or "unexpected", any case.
Expected<Autorestart> autorestart(std::string_view s);

/// datatypes.byte_size: "<int>", or "<int>kb|mb|gb" (any case, int() rules
/// for the prefix, so "1 MB" and "-1KB" are valid).
Expected<std::int64_t> byte_size(std::string_view s);

/// datatypes.octal_type: Python `int(s, 8)` ("022", "22", "0o22", "-022").
Expected<std::int64_t> octal(std::string_view s);

/// datatypes.signal_number: an int that is a valid Linux signal of Python's
/// signal module (0-31, 34, 64), or a name with or without "SIG", any case
/// (including aliases IOT, CLD, POLL, RTMIN, RTMAX and "_DFL" = 0).
Expected<int> signal_number(std::string_view s);
/// Python's `signal.Signals(n).name` without "SIG", or nullopt (e.g. 0).
std::optional<std::string> signal_name(int number);

/// datatypes.list_of_exitcodes: comma-separated ints in 0..255; "" -> [].
Expected<std::vector<int>> exitcodes(std::string_view s);

/// datatypes.logging_level: canonical lower-case level name.
Expected<std::string> loglevel(std::string_view s);

/// datatypes.dict_of_key_value_pairs (non-POSIX shlex, 4 tokens per pair).
/// Pairs in first-seen key order; a repeated key keeps its first position
/// and takes the last value, like a Python dict.
Expected<std::vector<std::pair<std::string, std::string>>> key_value_pairs(std::string_view s);

/// datatypes.process_or_group_name: stripped; no ' ', ':' or '/'.
Expected<std::string> process_or_group_name(std::string_view s);

/// The 27 event type names of supervisor.events.EventTypes.
const std::vector<std::string_view>& event_type_names();

}  // namespace proctor::model
