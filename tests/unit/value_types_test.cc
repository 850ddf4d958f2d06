// Expectations are Python 3.11 + Supervisor 4.2.5's own answers: each table
// was printed by /usr/bin/python3 calling supervisor.datatypes (and int(),
// str.strip(), signal) on the same inputs. Values Python accepts but that do
// not fit in int64 are expected to fail here, as proctor refuses them.

#include "compiler/model/value_types.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace proctor::model {
namespace {

using namespace std::literals;

struct IntCase {
  std::string_view input;
  bool ok;
  std::int64_t value;
};

template <class Fn>
void expect_int_cases(Fn fn, const std::vector<IntCase>& cases) {
  for (const IntCase& c : cases) {
    const auto result = fn(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "': " << result.error();
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.value) << "input '" << c.input << "'";
    }
  }
}

TEST(PyIsspace, MatchesPythonOverAllCodePoints) {
  // [c for c in range(0x110000) if chr(c).isspace()]
  const std::vector<char32_t> spaces = {
    0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2001,
    0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F,
    0x205F, 0x3000,
  };
  std::vector<char32_t> found;
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (py_isspace(c)) found.push_back(c);
  }
  EXPECT_EQ(found, spaces);
}

TEST(PyStrip, StripsUnicodeWhitespaceOnly) {
  struct Case {
    std::string_view input;
    std::string_view stripped;
  };
  const Case cases[] = {
    {""sv, ""sv}, {" "sv, ""sv}, {"a"sv, "a"sv}, {" a "sv, "a"sv},
    {"\011\012\013\014\015a\034\035\036\037"sv, "a"sv},
    {"\302\205\302\240a\341\232\200\342\200\200\342\200\212"sv, "a"sv},
    {"\342\200\250\342\200\251a b\342\200\257\342\201\237\343\200\200"sv, "a b"sv},
    {"\342\200\213a\342\200\213"sv, "\342\200\213a\342\200\213"sv}, {"\000a"sv, "\000a"sv},
    {"é "sv, "é"sv}, {" 日本 "sv, "日本"sv}, {"\341\240\216a"sv, "\341\240\216a"sv},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(py_strip(c.input), c.stripped) << "input '" << c.input << "'";
  }
}

TEST(PyInt, MatchesPythonInt) {
  expect_int_cases(py_int, {
    {"0"sv, true, 0}, {"7"sv, true, 7}, {"-1"sv, true, -1}, {"+1"sv, true, 1}, {" 42 "sv, true, 42},
    {"\011\012\013\014\0151"sv, true, 1}, {"007"sv, true, 7}, {"1_000"sv, true, 1000},
    {"0_0"sv, true, 0}, {"١٢"sv, true, 12}, {"１２"sv, true, 12}, {"٣_٤"sv, true, 34},
    {"\343\200\2001\343\200\200"sv, true, 1}, {"1\302\205"sv, true, 1}, {"\302\240-5"sv, true, -5},
    {"9223372036854775807"sv, true, 9223372036854775807},
    {"-9223372036854775808"sv, true, INT64_MIN}, {"9223372036854775808"sv, false, 0},
    {"-9223372036854775809"sv, false, 0}, {"99999999999999999999"sv, false, 0}, {""sv, false, 0},
    {" "sv, false, 0}, {"+"sv, false, 0}, {"-"sv, false, 0}, {"- 1"sv, false, 0},
    {"--1"sv, false, 0}, {"1__0"sv, false, 0}, {"_1"sv, false, 0}, {"1_"sv, false, 0},
    {"+_1"sv, false, 0}, {"1.5"sv, false, 0}, {"0x10"sv, false, 0}, {"1e3"sv, false, 0},
    {"1 2"sv, false, 0}, {"\0341"sv, false, 0}, {"1\037"sv, false, 0}, {"1\000"sv, false, 0},
    {"\1771"sv, false, 0}, {"one"sv, false, 0}, {"١.٢"sv, false, 0}, {"−1"sv, false, 0},
  });
}

TEST(Octal, MatchesPythonIntBase8) {
  expect_int_cases(octal, {
    {"0"sv, true, 0}, {"22"sv, true, 18}, {"022"sv, true, 18}, {"0o22"sv, true, 18},
    {"0O22"sv, true, 18}, {"-022"sv, true, -18}, {"+0o17"sv, true, 15}, {"0o_17"sv, true, 15},
    {"1_7"sv, true, 15}, {"  17 "sv, true, 15}, {"00017"sv, true, 15}, {"٧"sv, true, 7},
    {"0o٧"sv, true, 7}, {"٠o17"sv, true, 15},
    {"777777777777777777777"sv, true, 9223372036854775807}, {"1000000000000000000000"sv, false, 0},
    {"-1000000000000000000000"sv, true, INT64_MIN}, {"8"sv, false, 0}, {"9"sv, false, 0},
    {"0x1"sv, false, 0}, {"0b1"sv, false, 0}, {""sv, false, 0}, {"0o"sv, false, 0},
    {"0o_"sv, false, 0}, {"_17"sv, false, 0}, {"0_o17"sv, false, 0}, {"0o17_"sv, false, 0},
    {"1.0"sv, false, 0}, {"o17"sv, false, 0},
  });
}

TEST(ByteSize, MatchesSupervisor) {
  expect_int_cases(byte_size, {
    {"1024"sv, true, 1024}, {"0"sv, true, 0}, {"50KB"sv, true, 51200}, {"50kb"sv, true, 51200},
    {"50Kb"sv, true, 51200}, {"50MB"sv, true, 52428800}, {"1GB"sv, true, 1073741824},
    {"1 MB"sv, true, 1048576}, {" 1 kb"sv, true, 1024}, {"-1KB"sv, true, -1024},
    {"1_0mb"sv, true, 10485760}, {"１mb"sv, true, 1048576}, {"1Kb"sv, true, 1024},
    {"8589934591gb"sv, true, 9223372035781033984}, {"-8589934592gb"sv, true, INT64_MIN},
    {"9223372036854775807"sv, true, 9223372036854775807}, {"8589934592gb"sv, false, 0},
    {"9007199254740992kb"sv, false, 0}, {"9223372036854775808"sv, false, 0}, {"10b"sv, false, 0},
    {"1k"sv, false, 0}, {"1.5mb"sv, false, 0}, {"1tb"sv, false, 0}, {"kb"sv, false, 0},
    {"KB"sv, false, 0}, {"1kb "sv, false, 0}, {"0x10"sv, false, 0}, {""sv, false, 0},
    {"b"sv, false, 0}, {"1İ"sv, false, 0}, {"mb1"sv, false, 0},
  });
}

TEST(Boolean, MatchesSupervisor) {
  struct Case {
    std::string_view input;
    bool ok;
    bool value;
  };
  const Case cases[] = {
    {"true"sv, true, true}, {"TRUE"sv, true, true}, {"tRuE"sv, true, true}, {"yes"sv, true, true},
    {"YES"sv, true, true}, {"on"sv, true, true}, {"On"sv, true, true}, {"1"sv, true, true},
    {"false"sv, true, false}, {"no"sv, true, false}, {"off"sv, true, false}, {"OFF"sv, true, false},
    {"0"sv, true, false}, {" true"sv, false, false}, {"true "sv, false, false},
    {"maybe"sv, false, false}, {""sv, false, false}, {"y"sv, false, false}, {"n"sv, false, false},
    {"t"sv, false, false}, {"2"sv, false, false}, {"01"sv, false, false},
    {"unexpected"sv, false, false}, {"１"sv, false, false},
  };
  for (const Case& c : cases) {
    const auto result = boolean(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.value) << "input '" << c.input << "'";
    }
  }
}

TEST(Autorestart, MatchesSupervisor) {
  struct Case {
    std::string_view input;
    bool ok;
    Autorestart value;
  };
  const Case cases[] = {
    {"unexpected"sv, true, Autorestart::kUnexpected},
    {"UNEXPECTED"sv, true, Autorestart::kUnexpected},
    {"Unexpected"sv, true, Autorestart::kUnexpected}, {"true"sv, true, Autorestart::kTrue},
    {"YES"sv, true, Autorestart::kTrue}, {"1"sv, true, Autorestart::kTrue},
    {"false"sv, true, Autorestart::kFalse}, {"off"sv, true, Autorestart::kFalse},
    {"0"sv, true, Autorestart::kFalse}, {"maybe"sv, false, Autorestart::kFalse},
    {""sv, false, Autorestart::kFalse}, {" unexpected"sv, false, Autorestart::kFalse},
    {"unexpectedly"sv, false, Autorestart::kFalse},
  };
  for (const Case& c : cases) {
    const auto result = autorestart(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.value) << "input '" << c.input << "'";
    }
  }
}

TEST(SignalNumber, MatchesSupervisor) {
  enum Outcome { kOk, kBadName, kBadNumber };
  struct Case {
    std::string_view input;
    Outcome outcome;
    int value;
  };
  const Case cases[] = {
    {"TERM"sv, kOk, 15}, {"term"sv, kOk, 15}, {"SIGTERM"sv, kOk, 15}, {"sigterm"sv, kOk, 15},
    {"SigTerm"sv, kOk, 15}, {" KILL "sv, kOk, 9}, {"\343\200\200HUP\343\200\200"sv, kOk, 1},
    {"HUP"sv, kOk, 1}, {"INT"sv, kOk, 2}, {"USR1"sv, kOk, 10}, {"usr2"sv, kOk, 12},
    {"IOT"sv, kOk, 6}, {"CLD"sv, kOk, 17}, {"POLL"sv, kOk, 29}, {"PWR"sv, kOk, 30},
    {"STKFLT"sv, kOk, 16}, {"RTMIN"sv, kOk, 34}, {"RTMAX"sv, kOk, 64}, {"SIGRTMAX"sv, kOk, 64},
    {"_DFL"sv, kOk, 0}, {"_IGN"sv, kOk, 1}, {"SIG_DFL"sv, kOk, 0}, {"_BLOCK"sv, kOk, 0},
    {"_UNBLOCK"sv, kOk, 1}, {"_SETMASK"sv, kOk, 2}, {"ſıgterm"sv, kOk, 15}, {"ıNT"sv, kOk, 2},
    {"0"sv, kOk, 0}, {"1"sv, kOk, 1}, {"15"sv, kOk, 15}, {" 15 "sv, kOk, 15}, {"+15"sv, kOk, 15},
    {"１５"sv, kOk, 15}, {"31"sv, kOk, 31}, {"34"sv, kOk, 34}, {"64"sv, kOk, 64}, {"-0"sv, kOk, 0},
    {"32"sv, kBadNumber, 0}, {"33"sv, kBadNumber, 0}, {"35"sv, kBadNumber, 0},
    {"63"sv, kBadNumber, 0}, {"65"sv, kBadNumber, 0}, {"-1"sv, kBadNumber, 0},
    {"99999999999999999999"sv, kBadNumber, 0}, {"FOO"sv, kBadName, 0}, {""sv, kBadName, 0},
    {" "sv, kBadName, 0}, {"SIG"sv, kBadName, 0}, {"SIGSIGTERM"sv, kBadName, 0},
    {"TERM1"sv, kBadName, 0}, {"DFL"sv, kBadName, 0}, {"Signals"sv, kBadName, 0},
    {"1.5"sv, kBadName, 0}, {"RTMIN+1"sv, kBadName, 0}, {"\03415"sv, kBadName, 0},
  };
  for (const Case& c : cases) {
    const auto result = signal_number(c.input);
    EXPECT_EQ(result.ok(), c.outcome == kOk) << "input '" << c.input << "'";
    if (result.ok() && c.outcome == kOk) {
      EXPECT_EQ(*result, c.value) << "input '" << c.input << "'";
    }
    if (c.outcome == kBadName) {
      EXPECT_NE(result.error().find("not a valid signal name"), std::string::npos)
          << result.error();
    }
    if (c.outcome == kBadNumber) {
      EXPECT_NE(result.error().find("not a valid signal number"), std::string::npos)
          << result.error();
    }
  }
}

TEST(SignalName, MatchesPythonSignalsEnum) {
  struct Case {
    int number;
    std::optional<std::string> name;
  };
  const Case cases[] = {
    {-1, std::nullopt}, {0, std::nullopt}, {1, "HUP"}, {2, "INT"}, {3, "QUIT"}, {4, "ILL"},
    {5, "TRAP"}, {6, "ABRT"}, {7, "BUS"}, {8, "FPE"}, {9, "KILL"}, {10, "USR1"}, {11, "SEGV"},
    {12, "USR2"}, {13, "PIPE"}, {14, "ALRM"}, {15, "TERM"}, {16, "STKFLT"}, {17, "CHLD"},
    {18, "CONT"}, {19, "STOP"}, {20, "TSTP"}, {21, "TTIN"}, {22, "TTOU"}, {23, "URG"}, {24, "XCPU"},
    {25, "XFSZ"}, {26, "VTALRM"}, {27, "PROF"}, {28, "WINCH"}, {29, "IO"}, {30, "PWR"}, {31, "SYS"},
    {32, std::nullopt}, {33, std::nullopt}, {34, "RTMIN"}, {35, std::nullopt}, {63, std::nullopt},
    {64, "RTMAX"}, {65, std::nullopt},
  };
  for (const Case& c : cases) EXPECT_EQ(signal_name(c.number), c.name) << "signal " << c.number;
}

TEST(Exitcodes, MatchesSupervisor) {
  struct Case {
    std::string_view input;
    bool ok;
    std::vector<int> codes;
  };
  const Case cases[] = {
    {""sv, true, {}}, {"0"sv, true, {0}}, {"0,2"sv, true, {0, 2}}, {" 1 , 2 "sv, true, {1, 2}},
    {"255"sv, true, {255}}, {"0,0"sv, true, {0, 0}}, {"١"sv, true, {1}}, {"1_0"sv, true, {10}},
    {"1,"sv, false, {}}, {","sv, false, {}}, {"256"sv, false, {}}, {"-1"sv, false, {}},
    {"1,256"sv, false, {}}, {"a"sv, false, {}}, {"1;2"sv, false, {}}, {" "sv, false, {}},
    {"1 2"sv, false, {}}, {"0x1"sv, false, {}}, {"1.0"sv, false, {}},
  };
  for (const Case& c : cases) {
    const auto result = exitcodes(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.codes) << "input '" << c.input << "'";
    }
  }
}

TEST(Loglevel, MatchesSupervisor) {
  struct Case {
    std::string_view input;
    bool ok;
    std::string_view level;
  };
  const Case cases[] = {
    {"critical"sv, true, "critical"}, {"CRITICAL"sv, true, "critical"}, {"error"sv, true, "error"},
    {"ERROR"sv, true, "error"}, {"warn"sv, true, "warn"}, {"Warn"sv, true, "warn"},
    {"info"sv, true, "info"}, {"Info"sv, true, "info"}, {"debug"sv, true, "debug"},
    {"trace"sv, true, "trace"}, {"blather"sv, true, "blather"}, {"BLATHER"sv, true, "blather"},
    {"warning"sv, false, ""}, {"crit"sv, false, ""}, {"erro"sv, false, ""}, {""sv, false, ""},
    {" info"sv, false, ""}, {"info "sv, false, ""}, {"fatal"sv, false, ""}, {"notice"sv, false, ""},
  };
  for (const Case& c : cases) {
    const auto result = loglevel(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.level) << "input '" << c.input << "'";
    }
  }
}

TEST(ProcessOrGroupName, MatchesSupervisor) {
  struct Case {
    std::string_view input;
    bool ok;
    std::string name;
  };
  const Case cases[] = {
    {"foo"sv, true, "foo"s}, {" foo "sv, true, "foo"s},
    {"\343\200\200foo\343\200\200"sv, true, "foo"s}, {"a\011b"sv, true, "a\011b"s},
    {"é"sv, true, "é"s}, {"a-b_c.d"sv, true, "a-b_c.d"s}, {""sv, true, ""s}, {" "sv, true, ""s},
    {"a b"sv, false, ""s}, {"a:b"sv, false, ""s}, {"a/b"sv, false, ""s}, {"a:b c"sv, false, ""s},
    {"a/b:c"sv, false, ""s}, {"a/b c"sv, false, ""s},
  };
  for (const Case& c : cases) {
    const auto result = process_or_group_name(c.input);
    EXPECT_EQ(result.ok(), c.ok) << "input '" << c.input << "'";
    if (result.ok() && c.ok) {
      EXPECT_EQ(*result, c.name) << "input '" << c.input << "'";
    }
  }
}

TEST(EventTypeNames, AreSupervisorsEventTypes) {
  const std::vector<std::string_view> expected = {
    "EVENT"sv, "PROCESS_STATE"sv, "PROCESS_STATE_STOPPED"sv, "PROCESS_STATE_EXITED"sv,
    "PROCESS_STATE_STARTING"sv, "PROCESS_STATE_STOPPING"sv, "PROCESS_STATE_BACKOFF"sv,
    "PROCESS_STATE_FATAL"sv, "PROCESS_STATE_RUNNING"sv, "PROCESS_STATE_UNKNOWN"sv,
    "PROCESS_COMMUNICATION"sv, "PROCESS_COMMUNICATION_STDOUT"sv, "PROCESS_COMMUNICATION_STDERR"sv,
    "PROCESS_LOG"sv, "PROCESS_LOG_STDOUT"sv, "PROCESS_LOG_STDERR"sv, "REMOTE_COMMUNICATION"sv,
    "SUPERVISOR_STATE_CHANGE"sv, "SUPERVISOR_STATE_CHANGE_RUNNING"sv,
    "SUPERVISOR_STATE_CHANGE_STOPPING"sv, "TICK"sv, "TICK_5"sv, "TICK_60"sv, "TICK_3600"sv,
    "PROCESS_GROUP"sv, "PROCESS_GROUP_ADDED"sv, "PROCESS_GROUP_REMOVED"sv,
  };
  EXPECT_EQ(event_type_names(), expected);
}

// The caller prefixes the location; the text says what was expected and
// quotes what was found.
TEST(ValueTypeErrors, SayWhatWasExpectedAndQuoteTheInput) {
  EXPECT_EQ(py_int("1.5").error(), "expected an integer, found '1.5'");
  EXPECT_EQ(py_int("99999999999999999999").error(),
            "expected an integer that fits in 64 bits, found '99999999999999999999'");
  EXPECT_EQ(boolean("maybe").error(), "expected true/false, yes/no, on/off or 1/0, found 'maybe'");
  EXPECT_EQ(autorestart("sometimes").error(),
            "expected true/false, yes/no, on/off, 1/0 or unexpected, found 'sometimes'");
  EXPECT_EQ(byte_size("10b").error(),
            "expected a byte size such as 1024, 50KB, 50MB or 1GB, found '10b'");
  EXPECT_EQ(byte_size("8589934592GB").error(),
            "expected a byte size that fits in 64 bits, found '8589934592GB'");
  EXPECT_EQ(octal("8").error(), "expected an octal number such as 022 or 0o22, found '8'");
  EXPECT_EQ(signal_number("FOO").error(),
            "expected a signal name such as TERM, HUP or KILL, found 'FOO' (not a valid signal "
            "name)");
  EXPECT_EQ(signal_number("40").error(),
            "expected a signal number from 0 to 31, 34 or 64, found '40' (not a valid signal "
            "number)");
  EXPECT_EQ(exitcodes("0,256").error(),
            "expected a comma-separated list of exit codes from 0 to 255, found '0,256' ('256' is "
            "not one)");
  EXPECT_EQ(loglevel("warning").error(),
            "expected one of critical, error, warn, info, debug, trace or blather, found "
            "'warning'");
  EXPECT_EQ(process_or_group_name("a:b c").error(),
            "expected a name without spaces, ':' or '/', found 'a:b c' (it contains ' ')");
}

}  // namespace
}  // namespace proctor::model
