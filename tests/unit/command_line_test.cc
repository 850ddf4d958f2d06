// shlex_split's table was printed by /usr/bin/python3 (3.11) running
// shlex.split on each input; the messages are Supervisor 4.2.5's
// get_execv_args/check_execv_args and decode_wait_status texts.

#include "runtime/exec/command_line.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace proctor::runtime::exec {
namespace {

using namespace std::literals;

TEST(ShlexSplit, MatchesPythonShlexSplit) {
  struct Case {
    std::string_view input;
    bool ok;
    std::vector<std::string> words;
    std::string_view error;
  };
  const Case cases[] = {
      {""sv, true, {}, ""sv},
      {"   "sv, true, {}, ""sv},
      {"echo hello"sv, true, {"echo"s, "hello"s}, ""sv},
      {"  a  b\011c\015\012d  "sv, true, {"a"s, "b"s, "c"s, "d"s}, ""sv},
      {"'a b' c"sv, true, {"a b"s, "c"s}, ""sv},
      {"\"a b\" c"sv, true, {"a b"s, "c"s}, ""sv},
      {"a'b c'd"sv, true, {"ab cd"s}, ""sv},
      {"a\"b c\"d"sv, true, {"ab cd"s}, ""sv},
      {"''"sv, true, {""s}, ""sv},
      {"\"\""sv, true, {""s}, ""sv},
      {"a '' b"sv, true, {"a"s, ""s, "b"s}, ""sv},
      {"x\"\""sv, true, {"x"s}, ""sv},
      {"'\\'"sv, true, {"\\"s}, ""sv},
      {"\"a\\\"b\""sv, true, {"a\"b"s}, ""sv},
      {"\"a\\\\b\""sv, true, {"a\\b"s}, ""sv},
      {"\"a\\nb\""sv, true, {"a\\nb"s}, ""sv},
      {"\"\\$HOME\""sv, true, {"\\$HOME"s}, ""sv},
      {"a\\ b"sv, true, {"a b"s}, ""sv},
      {"a\\\\b"sv, true, {"a\\b"s}, ""sv},
      {"\\'"sv, true, {"'"s}, ""sv},
      {"\\\""sv, true, {"\""s}, ""sv},
      {"echo # not a comment"sv, true, {"echo"s, "#"s, "not"s, "a"s, "comment"s}, ""sv},
      {"a#b"sv, true, {"a#b"s}, ""sv},
      {"'unterminated"sv, false, {}, "No closing quotation"sv},
      {"\"unterminated"sv, false, {}, "No closing quotation"sv},
      {"trailing\\"sv, false, {}, "No escaped character"sv},
      {"'it''s'"sv, true, {"its"s}, ""sv},
      {"\"it's\""sv, true, {"it's"s}, ""sv},
      {"'say \"hi\"'"sv, true, {"say \"hi\""s}, ""sv},
      {"a\\\012b"sv, true, {"a\012b"s}, ""sv},
      {"\303\274n\303\257 c\303\266d\303\251 '\303\237 x'"sv,
       true,
       {"\303\274n\303\257"s, "c\303\266d\303\251"s, "\303\237 x"s},
       ""sv},
      {"\\x"sv, true, {"x"s}, ""sv},
      {"\"\\x\""sv, true, {"\\x"s}, ""sv},
      {"'\\x'"sv, true, {"\\x"s}, ""sv},
      {"a\"\"b"sv, true, {"ab"s}, ""sv},
      {"'a'\"b\"c"sv, true, {"abc"s}, ""sv},
      {"-c 'echo $1' --"sv, true, {"-c"s, "echo $1"s, "--"s}, ""sv},
      {"\000a b"sv, true, {"\000a"s, "b"s}, ""sv},
      {"\013 x"sv, true, {"\013"s, "x"s}, ""sv},
  };
  for (const auto& c : cases) {
    auto got = shlex_split(c.input);
    ASSERT_EQ(got.ok(), c.ok) << c.input;
    if (c.ok) {
      EXPECT_EQ(got.value(), c.words) << c.input;
    } else {
      EXPECT_EQ(got.error(), c.error) << c.input;
    }
  }
}

/// A fake file system: path -> (mode, executable by us).
class FakeStat {
 public:
  FakeStat& add(std::string path, mode_t mode, bool executable = true) {
    files_[std::move(path)] = FileInfo{mode, executable};
    return *this;
  }
  StatFn fn() const {
    return [this](const std::string& path) -> std::optional<FileInfo> {
      auto it = files_.find(path);
      if (it == files_.end()) return std::nullopt;
      return it->second;
    };
  }

 private:
  std::map<std::string, FileInfo> files_;
};

constexpr mode_t kExe = S_IFREG | 0755;
const std::vector<std::string> kPath{"/usr/local/bin", "/usr/bin", "/bin"};

TEST(ResolveCommand, SearchesPathInOrder) {
  FakeStat fs;
  fs.add("/usr/bin/cat", kExe).add("/bin/cat", kExe);
  auto r = resolve_command("cat -n 'a file'", kPath, fs.fn());
  ASSERT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(r->filename, "/usr/bin/cat");
  EXPECT_EQ(r->argv, (std::vector<std::string>{"cat", "-n", "a file"}));
}

TEST(ResolveCommand, SlashMeansNoSearch) {
  FakeStat fs;
  fs.add("./run", kExe).add("/bin/run", kExe);
  auto r = resolve_command("./run", kPath, fs.fn());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->filename, "./run");
}

TEST(ResolveCommand, FirstHitStopsTheSearchEvenIfUnusable) {
  FakeStat fs;
  fs.add("/usr/local/bin/tool", S_IFDIR | 0755).add("/usr/bin/tool", kExe);
  auto r = resolve_command("tool", kPath, fs.fn());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "command at '/usr/local/bin/tool' is a directory");
}

TEST(ResolveCommand, EmptyPathEntryMeansTheWordItself) {
  FakeStat fs;
  fs.add("tool", kExe);
  auto r = resolve_command("tool", {""}, fs.fn());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->filename, "tool");
}

TEST(ResolveCommand, SupervisorsMessages) {
  FakeStat fs;
  fs.add("/bin/dir", S_IFDIR | 0755)
      .add("/bin/plain", S_IFREG | 0644)
      .add("/bin/theirs", S_IFREG | 0700, false);
  auto error = [&](std::string_view command) {
    auto r = resolve_command(command, kPath, fs.fn());
    return r.ok() ? "ok"s : r.error();
  };
  EXPECT_EQ(error("echo \"hi"), "can't parse command 'echo \"hi': No closing quotation");
  EXPECT_EQ(error("it's"), "can't parse command \"it's\": No closing quotation");
  EXPECT_EQ(error("x\\"), "can't parse command 'x\\\\': No escaped character");
  EXPECT_EQ(error(""), "command is empty");
  EXPECT_EQ(error(" '' "), "can't find command ''");
  EXPECT_EQ(error("   "), "command is empty");
  EXPECT_EQ(error("nothere --flag"), "can't find command 'nothere'");
  EXPECT_EQ(error("/opt/x"), "can't find command '/opt/x'");
  EXPECT_EQ(error("dir"), "command at '/bin/dir' is a directory");
  EXPECT_EQ(error("plain"), "command at '/bin/plain' is not executable");
  EXPECT_EQ(error("theirs"), "no permission to run command '/bin/theirs'");
}

TEST(SearchPath, ProgramPathThenDaemonPathThenDefault) {
  using V = std::vector<std::string>;
  EXPECT_EQ(search_path("/a:/b", "/c"), (V{"/a", "/b"}));
  EXPECT_EQ(search_path("", "/c"), (V{""}));  // set but empty: Supervisor splits it anyway
  EXPECT_EQ(search_path(std::nullopt, "/c::/d"), (V{"/c", "", "/d"}));
  EXPECT_EQ(search_path(std::nullopt, ""), (V{"/bin", "/usr/bin", "/usr/local/bin"}));
  EXPECT_EQ(search_path(std::nullopt, nullptr), (V{"/bin", "/usr/bin", "/usr/local/bin"}));
}

TEST(DecodeWaitStatus, MatchesSupervisor) {
  struct Case {
    int status, code;
    const char* message;
  };
  const Case cases[] = {
      {0x0000, 0, "exit status 0"},
      {0x0100, 1, "exit status 1"},
      {0xff00, 255, "exit status 255"},
      {0x000f, -1, "terminated by SIGTERM"},
      {0x0009, -1, "terminated by SIGKILL"},
      {0x0089, -1, "terminated by SIGKILL (core dumped)"},
      {0x0086, -1, "terminated by SIGABRT (core dumped)"},
      {0x0020, -1, "terminated by signal 32"},
      {0x0040, -1, "terminated by SIGRTMAX"},
      {0x137f, -1, "unknown termination cause 0x137f"},
      {0xffff, -1, "unknown termination cause 0xffff"},
  };
  for (const auto& c : cases) {
    auto got = decode_wait_status(c.status);
    EXPECT_EQ(got.exit_code, c.code) << c.status;
    EXPECT_EQ(got.message, c.message) << c.status;
  }
}

TEST(Signame, PythonsNames) {
  EXPECT_EQ(signame(6), "SIGABRT");
  EXPECT_EQ(signame(17), "SIGCHLD");
  EXPECT_EQ(signame(29), "SIGPOLL");
  EXPECT_EQ(signame(34), "SIGRTMIN");
  EXPECT_EQ(signame(35), "signal 35");
  EXPECT_EQ(signame(0), "signal 0");
}

}  // namespace
}  // namespace proctor::runtime::exec
