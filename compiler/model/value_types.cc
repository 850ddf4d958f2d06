#include "compiler/model/value_types.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <unordered_map>

#include "compiler/model/py_shlex.h"
#include "compiler/model/py_unicode.h"

namespace proctor::model {
namespace {

std::string quoted(std::string_view s) { return fmt::format("'{}'", s); }

// ---------------------------------------------------------------------------
// Python int(s, base) for bases 8 and 10.

enum class IntStatus { kOk, kInvalid, kOverflow };

struct ParsedInt {
  IntStatus status;
  std::int64_t value;
};

bool is_ascii_int_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');  // CPython's Py_ISSPACE
}

// CPython first rewrites non-ASCII text: Unicode whitespace becomes ' ' and a
// Unicode decimal digit its ASCII digit; anything else non-ASCII is invalid.
// ASCII passes unchanged, so "\x1c1" fails although '\x1c'.isspace().
std::optional<std::string> to_ascii_number(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const CodePoint cp = decode_utf8(s, pos);
    pos += cp.length;
    if (cp.value < 0x80) {
      out += static_cast<char>(cp.value);
    } else if (py_isspace(cp.value)) {
      out += ' ';
    } else if (const int d = py_decimal(cp.value); d >= 0) {
      out += static_cast<char>('0' + d);
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// Digits with single '_' separators between them; the magnitude may reach
// 2^63 so that the most negative int64 parses.
IntStatus parse_magnitude(std::string_view s, std::size_t& pos, int base,
                          std::uint64_t& magnitude) {
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 63;
  bool overflow = false;
  bool need_digit = true;
  magnitude = 0;
  for (; pos < s.size(); ++pos) {
    const char c = s[pos];
    if (c == '_' && !need_digit) {
      need_digit = true;
      continue;
    }
    if (c < '0' || c >= '0' + base) break;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    overflow = overflow || magnitude > (kLimit - digit) / base;
    if (!overflow) magnitude = magnitude * base + digit;
    need_digit = false;
  }
  if (need_digit) return IntStatus::kInvalid;
  return overflow ? IntStatus::kOverflow : IntStatus::kOk;
}

ParsedInt parse_py_int(std::string_view text, int base) {
  const auto ascii = to_ascii_number(text);
  if (!ascii) return {IntStatus::kInvalid, 0};
  const std::string_view s = *ascii;
  std::size_t pos = 0;
  while (pos < s.size() && is_ascii_int_space(s[pos])) ++pos;
  const bool negative = pos < s.size() && s[pos] == '-';
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
  // int(s, 8) also takes a "0o" prefix, optionally followed by one '_'.
  if (base == 8 && (s.substr(pos, 2) == "0o" || s.substr(pos, 2) == "0O")) {
    pos += 2;
    if (pos < s.size() && s[pos] == '_') ++pos;
  }
  std::uint64_t magnitude = 0;
  const IntStatus status = parse_magnitude(s, pos, base, magnitude);
  while (pos < s.size() && is_ascii_int_space(s[pos])) ++pos;
  if (status == IntStatus::kInvalid || pos != s.size()) return {IntStatus::kInvalid, 0};
  if (status == IntStatus::kOverflow || (!negative && magnitude > INT64_MAX)) {
    return {IntStatus::kOverflow, 0};
  }
  return {IntStatus::kOk, negative ? static_cast<std::int64_t>(0 - magnitude)
                                   : static_cast<std::int64_t>(magnitude)};
}

Expected<std::int64_t> int_or_failure(std::string_view s, int base, std::string_view what) {
  const ParsedInt parsed = parse_py_int(s, base);
  if (parsed.status == IntStatus::kOverflow) {
    return Expected<std::int64_t>::failure(
        fmt::format("expected {} that fits in 64 bits, found {}", what, quoted(s)));
  }
  if (parsed.status == IntStatus::kInvalid) {
    return Expected<std::int64_t>::failure(
        fmt::format("expected {}, found {}", what, quoted(s)));
  }
  return parsed.value;
}

// ---------------------------------------------------------------------------
// Case mapping. Python lower()/upper() are full Unicode mappings, but only
// their ASCII results can ever match a keyword, so only the code points whose
// mapping is pure ASCII matter (found by scanning every code point):
// lower(): U+212A KELVIN SIGN -> 'k'; upper(): the list below.

char ascii_to_lower(char32_t c) {
  return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}
char ascii_to_upper(char32_t c) {
  return static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
}

std::string ascii_lower(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const CodePoint cp = decode_utf8(s, pos);
    if (cp.value == 0x212A) {
      out += 'k';
    } else if (cp.value < 0x80) {
      out += ascii_to_lower(cp.value);
    } else {
      out.append(s.substr(pos, cp.length));
    }
    pos += cp.length;
  }
  return out;
}

struct UpperSpecial {
  char32_t from;
  std::string_view to;
};
constexpr UpperSpecial kUpperToAscii[] = {
    {0xDF, "SS"},    {0x131, "I"},    {0x17F, "S"},   {0xFB00, "FF"}, {0xFB01, "FI"},
    {0xFB02, "FL"},  {0xFB03, "FFI"}, {0xFB04, "FFL"}, {0xFB05, "ST"}, {0xFB06, "ST"},
};

std::string ascii_upper(std::string_view s) {
  std::string out;
  for (std::size_t pos = 0; pos < s.size();) {
    const CodePoint cp = decode_utf8(s, pos);
    const auto* special = std::find_if(std::begin(kUpperToAscii), std::end(kUpperToAscii),
                                       [&](const UpperSpecial& u) { return u.from == cp.value; });
    if (special != std::end(kUpperToAscii)) {
      out += special->to;
    } else if (cp.value < 0x80) {
      out += ascii_to_upper(cp.value);
    } else {
      out.append(s.substr(pos, cp.length));
    }
    pos += cp.length;
  }
  return out;
}

// datatypes.TRUTHY_STRINGS / FALSY_STRINGS.
std::optional<bool> boolean_word(std::string_view lowered) {
  for (std::string_view w : {"yes", "true", "on", "1"}) {
    if (lowered == w) return true;
  }
  for (std::string_view w : {"no", "false", "off", "0"}) {
    if (lowered == w) return false;
  }
  return std::nullopt;
}

// Python's value.strip('\'"').
std::string_view strip_quotes(std::string_view s) {
  const std::size_t begin = s.find_first_not_of("'\"");
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of("'\"") + 1 - begin);
}

// ---------------------------------------------------------------------------
// Signals: every SIG* attribute of Python 3.11's signal module on Linux
// ([n for n in dir(signal) if n.startswith('SIG')]), without "SIG".
// `canonical` marks the name signal.Signals(n).name reports.

struct SignalName {
  std::string_view name;
  int number;
  bool canonical;
};
constexpr SignalName kSignals[] = {
    {"ABRT", 6, true},      {"ALRM", 14, true},    {"BUS", 7, true},      {"CHLD", 17, true},
    {"CLD", 17, false},     {"CONT", 18, true},    {"FPE", 8, true},      {"HUP", 1, true},
    {"ILL", 4, true},       {"INT", 2, true},      {"IO", 29, true},      {"IOT", 6, false},
    {"KILL", 9, true},      {"PIPE", 13, true},    {"POLL", 29, false},   {"PROF", 27, true},
    {"PWR", 30, true},      {"QUIT", 3, true},     {"RTMAX", 64, true},   {"RTMIN", 34, true},
    {"SEGV", 11, true},     {"STKFLT", 16, true},  {"STOP", 19, true},    {"SYS", 31, true},
    {"TERM", 15, true},     {"TRAP", 5, true},     {"TSTP", 20, true},    {"TTIN", 21, true},
    {"TTOU", 22, true},     {"URG", 23, true},     {"USR1", 10, true},    {"USR2", 12, true},
    {"VTALRM", 26, true},   {"WINCH", 28, true},   {"XCPU", 24, true},    {"XFSZ", 25, true},
    // Not signals, but signal-module attributes that getattr() finds too.
    {"_BLOCK", 0, false},   {"_DFL", 0, false},    {"_IGN", 1, false},    {"_SETMASK", 2, false},
    {"_UNBLOCK", 1, false},
};

// datatypes.SIGNUMS: the values of all those attributes.
bool is_signum(std::int64_t n) {
  return std::any_of(std::begin(kSignals), std::end(kSignals),
                     [&](const SignalName& s) { return s.number == n; });
}

}  // namespace

// ---------------------------------------------------------------------------

bool py_isspace(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1C && c <= 0x1F);
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string_view py_strip(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    const CodePoint cp = decode_utf8(s, begin);
    if (!py_isspace(cp.value)) break;
    begin += cp.length;
  }
  // Scan forward to find where the trailing whitespace run starts.
  std::size_t end = begin;
  for (std::size_t pos = begin; pos < s.size();) {
    const CodePoint cp = decode_utf8(s, pos);
    pos += cp.length;
    if (!py_isspace(cp.value)) end = pos;
  }
  return s.substr(begin, end - begin);
}

Expected<std::int64_t> py_int(std::string_view s) { return int_or_failure(s, 10, "an integer"); }

Expected<bool> boolean(std::string_view s) {
  if (const auto b = boolean_word(ascii_lower(s))) return *b;
  return Expected<bool>::failure(
      fmt::format("expected true/false, yes/no, on/off or 1/0, found {}", quoted(s)));
}

Expected<Autorestart> autorestart(std::string_view s) {
  const std::string lowered = ascii_lower(s);
  if (lowered == "unexpected") return Autorestart::kUnexpected;
  if (const auto b = boolean_word(lowered)) return *b ? Autorestart::kTrue : Autorestart::kFalse;
  return Expected<Autorestart>::failure(fmt::format(
      "expected true/false, yes/no, on/off, 1/0 or unexpected, found {}", quoted(s)));
}

Expected<std::int64_t> byte_size(std::string_view s) {
  constexpr std::string_view kWhat = "a byte size such as 1024, 50KB, 50MB or 1GB";
  const std::string lowered = ascii_lower(s);
  const std::string_view v = lowered;
  std::int64_t multiplier = 1;
  std::string_view number = v;
  for (const auto& [suffix, mult] : {std::pair<std::string_view, std::int64_t>{"kb", 1024},
                                     {"mb", 1024 * 1024},
                                     {"gb", 1024 * 1024 * 1024}}) {
    if (v.ends_with(suffix)) {
      multiplier = mult;
      number = v.substr(0, v.size() - suffix.size());
    }
  }
  const ParsedInt parsed = parse_py_int(number, 10);
  std::int64_t bytes = 0;
  if (parsed.status == IntStatus::kInvalid) {
    return Expected<std::int64_t>::failure(fmt::format("expected {}, found {}", kWhat, quoted(s)));
  }
  if (parsed.status == IntStatus::kOverflow ||
      __builtin_mul_overflow(parsed.value, multiplier, &bytes)) {
    return Expected<std::int64_t>::failure(
        fmt::format("expected a byte size that fits in 64 bits, found {}", quoted(s)));
  }
  return bytes;
}

Expected<std::int64_t> octal(std::string_view s) {
  return int_or_failure(s, 8, "an octal number such as 022 or 0o22");
}

Expected<int> signal_number(std::string_view s) {
  const ParsedInt parsed = parse_py_int(s, 10);
  std::int64_t number = parsed.value;
  if (parsed.status == IntStatus::kInvalid) {
    std::string name = ascii_upper(py_strip(s));
    if (name.starts_with("SIG")) name.erase(0, 3);
    const auto* found = std::find_if(std::begin(kSignals), std::end(kSignals),
                                     [&](const SignalName& sig) { return sig.name == name; });
    if (found == std::end(kSignals)) {
      return Expected<int>::failure(fmt::format(
          "expected a signal name such as TERM, HUP or KILL, found {} (not a valid signal name)",
          quoted(s)));
    }
    number = found->number;
  }
  if (parsed.status == IntStatus::kOverflow || !is_signum(number)) {
    return Expected<int>::failure(fmt::format(
        "expected a signal number from 0 to 31, 34 or 64, found {} (not a valid signal number)",
        quoted(s)));
  }
  return static_cast<int>(number);
}

std::optional<std::string> signal_name(int number) {
  for (const SignalName& sig : kSignals) {
    if (sig.canonical && sig.number == number) return std::string(sig.name);
  }
  return std::nullopt;
}

Expected<std::vector<int>> exitcodes(std::string_view s) {
  std::vector<int> codes;
  if (s.empty()) return codes;
  for (std::size_t begin = 0;;) {
    const std::size_t comma = std::min(s.find(',', begin), s.size());
    const std::string_view item = s.substr(begin, comma - begin);
    const ParsedInt parsed = parse_py_int(item, 10);
    if (parsed.status != IntStatus::kOk || parsed.value < 0 || parsed.value > 255) {
      return Expected<std::vector<int>>::failure(fmt::format(
          "expected a comma-separated list of exit codes from 0 to 255, found {} ({} is not one)",
          quoted(s), quoted(item)));
    }
    codes.push_back(static_cast<int>(parsed.value));
    if (comma == s.size()) return codes;
    begin = comma + 1;
  }
}

Expected<std::string> loglevel(std::string_view s) {
  const std::string lowered = ascii_lower(s);
  for (std::string_view level :
       {"critical", "error", "warn", "info", "debug", "trace", "blather"}) {
    if (lowered == level) return std::string(level);
  }
  return Expected<std::string>::failure(fmt::format(
      "expected one of critical, error, warn, info, debug, trace or blather, found {}",
      quoted(s)));
}

Expected<std::vector<std::pair<std::string, std::string>>> key_value_pairs(std::string_view s) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  constexpr std::string_view kWhat = "expected KEY=value pairs separated by commas";
  const auto tokens = py_shlex(s, "/.+-():");
  if (!tokens) {
    return Expected<Pairs>::failure(fmt::format("{}, found {} (no closing quotation)", kWhat,
                                                quoted(s)));
  }
  Pairs pairs;
  // Supervisor takes tokens four at a time: key, '=', value, and any one
  // separator token (not necessarily a comma).
  std::unordered_map<std::string, std::size_t> position;  // a dict: last value, first place
  for (std::size_t i = 0; i < tokens->size(); i += 4) {
    const auto& t = *tokens;
    if (i + 2 >= t.size() || t[i + 1] != "=") {
      const auto rest = t.begin() + static_cast<std::ptrdiff_t>(i);
      return Expected<Pairs>::failure(fmt::format("{}, found {} (no KEY=value in '{}')", kWhat,
                                                  quoted(s), fmt::join(rest, t.end(), " ")));
    }
    const std::string_view value = strip_quotes(t[i + 2]);
    auto [at, fresh] = position.emplace(t[i], pairs.size());
    if (fresh) pairs.emplace_back(t[i], std::string(value));
    else pairs[at->second].second = std::string(value);
  }
  return pairs;
}

Expected<std::string> process_or_group_name(std::string_view s) {
  const std::string_view name = py_strip(s);
  for (const char c : {' ', ':', '/'}) {
    if (name.find(c) != std::string_view::npos) {
      return Expected<std::string>::failure(
          fmt::format("expected a name without spaces, ':' or '/', found {} (it contains '{}')",
                      quoted(s), c));
    }
  }
  return std::string(name);
}

const std::vector<std::string_view>& event_type_names() {
  // [k for k in vars(supervisor.events.EventTypes) if not k.startswith('_')]
  static const std::vector<std::string_view> names = {
      "EVENT",
      "PROCESS_STATE",
      "PROCESS_STATE_STOPPED",
      "PROCESS_STATE_EXITED",
      "PROCESS_STATE_STARTING",
      "PROCESS_STATE_STOPPING",
      "PROCESS_STATE_BACKOFF",
      "PROCESS_STATE_FATAL",
      "PROCESS_STATE_RUNNING",
      "PROCESS_STATE_UNKNOWN",
      "PROCESS_COMMUNICATION",
      "PROCESS_COMMUNICATION_STDOUT",
      "PROCESS_COMMUNICATION_STDERR",
      "PROCESS_LOG",
      "PROCESS_LOG_STDOUT",
      "PROCESS_LOG_STDERR",
      "REMOTE_COMMUNICATION",
      "SUPERVISOR_STATE_CHANGE",
      "SUPERVISOR_STATE_CHANGE_RUNNING",
      "SUPERVISOR_STATE_CHANGE_STOPPING",
      "TICK",
      "TICK_5",
      "TICK_60",
      "TICK_3600",
      "PROCESS_GROUP",
      "PROCESS_GROUP_ADDED",
      "PROCESS_GROUP_REMOVED",
  };
  return names;
}

}  // namespace proctor::model
