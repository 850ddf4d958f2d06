// Expectations are Python 3.11's own answers: each table was printed by
// /usr/bin/python3 running shlex.shlex (and Supervisor 4.2.5's
// datatypes.dict_of_key_value_pairs) on the same inputs.

#include "compiler/model/py_shlex.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/model/value_types.h"

namespace proctor::model {
namespace {

using namespace std::literals;

TEST(PyShlex, MatchesPythonNonPosixShlex) {
  struct Case {
    std::string_view input;
    std::string_view extra_wordchars;
    bool ok;
    std::vector<std::string> tokens;
  };
  const Case cases[] = {
    {"A=1,B=2"sv, "/.+-():"sv, true, {"A"s, "="s, "1"s, ","s, "B"s, "="s, "2"s}},
    {"a b\011c\015\012d"sv, "/.+-():"sv, true, {"a"s, "b"s, "c"s, "d"s}},
    {"x\"y z\""sv, "/.+-():"sv, true, {"x\"y"s, "z\""s}},
    {"\"a b\"c"sv, "/.+-():"sv, true, {"\"a b\""s, "c"s}},
    {"'it''s'"sv, "/.+-():"sv, true, {"'it'"s, "'s'"s}}, {"#all comment"sv, "/.+-():"sv, true, {}},
    {"ab#c\012cd"sv, "/.+-():"sv, true, {"abcd"s}},
    {"a #c\012b"sv, "/.+-():"sv, true, {"a"s, "b"s}}, {"\"#\""sv, "/.+-():"sv, true, {"\"#\""s}},
    {"a.b/c+d-e(f):g"sv, "/.+-():"sv, true, {"a.b/c+d-e(f):g"s}},
    {"日本"sv, "/.+-():"sv, true, {"日"s, "本"s}}, {"é1"sv, "/.+-():"sv, true, {"é"s, "1"s}},
    {"a@b"sv, "/.+-():"sv, true, {"a"s, "@"s, "b"s}}, {"$x"sv, "/.+-():"sv, true, {"$"s, "x"s}},
    {""sv, "/.+-():"sv, true, {}}, {"\"x"sv, "/.+-():"sv, false, {}},
    {"'"sv, "/.+-():"sv, false, {}}, {"a\"b c\""sv, "/.+-():"sv, true, {"a\"b"s, "c\""s}},
    {"\"\012\""sv, "/.+-():"sv, true, {"\"\012\""s}},
    {"a\000b"sv, "/.+-():"sv, true, {"a"s, "\000"s, "b"s}},
    {"A=1,B=2"sv, ""sv, true, {"A"s, "="s, "1"s, ","s, "B"s, "="s, "2"s}},
    {"a b\011c\015\012d"sv, ""sv, true, {"a"s, "b"s, "c"s, "d"s}},
    {"x\"y z\""sv, ""sv, true, {"x\"y"s, "z\""s}}, {"\"a b\"c"sv, ""sv, true, {"\"a b\""s, "c"s}},
    {"'it''s'"sv, ""sv, true, {"'it'"s, "'s'"s}}, {"#all comment"sv, ""sv, true, {}},
    {"ab#c\012cd"sv, ""sv, true, {"abcd"s}}, {"a #c\012b"sv, ""sv, true, {"a"s, "b"s}},
    {"\"#\""sv, ""sv, true, {"\"#\""s}},
    {"a.b/c+d-e(f):g"sv, ""sv, true,
     {"a"s, "."s, "b"s, "/"s, "c"s, "+"s, "d"s, "-"s, "e"s, "("s, "f"s, ")"s, ":"s, "g"s}},
    {"日本"sv, ""sv, true, {"日"s, "本"s}}, {"é1"sv, ""sv, true, {"é"s, "1"s}},
    {"a@b"sv, ""sv, true, {"a"s, "@"s, "b"s}}, {"$x"sv, ""sv, true, {"$"s, "x"s}},
    {""sv, ""sv, true, {}}, {"\"x"sv, ""sv, false, {}}, {"'"sv, ""sv, false, {}},
    {"a\"b c\""sv, ""sv, true, {"a\"b"s, "c\""s}}, {"\"\012\""sv, ""sv, true, {"\"\012\""s}},
    {"a\000b"sv, ""sv, true, {"a"s, "\000"s, "b"s}},
  };
  for (const Case& c : cases) {
    const auto result = py_shlex(c.input, c.extra_wordchars);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "' extra '" << c.extra_wordchars << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.tokens) << "input '" << c.input << "'";
    }
    if (!result.ok()) {
      EXPECT_EQ(result.error(), "No closing quotation");
    }
  }
}

TEST(KeyValuePairs, MatchesSupervisor) {
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  struct Case {
    std::string_view input;
    bool ok;
    Pairs pairs;
  };
  const Case cases[] = {
    {"A=1,B=2"sv, true, {{"A"s, "1"s}, {"B"s, "2"s}}},
    {"A=\"x,y\",B=2"sv, true, {{"A"s, "x,y"s}, {"B"s, "2"s}}},
    {"A='x y'"sv, true, {{"A"s, "x y"s}}}, {"A=1,A=2"sv, true, {{"A"s, "2"s}}},
    {"A=1,B=2,A=3"sv, true, {{"A"s, "3"s}, {"B"s, "2"s}}}, {"A=1,"sv, true, {{"A"s, "1"s}}},
    {"B=="sv, true, {{"B"s, "="s}}}, {"A=1;B=2"sv, true, {{"A"s, "1"s}, {"B"s, "2"s}}},
    {"A=1 ,B=2"sv, true, {{"A"s, "1"s}, {"B"s, "2"s}}},
    {"A = 1 , B = 2"sv, true, {{"A"s, "1"s}, {"B"s, "2"s}}},
    {"A=hello world B=2"sv, true, {{"A"s, "hello"s}, {"B"s, "2"s}}},
    {"A=x\011y"sv, true, {{"A"s, "x"s}}}, {"A=x\015\012B"sv, true, {{"A"s, "x"s}}},
    {"A=1,\012B=2"sv, true, {{"A"s, "1"s}, {"B"s, "2"s}}}, {"A=é"sv, true, {{"A"s, "é"s}}},
    {"PATH=/usr/bin:/bin,X=(a+b)-c.d"sv, true, {{"PATH"s, "/usr/bin:/bin"s}, {"X"s, "(a+b)-c.d"s}}},
    {"A=\"\""sv, true, {{"A"s, ""s}}}, {"A=\"'\""sv, true, {{"A"s, ""s}}},
    {"A=x\"y\""sv, true, {{"A"s, "x\"y"s}}}, {"\"A\"=1"sv, true, {{"\"A\""s, "1"s}}},
    {"A=\"a\"b"sv, true, {{"A"s, "a"s}}}, {"A=$HOME"sv, true, {{"A"s, "$"s}}},
    {"A=\\x"sv, true, {{"A"s, "\\"s}}}, {"a_b=c_d"sv, true, {{"a_b"s, "c_d"s}}},
    {"A=\"x\012y\""sv, true, {{"A"s, "x\012y"s}}}, {"A=1\000"sv, true, {{"A"s, "1"s}}},
    {"A=1 #comment"sv, true, {{"A"s, "1"s}}}, {"#c\012A=1"sv, true, {{"A"s, "1"s}}},
    {"A=x#c\012,B=2"sv, true, {{"A"s, "x"s}, {"B"s, "2"s}}},
    {"A=1,B=2#c\012C"sv, true, {{"A"s, "1"s}, {"B"s, "2C"s}}},
    {"A=ab#c\012cd"sv, true, {{"A"s, "abcd"s}}}, {"A=\"ab\"#c\012cd"sv, true, {{"A"s, "ab"s}}},
    {"A=#\0121"sv, true, {{"A"s, "1"s}}}, {"A=\"x#y\""sv, true, {{"A"s, "x#y"s}}}, {""sv, true, {}},
    {" "sv, true, {}}, {"A=1 B=2"sv, false, {}}, {"A=a@b"sv, false, {}}, {"A="sv, false, {}},
    {"A"sv, false, {}}, {"A=1\012B=2"sv, false, {}}, {"A=日本,B=2"sv, false, {}},
    {"ÄB=1"sv, false, {}}, {","sv, false, {}}, {"A=1,,B=2"sv, false, {}}, {"A=1,B"sv, false, {}},
    {"=1"sv, false, {}}, {"A=1=2"sv, false, {}}, {"A=\"1\"x,B=2"sv, false, {}},
    {"A=\"x"sv, false, {}}, {"A='"sv, false, {}}, {"A=\"x'"sv, false, {}}, {"\""sv, false, {}},
    {"A=1,B=\"2"sv, false, {}},
  };
  for (const Case& c : cases) {
    const auto result = key_value_pairs(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.pairs) << "input '" << c.input << "'";
    }
  }
}

TEST(KeyValuePairs, ErrorsQuoteTheValueAndPointAtTheProblem) {
  // Supervisor reads four tokens per pair, so "B" was taken as a separator.
  EXPECT_EQ(key_value_pairs("A=1 B=2").error(),
            "expected KEY=value pairs separated by commas, found 'A=1 B=2' (no KEY=value in '= "
            "2')");
  EXPECT_EQ(key_value_pairs("A=1,B=").error(),
            "expected KEY=value pairs separated by commas, found 'A=1,B=' (no KEY=value in 'B =')");
  EXPECT_EQ(key_value_pairs("A=\"x").error(),
            "expected KEY=value pairs separated by commas, found 'A=\"x' (no closing quotation)");
}

}  // namespace
}  // namespace proctor::model
