#include "compiler/syntax/ini_parser.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "compiler/syntax/ini_grammar.h"

namespace proctor::syntax {

namespace {

namespace pegtl = tao::pegtl;
namespace g = ini_grammar;

// ---- Python str semantics over valid UTF-8 --------------------------------

// str.isspace(), the set str.strip() and the regex \s use.
constexpr bool is_py_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 ||
         c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
         c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// Decodes the code point starting at s[i]. The parser only decodes text it
// has validated; py_lower() is public, so a truncated or stray byte is
// returned as itself (length 1) instead of reading past the end.
char32_t decode_at(std::string_view s, std::size_t i, std::size_t* len) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const std::size_t n = b(0) < 0x80 ? 1 : b(0) < 0xe0 ? 2 : b(0) < 0xf0 ? 3 : 4;
  *len = (i + n <= s.size()) ? n : 1;
  if (*len == 1) return b(0);
  if (n == 2) return ((b(0) & 0x1fu) << 6) | (b(1) & 0x3fu);
  if (n == 3) return ((b(0) & 0x0fu) << 12) | ((b(1) & 0x3fu) << 6) | (b(2) & 0x3fu);
  return ((b(0) & 0x07u) << 18) | ((b(1) & 0x3fu) << 12) | ((b(2) & 0x3fu) << 6) | (b(3) & 0x3fu);
}

// Start of the code point that ends just before byte `end` (end > 0).
std::size_t previous_start(std::string_view s, std::size_t end) {
  std::size_t i = end - 1;
  while (i > 0 && is_continuation_byte(s[i])) --i;
  return i;
}

bool ends_with_py_space(std::string_view s, std::size_t end) {
  std::size_t len = 0;
  return end > 0 && is_py_space(decode_at(s, previous_start(s, end), &len));
}

std::string_view py_rstrip(std::string_view s) {
  std::size_t end = s.size();
  while (ends_with_py_space(s, end)) end = previous_start(s, end);
  return s.substr(0, end);
}

std::size_t count_code_points(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return !is_continuation_byte(c); }));
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xc0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xe0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (c & 0x3f));
  }
}

// Python 3.11's one-to-one lowercase mappings (generated from
// `chr(c).lower()` for every code point), as runs: `count` code points from
// `first`, `stride` apart, each mapped to itself + `delta`. U+0130 is the
// only code point whose lowercase is two code points; it is handled apart.
// Python's Final_Sigma context rule is left out: it needs the Cased and
// Case_Ignorable tables (about 1100 ranges) for keys no Supervisor option
// could ever match.
struct LowerRun {
  char32_t first;
  std::uint32_t count;
  std::uint32_t stride;
  std::int32_t delta;
};
constexpr LowerRun kLowerRuns[] = {
    {0x41, 26, 1, 32}, {0xC0, 23, 1, 32}, {0xD8, 7, 1, 32}, {0x100, 24, 2, 1},
    {0x132, 3, 2, 1}, {0x139, 8, 2, 1}, {0x14A, 23, 2, 1}, {0x178, 1, 1, -121},
    {0x179, 3, 2, 1}, {0x181, 1, 1, 210}, {0x182, 2, 2, 1}, {0x186, 1, 1, 206},
    {0x187, 1, 1, 1}, {0x189, 2, 1, 205}, {0x18B, 1, 1, 1}, {0x18E, 1, 1, 79},
    {0x18F, 1, 1, 202}, {0x190, 1, 1, 203}, {0x191, 1, 1, 1}, {0x193, 1, 1, 205},
    {0x194, 1, 1, 207}, {0x196, 1, 1, 211}, {0x197, 1, 1, 209}, {0x198, 1, 1, 1},
    {0x19C, 1, 1, 211}, {0x19D, 1, 1, 213}, {0x19F, 1, 1, 214}, {0x1A0, 3, 2, 1},
    {0x1A6, 1, 1, 218}, {0x1A7, 1, 1, 1}, {0x1A9, 1, 1, 218}, {0x1AC, 1, 1, 1},
    {0x1AE, 1, 1, 218}, {0x1AF, 1, 1, 1}, {0x1B1, 2, 1, 217}, {0x1B3, 2, 2, 1},
    {0x1B7, 1, 1, 219}, {0x1B8, 1, 1, 1}, {0x1BC, 1, 1, 1}, {0x1C4, 1, 1, 2},
    {0x1C5, 1, 1, 1}, {0x1C7, 1, 1, 2}, {0x1C8, 1, 1, 1}, {0x1CA, 1, 1, 2},
    {0x1CB, 9, 2, 1}, {0x1DE, 9, 2, 1}, {0x1F1, 1, 1, 2}, {0x1F2, 2, 2, 1},
    {0x1F6, 1, 1, -97}, {0x1F7, 1, 1, -56}, {0x1F8, 20, 2, 1}, {0x220, 1, 1, -130},
    {0x222, 9, 2, 1}, {0x23A, 1, 1, 10795}, {0x23B, 1, 1, 1}, {0x23D, 1, 1, -163},
    {0x23E, 1, 1, 10792}, {0x241, 1, 1, 1}, {0x243, 1, 1, -195}, {0x244, 1, 1, 69},
    {0x245, 1, 1, 71}, {0x246, 5, 2, 1}, {0x370, 2, 2, 1}, {0x376, 1, 1, 1},
    {0x37F, 1, 1, 116}, {0x386, 1, 1, 38}, {0x388, 3, 1, 37}, {0x38C, 1, 1, 64},
    {0x38E, 2, 1, 63}, {0x391, 17, 1, 32}, {0x3A3, 9, 1, 32}, {0x3CF, 1, 1, 8},
    {0x3D8, 12, 2, 1}, {0x3F4, 1, 1, -60}, {0x3F7, 1, 1, 1}, {0x3F9, 1, 1, -7},
    {0x3FA, 1, 1, 1}, {0x3FD, 3, 1, -130}, {0x400, 16, 1, 80}, {0x410, 32, 1, 32},
    {0x460, 17, 2, 1}, {0x48A, 27, 2, 1}, {0x4C0, 1, 1, 15}, {0x4C1, 7, 2, 1},
    {0x4D0, 48, 2, 1}, {0x531, 38, 1, 48}, {0x10A0, 38, 1, 7264}, {0x10C7, 1, 1, 7264},
    {0x10CD, 1, 1, 7264}, {0x13A0, 80, 1, 38864}, {0x13F0, 6, 1, 8}, {0x1C90, 43, 1, -3008},
    {0x1CBD, 3, 1, -3008}, {0x1E00, 75, 2, 1}, {0x1E9E, 1, 1, -7615}, {0x1EA0, 48, 2, 1},
    {0x1F08, 8, 1, -8}, {0x1F18, 6, 1, -8}, {0x1F28, 8, 1, -8}, {0x1F38, 8, 1, -8},
    {0x1F48, 6, 1, -8}, {0x1F59, 4, 2, -8}, {0x1F68, 8, 1, -8}, {0x1F88, 8, 1, -8},
    {0x1F98, 8, 1, -8}, {0x1FA8, 8, 1, -8}, {0x1FB8, 2, 1, -8}, {0x1FBA, 2, 1, -74},
    {0x1FBC, 1, 1, -9}, {0x1FC8, 4, 1, -86}, {0x1FCC, 1, 1, -9}, {0x1FD8, 2, 1, -8},
    {0x1FDA, 2, 1, -100}, {0x1FE8, 2, 1, -8}, {0x1FEA, 2, 1, -112}, {0x1FEC, 1, 1, -7},
    {0x1FF8, 2, 1, -128}, {0x1FFA, 2, 1, -126}, {0x1FFC, 1, 1, -9}, {0x2126, 1, 1, -7517},
    {0x212A, 1, 1, -8383}, {0x212B, 1, 1, -8262}, {0x2132, 1, 1, 28}, {0x2160, 16, 1, 16},
    {0x2183, 1, 1, 1}, {0x24B6, 26, 1, 26}, {0x2C00, 48, 1, 48}, {0x2C60, 1, 1, 1},
    {0x2C62, 1, 1, -10743}, {0x2C63, 1, 1, -3814}, {0x2C64, 1, 1, -10727}, {0x2C67, 3, 2, 1},
    {0x2C6D, 1, 1, -10780}, {0x2C6E, 1, 1, -10749}, {0x2C6F, 1, 1, -10783}, {0x2C70, 1, 1, -10782},
    {0x2C72, 1, 1, 1}, {0x2C75, 1, 1, 1}, {0x2C7E, 2, 1, -10815}, {0x2C80, 50, 2, 1},
    {0x2CEB, 2, 2, 1}, {0x2CF2, 1, 1, 1}, {0xA640, 23, 2, 1}, {0xA680, 14, 2, 1},
    {0xA722, 7, 2, 1}, {0xA732, 31, 2, 1}, {0xA779, 2, 2, 1}, {0xA77D, 1, 1, -35332},
    {0xA77E, 5, 2, 1}, {0xA78B, 1, 1, 1}, {0xA78D, 1, 1, -42280}, {0xA790, 2, 2, 1},
    {0xA796, 10, 2, 1}, {0xA7AA, 1, 1, -42308}, {0xA7AB, 1, 1, -42319}, {0xA7AC, 1, 1, -42315},
    {0xA7AD, 1, 1, -42305}, {0xA7AE, 1, 1, -42308}, {0xA7B0, 1, 1, -42258}, {0xA7B1, 1, 1, -42282},
    {0xA7B2, 1, 1, -42261}, {0xA7B3, 1, 1, 928}, {0xA7B4, 8, 2, 1}, {0xA7C4, 1, 1, -48},
    {0xA7C5, 1, 1, -42307}, {0xA7C6, 1, 1, -35384}, {0xA7C7, 2, 2, 1}, {0xA7D0, 1, 1, 1},
    {0xA7D6, 2, 2, 1}, {0xA7F5, 1, 1, 1}, {0xFF21, 26, 1, 32}, {0x10400, 40, 1, 40},
    {0x104B0, 36, 1, 40}, {0x10570, 11, 1, 39}, {0x1057C, 15, 1, 39}, {0x1058C, 7, 1, 39},
    {0x10594, 2, 1, 39}, {0x10C80, 51, 1, 64}, {0x118A0, 32, 1, 32}, {0x16E40, 32, 1, 32},
    {0x1E900, 34, 1, 34},
};

char32_t lower_code_point(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  auto it = std::upper_bound(std::begin(kLowerRuns), std::end(kLowerRuns), c,
                             [](char32_t v, const LowerRun& r) { return v < r.first; });
  if (it == std::begin(kLowerRuns)) return c;
  const LowerRun& r = *std::prev(it);
  const char32_t offset = c - r.first;
  if (offset % r.stride != 0 || offset / r.stride >= r.count) return c;
  return static_cast<char32_t>(static_cast<std::int32_t>(c) + r.delta);
}

// Quotes user text in a message, cut short (on a character boundary) so a
// 10 MB line does not become a 10 MB message.
std::string quote(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return fmt::format("`{}`", text);
  std::size_t cut = kMax;
  while (cut > 0 && is_continuation_byte(text[cut])) --cut;
  return fmt::format("`{}...`", text.substr(0, cut));
}

// configparser's inline-comment search. It is not "the first ';' or '#'
// after whitespace": each round advances every prefix to its next
// occurrence, and the first round in which any of them follows whitespace
// (or starts the line) wins, with the smallest such index of that round.
// So in "x#y #z ;w" round 1 sees '#'@1 (no) and ';'@7 (yes): the comment
// starts at ';', not at the earlier " #". Linear: both finds only advance.
std::size_t inline_comment_start(std::string_view line) {
  std::size_t next[2] = {0, 0};  // where ';' and '#' are searched from
  bool active[2] = {true, true};
  const char prefixes[2] = {';', '#'};
  while (active[0] || active[1]) {
    std::size_t found = std::string_view::npos;
    for (int p = 0; p < 2; ++p) {
      if (!active[p]) continue;
      const std::size_t at = line.find(prefixes[p], next[p]);
      if (at == std::string_view::npos) {
        active[p] = false;
        continue;
      }
      next[p] = at + 1;
      if (at == 0 || ends_with_py_space(line, at)) found = std::min(found, at);
    }
    if (found != std::string_view::npos) return found;
  }
  return std::string_view::npos;
}

// ---- reading one file ------------------------------------------------------

// What `value_line` found in one stripped value; filled by value_action.
// Parts of a failed `option` attempt may be set too, so they are only read
// when the parse as a whole succeeded.
struct ValueParts {
  bool is_header = false;
  const char* header_close = nullptr;
  std::string_view key;
  const char* delim = nullptr;
  std::string_view value;
};

template <typename Rule>
struct value_action : pegtl::nothing<Rule> {};
template <>
struct value_action<g::header> {
  template <typename In>
  static void apply(const In&, ValueParts& v) { v.is_header = true; }
};
template <>
struct value_action<g::header_close> {
  template <typename In>
  static void apply(const In& in, ValueParts& v) { v.header_close = in.begin(); }
};
template <>
struct value_action<g::option_key> {
  template <typename In>
  static void apply(const In& in, ValueParts& v) { v.key = in.string_view(); }
};
template <>
struct value_action<g::option_delim> {
  template <typename In>
  static void apply(const In& in, ValueParts& v) { v.delim = in.begin(); }
};
template <>
struct value_action<g::option_value> {
  template <typename In>
  static void apply(const In& in, ValueParts& v) { v.value = in.string_view(); }
};

// The state of RawConfigParser._read while it walks one file's lines.
class Reader {
 public:
  Reader(FileId file, DiagSink& sink) : sink_(sink) { out_.file = file; }

  void start_line(const char* begin, std::string_view indent) {
    line_begin_ = begin;
    indent_cps_ = count_code_points(indent);
  }
  void end_line() { ++lineno_; }
  void blank_line();
  void text_line(std::string_view body);
  IniFile finish();

 private:
  SourceRange range(const char* p, std::size_t length) const {
    return {{out_.file, lineno_, static_cast<std::uint32_t>(p - line_begin_ + 1)},
            static_cast<std::uint32_t>(length)};
  }
  IniOption& option() { return out_.sections.back().options.back(); }
  void header_or_option(std::string_view value, std::string_view line);
  void open_section(std::string_view value, const ValueParts& v);
  void add_option(const ValueParts& v);
  void missing_header(std::string_view value, std::string_view line);
  void invalid_line(std::string_view value);

  DiagSink& sink_;
  IniFile out_;
  std::uint32_t lineno_ = 1;
  const char* line_begin_ = nullptr;
  std::size_t indent_cps_ = 0;    // this line's indent, in code points
  std::size_t indent_level_ = 0;  // configparser's indent_level
  bool has_option_ = false;       // configparser's `optname` is truthy
  bool stopped_ = false;          // MissingSectionHeaderError was raised
};

// A line of only whitespace is an empty line of the current value.
void Reader::blank_line() {
  if (stopped_ || !has_option_) return;
  option().value += '\n';
}

void Reader::text_line(std::string_view body) {
  if (stopped_) return;
  // body[0] is neither space nor '#'/';', so the value is never empty.
  const std::string_view value = py_rstrip(body.substr(0, inline_comment_start(body)));
  if (has_option_ && indent_cps_ > indent_level_) {
    option().value += '\n';
    option().value += value;
    option().last_line = lineno_;
    return;
  }
  indent_level_ = indent_cps_;
  header_or_option(value, std::string_view(line_begin_, body.data() + body.size() - line_begin_));
}

void Reader::header_or_option(std::string_view value, std::string_view line) {
  ValueParts v;
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(value.data(), value.size(), "");
  const bool matched = pegtl::parse<g::value_line, value_action>(in, v);
  if (matched && v.is_header) {
    open_section(value, v);
  } else if (out_.sections.empty()) {
    missing_header(value, line);
  } else if (matched) {
    add_option(v);
  } else {
    invalid_line(value);
  }
}

void Reader::open_section(std::string_view value, const ValueParts& v) {
  IniSection section;
  section.name.assign(value.data() + 1, v.header_close);
  section.header_range = range(value.data(), v.header_close + 1 - value.data());
  out_.sections.push_back(std::move(section));
  has_option_ = false;  // "sections can't start with a continuation line"
}

void Reader::add_option(const ValueParts& v) {
  const std::string_view key = py_rstrip(v.key);
  IniOption opt;
  opt.key = py_lower(key);
  opt.value = std::string(v.value);
  opt.key_range = range(v.key.data(), key.size());
  opt.value_range = v.value.empty() ? range(v.delim + 1, 0) : range(v.value.data(), v.value.size());
  opt.last_line = lineno_;
  out_.sections.back().options.push_back(std::move(opt));
  // An empty name is an error, yet configparser still stores it; being
  // falsy, it takes no continuation lines.
  has_option_ = !key.empty();
  if (key.empty()) {
    out_.failed = true;
    sink_.report(DiagCode::P1003, range(v.delim, 1), "option has an empty name")
        .help = "write the option's name before the `=` or `:`";
  }
}

void Reader::missing_header(std::string_view value, std::string_view line) {
  out_.failed = true;
  stopped_ = true;  // configparser raises here and reads no further
  Diagnostic& d = sink_.report(
      DiagCode::P1002, range(value.data(), value.size()),
      fmt::format("the file has text before its first [section] header: {}", quote(line)));
  if (lineno_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") {
    d.help = "the file starts with a UTF-8 byte order mark (U+FEFF), which configparser "
             "does not skip; save the file without a BOM";
  } else {
    d.help = "add a section header such as [supervisord] above this line";
  }
}

void Reader::invalid_line(std::string_view value) {
  out_.failed = true;
  Diagnostic& d = sink_.report(
      DiagCode::P1003, range(value.data(), value.size()),
      fmt::format("{} is neither a [section] header nor a `name = value` option", quote(value)));
  if (has_option_ && indent_cps_ > 0) {
    d.help = fmt::format("to continue the value of `{}`, indent this line deeper than the line "
                         "that starts the option", option().key);
  } else {
    d.help = "separate the option's name from its value with `=` or `:`, or start the line "
             "with `#` or `;` to make it a comment";
  }
}

// configparser joins each value's lines with '\n' and rstrips the result,
// so trailing blank lines vanish.
IniFile Reader::finish() {
  for (IniSection& s : out_.sections)
    for (IniOption& o : s.options) o.value.resize(py_rstrip(o.value).size());
  return std::move(out_);
}

template <typename Rule>
struct line_action : pegtl::nothing<Rule> {};
template <>
struct line_action<g::indent> {
  template <typename In>
  static void apply(const In& in, Reader& r) { r.start_line(in.begin(), in.string_view()); }
};
template <>
struct line_action<g::line_end> {
  template <typename In>
  static void apply(const In&, Reader& r) { r.end_line(); }
};
template <>
struct line_action<g::blank> {
  template <typename In>
  static void apply(const In&, Reader& r) { r.blank_line(); }
};
template <>
struct line_action<g::text> {
  template <typename In>
  static void apply(const In& in, Reader& r) { r.text_line(in.string_view()); }
};

// Line and column of byte `offset`, counting lines as SourceManager does.
SourceLoc locate(FileId file, std::string_view text, std::size_t offset) {
  SourceLoc loc{file, 1, 1};
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++loc.line;
      line_start = i + 1;
    }
  }
  loc.column = static_cast<std::uint32_t>(offset - line_start + 1);
  return loc;
}

// Python decodes the whole file before parsing, so one bad byte anywhere
// means no section at all. Returns false (after reporting) in that case.
bool check_utf8(FileId file, std::string_view text, DiagSink& sink) {
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), "");
  pegtl::parse<g::utf8_prefix>(in);
  if (in.empty()) return true;
  const std::size_t offset = static_cast<std::size_t>(in.current() - text.data());
  sink.report(DiagCode::P1004, {locate(file, text, offset), 1},
              fmt::format("the file is not valid UTF-8: byte 0x{:02x} at byte offset {} does "
                          "not start a valid UTF-8 sequence",
                          static_cast<unsigned char>(text[offset]), offset))
      .help = "configparser reads config files as UTF-8; save the file in that encoding";
  return false;
}

}  // namespace

std::string py_lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0, len = 0; i < text.size(); i += len) {
    const char32_t c = decode_at(text, i, &len);
    if (len == 1 && c >= 0x80) {
      out += text[i];  // not UTF-8: keep the byte as it is
    } else if (c == 0x130) {
      out += "i\xCC\x87";  // U+0130 lowercases to "i" + U+0307
    } else {
      append_utf8(out, lower_code_point(c));
    }
  }
  return out;
}

IniFile parse_ini(const SourceManager& sm, FileId file, DiagSink& sink) {
  const std::string& text = sm.text(file);
  if (!check_utf8(file, text, sink)) {
    IniFile failed;
    failed.file = file;
    failed.failed = true;
    return failed;
  }
  Reader reader(file, sink);
  pegtl::memory_input<pegtl::tracking_mode::lazy> in(text.data(), text.size(), sm.name(file));
  pegtl::parse<g::file, line_action>(in, reader);  // matches any valid UTF-8
  return reader.finish();
}

}  // namespace proctor::syntax
