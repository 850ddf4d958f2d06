// Expectations are Python 3.11's own answers: the tables were printed by
// /usr/bin/python3 evaluating `fmt % mapping` and repr() on the same inputs.

#include "compiler/model/py_format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace proctor::model {
namespace {

using namespace std::literals;

// The dict the format tables use, in Python's insertion order.
FormatMapping test_mapping() {
  const FormatArg args[] = {
    {"ENV_HOME"s, "/tmp"s}, {"process_num"s, std::int64_t{1}}, {"n"s, std::int64_t{-42}},
    {"big"s, std::int64_t{9223372036854775807}}, {"neg"s, std::int64_t{INT64_MIN}}, {"c"s, "x"s},
    {"e"s, ""s}, {"u"s, "héllo"s}, {"z"s, std::int64_t{0}}, {"q"s, "it's"s},
    {"ctl"s, "a\012b\011\\\177\302\205\342\200\250😀é"s},
  };
  FormatMapping m;
  for (const FormatArg& a : args) m.set(a.name, a.value);
  return m;
}

constexpr auto kBad = FormatError::Kind::kBadFormat;
constexpr auto kUnknown = FormatError::Kind::kUnknownName;

TEST(PyFormat, MatchesPythonPercentFormatting) {
  struct Case {
    std::string_view format;
    bool ok;
    std::string text;  ///< the result, or Python's message, or the unknown name
    FormatError::Kind kind = kBad;
  };
  const Case cases[] = {
    {"plain"sv, true, "plain"s}, {""sv, true, ""s}, {"%%"sv, true, "%"s},
    {"x%%y%(process_num)d%%"sv, true, "x%y1%"s}, {"%(ENV_HOME)s"sv, true, "/tmp"s},
    {"%(process_num)s"sv, true, "1"s}, {"%(process_num)02d"sv, true, "01"s},
    {"%(n)5d"sv, true, "  -42"s}, {"%(n)-5d|"sv, true, "-42  |"s}, {"%(n)05d"sv, true, "-0042"s},
    {"%(n)+d"sv, true, "-42"s}, {"%(process_num)+d"sv, true, "+1"s},
    {"%(process_num) d"sv, true, " 1"s}, {"%(process_num) +d"sv, true, "+1"s},
    {"%(process_num)+05d"sv, true, "+0001"s}, {"%(n).5d"sv, true, "-00042"s},
    {"%(n)08.5d"sv, true, "-0000042"s}, {"%(process_num)-08d|"sv, true, "1       |"s},
    {"%(z).0d"sv, true, "0"s}, {"%(big)d"sv, true, "9223372036854775807"s},
    {"%(neg)d"sv, true, "-9223372036854775808"s}, {"%(process_num)i"sv, true, "1"s},
    {"%(process_num)u"sv, true, "1"s}, {"%(process_num)#o"sv, true, "0o1"s},
    {"%(process_num)#x"sv, true, "0x1"s}, {"%(n)#X"sv, true, "-0X2A"s},
    {"%(neg)x"sv, true, "-8000000000000000"s}, {"%(neg)#o"sv, true, "-0o1000000000000000000000"s},
    {"%(process_num)#08x"sv, true, "0x000001"s}, {"%(process_num)#5o"sv, true, "  0o1"s},
    {"%(process_num)-#5x|"sv, true, "0x1  |"s}, {"%(process_num)#.3x"sv, true, "0x001"s},
    {"%(big)X"sv, true, "7FFFFFFFFFFFFFFF"s}, {"%(process_num)e"sv, true, "1.000000e+00"s},
    {"%(process_num)f"sv, true, "1.000000"s}, {"%(process_num)g"sv, true, "1"s},
    {"%(process_num)F"sv, true, "1.000000"s}, {"%(n)E"sv, true, "-4.200000E+01"s},
    {"%(n)G"sv, true, "-42"s}, {"%(big)e"sv, true, "9.223372e+18"s},
    {"%(big)f"sv, true, "9223372036854775808.000000"s}, {"%(big)g"sv, true, "9.22337e+18"s},
    {"%(neg)e"sv, true, "-9.223372e+18"s}, {"%(big).20e"sv, true, "9.22337203685477580800e+18"s},
    {"%(process_num)#g"sv, true, "1.00000"s}, {"%(process_num).3f"sv, true, "1.000"s},
    {"%(process_num)10.2e"sv, true, "  1.00e+00"s}, {"%(process_num)+.2f"sv, true, "+1.00"s},
    {"%(process_num)010.2f"sv, true, "0000001.00"s}, {"%(n)010.2f"sv, true, "-000042.00"s},
    {"%(process_num)-10.2f|"sv, true, "1.00      |"s}, {"%(process_num) .1e"sv, true, " 1.0e+00"s},
    {"%(process_num).0e"sv, true, "1e+00"s}, {"%(process_num)#.0e"sv, true, "1.e+00"s},
    {"%(process_num).0f"sv, true, "1"s}, {"%(process_num)#.0f"sv, true, "1."s},
    {"%(process_num)#.0g"sv, true, "1."s}, {"%(process_num).20g"sv, true, "1"s},
    {"%(ENV_HOME)10s|"sv, true, "      /tmp|"s}, {"%(ENV_HOME)-10s|"sv, true, "/tmp      |"s},
    {"%(ENV_HOME).2s"sv, true, "/t"s}, {"%(ENV_HOME)010s"sv, true, "      /tmp"s},
    {"%(ENV_HOME)-+#0 s"sv, true, "/tmp"s}, {"%(u)8s|"sv, true, "   héllo|"s},
    {"%(u).2s"sv, true, "hé"s}, {"%(u)r"sv, true, "'héllo'"s}, {"%(u)a"sv, true, "'h\\xe9llo'"s},
    {"%(ENV_HOME)r"sv, true, "'/tmp'"s}, {"%(q)r"sv, true, "\"it's\""s},
    {"%(ctl)r"sv, true, "'a\\nb\\t\\\\\\x7f\\x85\\u2028😀é'"s},
    {"%(ctl)a"sv, true, "'a\\nb\\t\\\\\\x7f\\x85\\u2028\\U0001f600\\xe9'"s},
    {"%(process_num)r"sv, true, "1"s}, {"%(n)a"sv, true, "-42"s},
    {"%(process_num)5.3s"sv, true, "    1"s}, {"%(e)s|"sv, true, "|"s}, {"%(c)c"sv, true, "x"s},
    {"%(c)5c|"sv, true, "    x|"s}, {"%(c).0c|"sv, true, "x|"s},
    {"%(process_num)c"sv, true, "\001"s}, {"%(z)c|"sv, true, "\000|"s},
    {"%(big)c"sv, false, "%c arg not in range(0x110000)"s},
    {"%(n)c"sv, false, "%c arg not in range(0x110000)"s},
    {"%(ENV_HOME)c"sv, false, "%c requires int or char"s},
    {"%(u)c"sv, false, "%c requires int or char"s}, {"%(e)c"sv, false, "%c requires int or char"s},
    {"%(process_num)hd"sv, true, "1"s}, {"%(process_num)ld"sv, true, "1"s},
    {"%(process_num)Ld"sv, true, "1"s}, {"%(ENV_HOME)ls"sv, true, "/tmp"s},
    {"%(ENV_HOME)Lr"sv, true, "'/tmp'"s},
    {"%s"sv, true, "{'ENV_HOME': '/tmp', 'process_num': 1, 'n': -42, 'big': 9223372036854775807, 'neg': -9223372036854775808, 'c': 'x', 'e': '', 'u': 'héllo', 'z': 0, 'q': \"it's\", 'ctl': 'a\\nb\\t\\\\\\x7f\\x85\\u2028😀é'}"s},
    {"%r"sv, true, "{'ENV_HOME': '/tmp', 'process_num': 1, 'n': -42, 'big': 9223372036854775807, 'neg': -9223372036854775808, 'c': 'x', 'e': '', 'u': 'héllo', 'z': 0, 'q': \"it's\", 'ctl': 'a\\nb\\t\\\\\\x7f\\x85\\u2028😀é'}"s},
    {"%a"sv, true, "{'ENV_HOME': '/tmp', 'process_num': 1, 'n': -42, 'big': 9223372036854775807, 'neg': -9223372036854775808, 'c': 'x', 'e': '', 'u': 'h\\xe9llo', 'z': 0, 'q': \"it's\", 'ctl': 'a\\nb\\t\\\\\\x7f\\x85\\u2028\\U0001f600\\xe9'}"s},
    {"%5.10s|"sv, true, "{'ENV_HOME|"s},
    {"%s%s"sv, false, "not enough arguments for format string"s},
    {"%s%(process_num)s"sv, true, "{'ENV_HOME': '/tmp', 'process_num': 1, 'n': -42, 'big': 9223372036854775807, 'neg': -9223372036854775808, 'c': 'x', 'e': '', 'u': 'héllo', 'z': 0, 'q': \"it's\", 'ctl': 'a\\nb\\t\\\\\\x7f\\x85\\u2028😀é'}1"s},
    {"%(process_num)s%s"sv, false, "not enough arguments for format string"s},
    {"%s%(process_num)s%s"sv, false, "not enough arguments for format string"s},
    {"%d"sv, false, "%d format: a real number is required, not dict"s},
    {"%i"sv, false, "%i format: a real number is required, not dict"s},
    {"%x"sv, false, "%x format: an integer is required, not dict"s},
    {"%e"sv, false, "must be real number, not dict"s}, {"%c"sv, false, "%c requires int or char"s},
    {"%*d"sv, false, "* wants int"s}, {"%.*d"sv, false, "* wants int"s},
    {"%(n)*d"sv, false, "not enough arguments for format string"s},
    {"%(n).*d"sv, false, "not enough arguments for format string"s},
    {"%(ENV_HOME)*d"sv, false, "* wants int"s},
    {"%(n)*q"sv, false, "not enough arguments for format string"s},
    {"%(n)*"sv, false, "incomplete format"s},
    {"%s%q"sv, false, "not enough arguments for format string"s},
    {"%(missing)s"sv, false, "missing"s, kUnknown}, {"%(missing)q"sv, false, "missing"s, kUnknown},
    {"%()s"sv, false, ""s, kUnknown}, {"%(a(b)c)s"sv, false, "a(b)c"s, kUnknown},
    {"%s%(missing)s"sv, false, "missing"s, kUnknown}, {"%"sv, false, "incomplete format"s},
    {"abc%"sv, false, "incomplete format"s}, {"%(ENV_HOME"sv, false, "incomplete format key"s},
    {"%("sv, false, "incomplete format key"s}, {"%(n)"sv, false, "incomplete format"s},
    {"%(n)-"sv, false, "incomplete format"s}, {"%(n)0"sv, false, "incomplete format"s},
    {"%(n)."sv, false, "incomplete format"s}, {"%(n)5"sv, false, "incomplete format"s},
    {"%(n)5."sv, false, "incomplete format"s}, {"%(n)5.2"sv, false, "incomplete format"s},
    {"%(n)l"sv, false, "incomplete format"s}, {"%(n)h"sv, false, "incomplete format"s},
    {"%(n)5h"sv, false, "incomplete format"s},
    {"%(ENV_HOME)q"sv, false, "unsupported format character 'q' (0x71) at index 11"s},
    {"%q"sv, false, "unsupported format character 'q' (0x71) at index 1"s},
    {"é%q"sv, false, "unsupported format character 'q' (0x71) at index 2"s},
    {"%(n)lld"sv, false, "unsupported format character 'l' (0x6c) at index 5"s},
    {"%(n)hh"sv, false, "unsupported format character 'h' (0x68) at index 5"s},
    {"%(n)h5d"sv, false, "unsupported format character '5' (0x35) at index 5"s},
    {"%(ENV_HOME)%"sv, false, "unsupported format character '%' (0x25) at index 11"s},
    {"%5%"sv, false, "unsupported format character '%' (0x25) at index 2"s},
    {"% %"sv, false, "unsupported format character '%' (0x25) at index 2"s},
    {"%-%"sv, false, "unsupported format character '%' (0x25) at index 2"s},
    {"%(n)(b)s"sv, false, "unsupported format character '(' (0x28) at index 4"s},
    {"%(ENV_HOME)\001"sv, false, "unsupported format character '?' (0x1) at index 11"s},
    {"%(ENV_HOME)\037"sv, false, "unsupported format character '\037' (0x1f) at index 11"s},
    {"%(ENV_HOME)\177"sv, false, "unsupported format character '?' (0x7f) at index 11"s},
    {"%(ENV_HOME)é"sv, false, "unsupported format character '?' (0xe9) at index 11"s},
    {"%\343\200\200"sv, false, "unsupported format character '?' (0x3000) at index 1"s},
    {"日本%(ENV_HOME)é"sv, false, "unsupported format character '?' (0xe9) at index 13"s},
    {"%(ENV_HOME)d"sv, false, "%d format: a real number is required, not str"s},
    {"%(ENV_HOME)i"sv, false, "%i format: a real number is required, not str"s},
    {"%(ENV_HOME)u"sv, false, "%u format: a real number is required, not str"s},
    {"%(ENV_HOME)x"sv, false, "%x format: an integer is required, not str"s},
    {"%(ENV_HOME)o"sv, false, "%o format: an integer is required, not str"s},
    {"%(ENV_HOME)X"sv, false, "%X format: an integer is required, not str"s},
    {"%(ENV_HOME)e"sv, false, "must be real number, not str"s},
    {"%(ENV_HOME)g"sv, false, "must be real number, not str"s},
    {"%(n)99999999999999999999d"sv, false, "width too big"s},
    {"%(n).99999999999999999999d"sv, false, "precision too big"s},
    {"%(n)9223372036854775808s"sv, false, "width too big"s},
    {"%(n).2147483648s"sv, false, "precision too big"s},
    {"%(ENV_HOME).2147483647s"sv, true, "/tmp"s},
    {"%(n)*.99999999999d"sv, false, "precision too big"s},
  };
  const FormatMapping mapping = test_mapping();
  for (const Case& c : cases) {
    const auto result = py_format(c.format, mapping);
    if (c.ok) {
      ASSERT_TRUE(std::holds_alternative<std::string>(result))
          << "format '" << c.format << "': " << std::get<FormatError>(result).message;
      EXPECT_EQ(std::get<std::string>(result), c.text) << "format '" << c.format << "'";
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<FormatError>(result)) << "format '" << c.format << "'";
    const FormatError& error = std::get<FormatError>(result);
    EXPECT_EQ(error.kind, c.kind) << "format '" << c.format << "'";
    EXPECT_EQ(c.kind == kUnknown ? error.name : error.message, c.text)
        << "format '" << c.format << "'";
  }
}

TEST(PyFormat, ErrorOffsetIsTheByteOffsetOfThePercent) {
  const FormatMapping mapping = test_mapping();
  const auto unknown = std::get<FormatError>(py_format("ab%(missing)s", mapping));
  EXPECT_EQ(unknown.offset, 2u);
  EXPECT_EQ(unknown.message, "'missing'");  // KeyError's message: the key's repr
  EXPECT_EQ(std::get<FormatError>(py_format("日本%q", mapping)).offset, 6u);
  EXPECT_EQ(std::get<FormatError>(py_format("%(n)d%(ENV_HOME)d", mapping)).offset, 5u);
}

// Python would pad to any width memory allows; proctor stops at 2^20 so a
// hostile config cannot exhaust memory, and only once the conversion is
// otherwise valid (type errors still win, as in Python).
TEST(PyFormat, RefusesPaddingBeyondOneMebibyte) {
  const FormatMapping mapping = test_mapping();
  EXPECT_EQ(std::get<std::string>(py_format("%(n)1048576d", mapping)).size(), 1048576u);
  EXPECT_EQ(std::get<FormatError>(py_format("%(n)1048577d", mapping)).message, "width too big");
  EXPECT_EQ(std::get<FormatError>(py_format("%(n).1048577d", mapping)).message,
            "precision too big");
  EXPECT_EQ(std::get<FormatError>(py_format("%(ENV_HOME)9999999d", mapping)).message,
            "%d format: a real number is required, not str");
  EXPECT_EQ(std::get<std::string>(py_format("%(ENV_HOME).9999999s", mapping)), "/tmp");
}

TEST(FormatMapping, ADuplicateNameKeepsItsPositionAndTakesTheNewValue) {
  FormatMapping m;
  m.set("a", std::int64_t{1});
  m.set("b", "x"s);
  m.set("a", "y"s);
  ASSERT_EQ(m.args().size(), 2u);
  EXPECT_EQ(m.args()[0].name, "a");
  EXPECT_EQ(std::get<std::string>(*m.find("a")), "y");
  EXPECT_EQ(m.find("c"), nullptr);
  // Python: {'a': 1, 'b': 'x'} then d['a'] = 'y'; '%s' % d
  EXPECT_EQ(std::get<std::string>(py_format("%s", m)), "{'a': 'y', 'b': 'x'}");
}

TEST(FormatMapping, SortedNamesUseCodePointOrder) {
  FormatMapping m;
  for (const char* name : {"b", "a", "é", "Z", "日", "_", "ab", "😀", "\uffff"}) {
    m.set(name, std::int64_t{0});
  }
  // sorted(['b', 'a', 'é', 'Z', '日', '_', 'ab', '😀', '\uffff'])
  const std::vector<std::string> expected = {"Z", "_", "a", "ab", "b",
                                             "é", "日", "\uffff", "😀"};
  EXPECT_EQ(m.sorted_names(), expected);
}

TEST(PyRepr, MatchesPythonRepr) {
  struct Case {
    std::string_view input;
    std::string repr;
  };
  // Invalid UTF-8 bytes read as Python's surrogateescape would decode them.
  const Case cases[] = {
    {""sv, "''"s}, {"abc"sv, "'abc'"s}, {"it's"sv, "\"it's\""s}, {"say \"hi\""sv, "'say \"hi\"'"s},
    {"a'b\"c"sv, "'a\\'b\"c'"s}, {"\\"sv, "'\\\\'"s}, {"\011\012\015"sv, "'\\t\\n\\r'"s},
    {"\000\001\037\177"sv, "'\\x00\\x01\\x1f\\x7f'"s}, {"é日本😀"sv, "'é日本😀'"s},
    {"\302\205\302\240\302\255"sv, "'\\x85\\xa0\\xad'"s},
    {"\342\200\213\342\200\250\342\200\251\343\200\200"sv, "'\\u200b\\u2028\\u2029\\u3000'"s},
    {"\357\273\277\363\240\200\201"sv, "'\\ufeff\\U000e0001'"s},
    {"\364\217\277\277\363\260\200\200"sv, "'\\U0010ffff\\U000f0000'"s},
    {"\315\270"sv, "'\\u0378'"s}, {" "sv, "' '"s}, {"\377"sv, "'\\udcff'"s},
    {"a\200b"sv, "'a\\udc80b'"s},
  };
  for (const Case& c : cases) EXPECT_EQ(py_repr(c.input), c.repr) << "input '" << c.input << "'";
}

}  // namespace
}  // namespace proctor::model
