#include "compiler/model/py_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

#include "compiler/model/py_unicode.h"

namespace proctor::model {
namespace {

// Python pads as far as memory allows; a config never needs more than this,
// and refusing keeps a hostile "%(n)99999999999d" from exhausting memory.
constexpr std::int64_t kMaxPadding = 1 << 20;

// repr() when `ascii_only` is false, ascii() when it is true.
std::string repr_text(std::string_view s, bool ascii_only) {
  const bool has_single = s.find('\'') != std::string_view::npos;
  const bool has_double = s.find('"') != std::string_view::npos;
  const char quote = has_single && !has_double ? '"' : '\'';
  std::string out(1, quote);
  for (std::size_t pos = 0; pos < s.size();) {
    const CodePoint cp = decode_utf8(s, pos);
    const char32_t c = cp.value;
    if (c == static_cast<char32_t>(quote) || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\t' || c == '\n' || c == '\r') {
      out += c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r";
    } else if (c < 0x80 ? (c >= 0x20 && c < 0x7F) : (!ascii_only && py_isprintable(c))) {
      out.append(s.substr(pos, cp.length));
    } else if (c <= 0xFF) {
      out += fmt::format("\\x{:02x}", static_cast<std::uint32_t>(c));
    } else if (c <= 0xFFFF) {
      out += fmt::format("\\u{:04x}", static_cast<std::uint32_t>(c));
    } else {
      out += fmt::format("\\U{:08x}", static_cast<std::uint32_t>(c));
    }
    pos += cp.length;
  }
  out += quote;
  return out;
}

std::string repr_value(const FormatValue& v, bool ascii_only) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return repr_text(std::get<std::string>(v), ascii_only);
}

// repr() of the mapping as the Python dict Supervisor formats with.
std::string repr_mapping(const FormatMapping& m, bool ascii_only) {
  std::string out = "{";
  for (const FormatArg& arg : m.args()) {
    if (out.size() > 1) out += ", ";
    out += repr_text(arg.name, ascii_only) + ": " + repr_value(arg.value, ascii_only);
  }
  return out + "}";
}

struct Spec {
  bool ljust = false;
  bool sign = false;
  bool blank = false;
  bool alt = false;
  bool zero = false;
  std::int64_t width = -1;
  std::int64_t prec = -1;
  char32_t conv = 0;
  std::size_t conv_pos = 0;  // byte offset of the conversion character
};

std::string pad_text(std::string text, const Spec& spec) {
  const auto length = static_cast<std::int64_t>(py_length(text));
  if (spec.width <= length) return text;
  const std::string fill(spec.width - length, ' ');
  return spec.ljust ? text + fill : fill + text;
}

// Python's layout for numbers: sign, then "0x"-style prefix, then digits;
// '0' pads between prefix and digits unless '-' left-justifies.
std::string pad_number(bool negative, std::string_view prefix, std::string_view digits,
                       const Spec& spec) {
  const std::string sign = negative ? "-" : spec.sign ? "+" : spec.blank ? " " : "";
  const auto length = static_cast<std::int64_t>(sign.size() + prefix.size() + digits.size());
  const std::size_t fill = spec.width > length ? spec.width - length : 0;
  if (spec.ljust) return fmt::format("{}{}{}{}", sign, prefix, digits, std::string(fill, ' '));
  if (spec.zero) return fmt::format("{}{}{}{}", sign, prefix, std::string(fill, '0'), digits);
  return fmt::format("{}{}{}{}", std::string(fill, ' '), sign, prefix, digits);
}

std::string format_integer(std::int64_t value, const Spec& spec) {
  // Work on the magnitude as unsigned so INT64_MIN has one.
  const auto magnitude =
      value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits;
  std::string prefix;
  switch (spec.conv) {
    case 'o': digits = fmt::format("{:o}", magnitude), prefix = spec.alt ? "0o" : ""; break;
    case 'x': digits = fmt::format("{:x}", magnitude), prefix = spec.alt ? "0x" : ""; break;
    case 'X': digits = fmt::format("{:X}", magnitude), prefix = spec.alt ? "0X" : ""; break;
    default: digits = std::to_string(magnitude); break;
  }
  if (spec.prec > static_cast<std::int64_t>(digits.size())) {
    digits.insert(0, spec.prec - digits.size(), '0');
  }
  return pad_number(value < 0, prefix, digits, spec);
}

// Python converts the int to a double and formats it like C's printf.
std::string format_float(std::int64_t value, const Spec& spec) {
  const double magnitude = std::fabs(static_cast<double>(value));
  const int prec = spec.prec < 0 ? 6 : static_cast<int>(spec.prec);
  const std::string pattern =
      fmt::format("%{}.*{}", spec.alt ? "#" : "", static_cast<char>(spec.conv));
  const int size = std::snprintf(nullptr, 0, pattern.c_str(), prec, magnitude);
  std::string digits(size + 1, '\0');
  std::snprintf(digits.data(), digits.size(), pattern.c_str(), prec, magnitude);
  digits.resize(size);
  return pad_number(value < 0, "", digits, spec);
}

class Formatter {
 public:
  Formatter(std::string_view fmt, const FormatMapping& mapping) : fmt_(fmt), mapping_(mapping) {}

  std::variant<std::string, FormatError> run() {
    while (pos_ < fmt_.size() && !error_) {
      const std::size_t percent = std::min(fmt_.find('%', pos_), fmt_.size());
      out_.append(fmt_.substr(pos_, percent - pos_));
      pos_ = percent;
      if (pos_ < fmt_.size()) conversion();
    }
    if (error_) return *error_;
    return std::move(out_);
  }

 private:
  // One "%..." at pos_.
  void conversion() {
    percent_ = pos_++;
    if (pos_ == fmt_.size()) return fail("incomplete format");
    if (fmt_[pos_] == '%') {
      out_ += '%';
      ++pos_;
      return;
    }
    Spec spec;
    exhausted_ = false;
    if (fmt_[pos_] == '(' && !lookup_key()) return;
    if (!parse_spec(spec)) return;
    convert(spec);
  }

  // Python's parser keeps the last character it read in ch_ and only notes
  // running off the end (exhausted_), reporting it after width and precision.
  bool advance() {
    if (pos_ >= fmt_.size()) {
      exhausted_ = true;
      return false;
    }
    const CodePoint cp = decode_utf8(fmt_, pos_);
    ch_ = cp.value;
    ch_pos_ = pos_;
    pos_ += cp.length;
    return true;
  }

  // "(name)" with balanced parentheses; the value found becomes the one
  // argument the conversion consumes.
  bool lookup_key() {
    const std::size_t start = ++pos_;
    int depth = 1;
    while (depth > 0 && advance()) depth += ch_ == '(' ? 1 : ch_ == ')' ? -1 : 0;
    if (depth > 0) return fail("incomplete format key"), false;
    const std::string_view key = fmt_.substr(start, pos_ - 1 - start);
    current_ = mapping_.find(key);
    if (current_ == nullptr) {
      // Python raises KeyError, whose message is the key's repr.
      error_ = FormatError{FormatError::Kind::kUnknownName, std::string(key), py_repr(key),
                           percent_};
      return false;
    }
    available_ = true;
    return true;
  }

  bool parse_spec(Spec& spec) {
    while (advance()) {
      if (ch_ == '-') spec.ljust = true;
      else if (ch_ == '+') spec.sign = true;
      else if (ch_ == ' ') spec.blank = true;
      else if (ch_ == '#') spec.alt = true;
      else if (ch_ == '0') spec.zero = true;
      else break;
    }
    if (!parse_count(spec.width, std::numeric_limits<std::int64_t>::max(), "width too big")) {
      return false;
    }
    if (ch_ == '.') {
      spec.prec = 0;
      advance();
      if (!parse_count(spec.prec, std::numeric_limits<int>::max(), "precision too big")) {
        return false;
      }
    }
    // A length modifier h, l or L is skipped (once).
    if (!exhausted_ && (ch_ == 'h' || ch_ == 'l' || ch_ == 'L')) advance();
    if (exhausted_) return fail("incomplete format"), false;
    spec.conv = ch_;
    spec.conv_pos = ch_pos_;
    return true;
  }

  // A width or precision at ch_: digits, or '*' taking the next argument.
  bool parse_count(std::int64_t& count, std::int64_t max, const char* too_big) {
    if (ch_ == '*') {
      // Any int '*' consumes leaves nothing for the conversion, which then
      // fails, so its value is never used.
      if (!take_argument()) return false;
      if (current_ == nullptr || !std::holds_alternative<std::int64_t>(*current_)) {
        return fail("* wants int"), false;
      }
      advance();
    } else if (ch_ >= '0' && ch_ <= '9') {
      count = ch_ - '0';
      while (advance() && ch_ >= '0' && ch_ <= '9') {
        const int digit = static_cast<int>(ch_ - '0');
        if (count > (max - digit) / 10) return fail(too_big), false;
        count = count * 10 + digit;
      }
    }
    return true;
  }

  // Python allows exactly one positional use of the argument: the mapping
  // itself, or the value a "(name)" looked up.
  bool take_argument() {
    if (!available_) return fail("not enough arguments for format string"), false;
    available_ = false;
    return true;
  }

  void convert(const Spec& spec) {
    if (!take_argument()) return;
    switch (spec.conv) {
      case 's': case 'r': case 'a': return convert_text(spec);
      case 'c': return convert_char(spec);
      case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
      case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return convert_number(spec);
      default: break;
    }
    const char shown = spec.conv >= 31 && spec.conv <= 126 ? static_cast<char>(spec.conv) : '?';
    // Python reports the index in code points.
    const std::size_t index = py_length(fmt_.substr(0, spec.conv_pos));
    fail(fmt::format("unsupported format character '{}' (0x{:x}) at index {}", shown,
                     static_cast<std::uint32_t>(spec.conv), index));
  }

  void convert_text(const Spec& spec) {
    const bool ascii_only = spec.conv == 'a';
    std::string text;
    if (current_ == nullptr) {
      text = repr_mapping(mapping_, ascii_only);
    } else if (spec.conv == 's' || std::holds_alternative<std::int64_t>(*current_)) {
      text = std::visit([](const auto& v) { return fmt::format("{}", v); }, *current_);
    } else {
      text = repr_value(*current_, ascii_only);
    }
    if (spec.prec >= 0) text = truncate(text, spec.prec);
    if (!within_limits(spec)) return;
    out_ += pad_text(std::move(text), spec);
  }

  void convert_char(const Spec& spec) {
    std::string text;
    if (const auto* i = current_ ? std::get_if<std::int64_t>(current_) : nullptr) {
      if (*i < 0 || *i > 0x10FFFF) return fail("%c arg not in range(0x110000)");
      append_utf8(text, static_cast<char32_t>(*i));
    } else if (const auto* s = current_ ? std::get_if<std::string>(current_) : nullptr;
               s != nullptr && !s->empty() && decode_utf8(*s, 0).length == s->size()) {
      text = *s;
    } else {
      return fail("%c requires int or char");
    }
    if (!within_limits(spec)) return;
    out_ += pad_text(std::move(text), spec);
  }

  void convert_number(const Spec& spec) {
    const auto* i = current_ ? std::get_if<std::int64_t>(current_) : nullptr;
    const bool is_float = std::string_view("eEfFgG").find(static_cast<char>(spec.conv)) !=
                          std::string_view::npos;
    if (i == nullptr) {
      const char* type = current_ == nullptr ? "dict" : "str";
      const bool needs_int = spec.conv == 'o' || spec.conv == 'x' || spec.conv == 'X';
      if (is_float) return fail(fmt::format("must be real number, not {}", type));
      return fail(fmt::format("%{} format: {} is required, not {}", static_cast<char>(spec.conv),
                              needs_int ? "an integer" : "a real number", type));
    }
    if (!within_limits(spec)) return;
    if (spec.prec > kMaxPadding) return fail("precision too big");
    out_ += is_float ? format_float(*i, spec) : format_integer(*i, spec);
  }

  // Checked once the conversion is known to succeed, as only then would
  // Python allocate the padding.
  bool within_limits(const Spec& spec) {
    if (spec.width > kMaxPadding) return fail("width too big"), false;
    return true;
  }

  // The first `count` code points.
  static std::string truncate(const std::string& s, std::int64_t count) {
    std::size_t pos = 0;
    for (; pos < s.size() && count > 0; --count) pos += decode_utf8(s, pos).length;
    return s.substr(0, pos);
  }

  void fail(std::string message) {
    error_ = FormatError{FormatError::Kind::kBadFormat, "", std::move(message), percent_};
  }

  std::string_view fmt_;
  const FormatMapping& mapping_;
  std::size_t pos_ = 0;
  std::size_t percent_ = 0;  // offset of the '%' being converted
  char32_t ch_ = 0;
  std::size_t ch_pos_ = 0;
  bool exhausted_ = false;
  const FormatValue* current_ = nullptr;  // nullptr: the mapping itself
  bool available_ = true;
  std::string out_;
  std::optional<FormatError> error_;
};

}  // namespace

FormatMapping FormatMapping::layered(const FormatMapping& below, const FormatMapping& above) {
  FormatMapping m;
  m.below_ = &below;
  m.above_ = &above;
  return m;
}

void FormatMapping::set(std::string name, FormatValue value) {
  auto [it, fresh] = index_.emplace(name, args_.size());
  if (fresh) args_.push_back({std::move(name), std::move(value)});
  else args_[it->second].value = std::move(value);
}

const FormatValue* FormatMapping::find(std::string_view name) const {
  if (auto it = index_.find(name); it != index_.end()) return &args_[it->second].value;
  if (above_)
    if (const FormatValue* v = above_->find(name)) return v;
  return below_ ? below_->find(name) : nullptr;
}

void FormatMapping::update_into(
    std::vector<FormatArg>& out,
    std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>& at) const {
  if (below_) below_->update_into(out, at);
  if (above_) above_->update_into(out, at);
  for (const FormatArg& a : args_) {
    auto [it, fresh] = at.emplace(a.name, out.size());
    if (fresh) out.push_back(a);
    else out[it->second].value = a.value;
  }
}

std::vector<FormatArg> FormatMapping::args() const {
  if (!below_ && !above_) return args_;
  std::vector<FormatArg> out;
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> at;
  update_into(out, at);
  return out;
}

std::vector<std::string> FormatMapping::sorted_names() const {
  std::vector<std::string> names;
  for (FormatArg& a : args()) names.push_back(std::move(a.name));
  // std::string compares bytes as unsigned char, and UTF-8 byte order is
  // code point order.
  std::sort(names.begin(), names.end());
  return names;
}

std::variant<std::string, FormatError> py_format(std::string_view fmt,
                                                 const FormatMapping& mapping) {
  return Formatter(fmt, mapping).run();
}

std::string py_repr(std::string_view s) { return repr_text(s, false); }

}  // namespace proctor::model
