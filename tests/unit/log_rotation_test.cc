// RotatingFile against Supervisor's RotatingFileHandler (loggers.py), the
// log readers against options.py readFile/tailFile (expectations worked
// out from those functions), and the streaming ANSI stripper against
// dispatchers.stripEscapes.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "runtime/logs/ansi_strip.h"
#include "runtime/logs/output_tail.h"
#include "runtime/logs/rotating_file.h"

namespace proctor::runtime::logs {
namespace {

namespace fs = std::filesystem;

class LogDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proctor-logs-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string slurp(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void spit(const std::string& p, const std::string& data) {
    std::ofstream(p, std::ios::binary) << data;
  }
  fs::path dir_;
};

using RotatingFileTest = LogDir;

TEST_F(RotatingFileTest, AppendsToExistingFile) {
  spit(path("a.log"), "old\n");
  auto f = RotatingFile::open(path("a.log"), 0, 10);
  ASSERT_TRUE(f.ok()) << f.error();
  EXPECT_EQ(f.value().write("new\n"), 0);
  EXPECT_EQ(slurp(path("a.log")), "old\nnew\n");
  EXPECT_FALSE(f.value().is_stream());
}

TEST_F(RotatingFileTest, RotatesAfterTheWriteThatReachesMaxbytes) {
  auto f = RotatingFile::open(path("a.log"), 10, 2);
  ASSERT_TRUE(f.ok());
  auto& log = f.value();
  log.write("123456789");  // 9 < 10: no rollover
  EXPECT_FALSE(fs::exists(path("a.log.1")));
  log.write("0");  // reaches 10: rolled over after the write
  EXPECT_EQ(slurp(path("a.log.1")), "1234567890");
  EXPECT_EQ(slurp(path("a.log")), "");
  log.write("a chunk longer than maxbytes lands whole");
  EXPECT_EQ(slurp(path("a.log.1")), "a chunk longer than maxbytes lands whole");
  EXPECT_EQ(slurp(path("a.log.2")), "1234567890");
  log.write("third chunk!");
  EXPECT_EQ(slurp(path("a.log.1")), "third chunk!");
  EXPECT_EQ(slurp(path("a.log.2")), "a chunk longer than maxbytes lands whole");
  EXPECT_FALSE(fs::exists(path("a.log.3")));  // backups=2: the oldest is gone
}

TEST_F(RotatingFileTest, ZeroBackupsTruncatesLikeSupervisor) {
  auto f = RotatingFile::open(path("a.log"), 4, 0);
  ASSERT_TRUE(f.ok());
  f.value().write("abcdef");
  EXPECT_EQ(slurp(path("a.log")), "");
  EXPECT_FALSE(fs::exists(path("a.log.1")));
  f.value().write("xy");
  EXPECT_EQ(slurp(path("a.log")), "xy");
}

TEST_F(RotatingFileTest, ZeroMaxbytesNeverRotates) {
  auto f = RotatingFile::open(path("a.log"), 0, 3);
  ASSERT_TRUE(f.ok());
  for (int i = 0; i < 100; ++i) f.value().write(std::string(1000, 'x'));
  EXPECT_EQ(fs::file_size(path("a.log")), 100000u);
  EXPECT_FALSE(fs::exists(path("a.log.1")));
}

TEST_F(RotatingFileTest, ExistingSizeCountsTowardsMaxbytes) {
  spit(path("a.log"), "12345678");
  auto f = RotatingFile::open(path("a.log"), 10, 1);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f.value().size(), 8);
  f.value().write("90");
  EXPECT_EQ(slurp(path("a.log.1")), "1234567890");
}

TEST_F(RotatingFileTest, MissingBackupsInTheChainAreSkipped) {
  spit(path("a.log.2"), "two");
  auto f = RotatingFile::open(path("a.log"), 1, 3);
  ASSERT_TRUE(f.ok());
  f.value().write("x");
  EXPECT_EQ(slurp(path("a.log.1")), "x");
  EXPECT_EQ(slurp(path("a.log.3")), "two");
  EXPECT_FALSE(fs::exists(path("a.log.2")));
}

TEST_F(RotatingFileTest, ClearRemovesTheFileButNotItsBackups) {
  auto f = RotatingFile::open(path("a.log"), 5, 2);
  ASSERT_TRUE(f.ok());
  f.value().write("12345");
  f.value().write("678");
  EXPECT_EQ(f.value().clear(), 0);
  EXPECT_EQ(slurp(path("a.log")), "");
  EXPECT_EQ(slurp(path("a.log.1")), "12345");
  f.value().write("new");
  EXPECT_EQ(slurp(path("a.log")), "new");
}

TEST_F(RotatingFileTest, ReopenFollowsTheName) {
  auto f = RotatingFile::open(path("a.log"), 0, 0);
  ASSERT_TRUE(f.ok());
  f.value().write("before");
  fs::rename(path("a.log"), path("moved.log"));  // logrotate's move
  EXPECT_EQ(f.value().reopen(), 0);
  f.value().write("after");
  EXPECT_EQ(slurp(path("moved.log")), "before");
  EXPECT_EQ(slurp(path("a.log")), "after");
}

TEST_F(RotatingFileTest, OpenFailureSaysWhere) {
  auto f = RotatingFile::open(path("no/such/dir/a.log"), 0, 0);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error(),
            "couldn't open " + path("no/such/dir/a.log") + ": No such file or directory");
}

TEST_F(RotatingFileTest, FifoIsAStream) {
  ASSERT_EQ(mkfifo(path("fifo").c_str(), 0600), 0);
  std::string received;
  std::thread reader([&] { received = slurp(path("fifo")); });
  {
    auto f = RotatingFile::open(path("fifo"), 4, 2);  // blocks until the reader opens
    ASSERT_TRUE(f.ok());
    EXPECT_TRUE(f.value().is_stream());
    EXPECT_EQ(f.value().write("hello "), 0);
    EXPECT_EQ(f.value().write("fifo"), 0);
  }
  reader.join();
  EXPECT_EQ(received, "hello fifo");
  EXPECT_FALSE(fs::exists(path("fifo.1")));
}

using ReadLogTest = LogDir;

TEST_F(ReadLogTest, ReadFileSemantics) {
  spit(path("a.log"), "0123456789");
  auto read = [&](std::int64_t offset, std::int64_t length) {
    auto r = read_log(path("a.log"), offset, length);
    return r.ok() ? r.value() : "!" + r.error();
  };
  EXPECT_EQ(read(0, 0), "0123456789");
  EXPECT_EQ(read(3, 0), "3456789");
  EXPECT_EQ(read(3, 4), "3456");
  EXPECT_EQ(read(8, 100), "89");
  EXPECT_EQ(read(50, 5), "");
  EXPECT_EQ(read(-3, 0), "789");
  EXPECT_EQ(read(-30, 0), "0123456789");
  EXPECT_EQ(read(-3, 2), "!BAD_ARGUMENTS");
  EXPECT_EQ(read(0, -1), "!BAD_ARGUMENTS");
  EXPECT_EQ(read_log(path("missing.log"), 0, 0).error(), "FAILED");
  EXPECT_EQ(read_log(path(""), 0, 0).error(), "FAILED");  // a directory
}

TEST_F(ReadLogTest, TailFileSemantics) {
  spit(path("a.log"), "0123456789");
  auto tail = [&](std::int64_t offset, std::int64_t length) {
    return tail_log(path("a.log"), offset, length);
  };
  auto expect = [](const TailResult& r, std::string bytes, std::int64_t offset, bool overflow) {
    EXPECT_EQ(r.bytes, bytes);
    EXPECT_EQ(r.offset, offset);
    EXPECT_EQ(r.overflow, overflow);
  };
  expect(tail(0, 4), "6789", 10, true);  // grown past 0+4: the last 4 bytes
  expect(tail(0, 100), "0123456789", 10, false);
  expect(tail(6, 100), "0123456789", 10, false);  // offset moves back to fit length
  expect(tail(10, 100), "", 10, false);           // nothing new
  expect(tail(20, 5), "", 10, false);             // offset past the end (log cleared)
  expect(tail(8, 2), "89", 10, false);
  expect(tail(-5, 3), "789", 10, true);
  expect(tail(0, -1), "", 10, true);
  expect(tail_log(path("missing.log"), 7, 5), "", 7, false);
}

TEST(AnsiStrip, MatchesStripEscapes) {
  EXPECT_EQ(strip_ansi("plain"), "plain");
  EXPECT_EQ(strip_ansi("\x1b[31mred\x1b[0m text"), "red text");
  EXPECT_EQ(strip_ansi("a\x1b[2Jb\x1b[1;1Hc"), "abc");
  EXPECT_EQ(strip_ansi("lone \x1b escape"), "lone \x1b escape");
  EXPECT_EQ(strip_ansi("\x1b\x1b[1mx"), "\x1bx");
  EXPECT_EQ(strip_ansi("unterminated \x1b[12;34"), "unterminated ");
  EXPECT_EQ(strip_ansi("trailing\x1b"), "trailing\x1b");
}

TEST(AnsiStrip, SequencesSplitAcrossChunks) {
  const std::string text =
      "a\x1b[31mb\x1b[0mc\x1b"
      "d\x1b[1;2;3He";
  const std::string want = strip_ansi(text);
  EXPECT_EQ(want,
            "abc\x1b"
            "de");
  // Every way to cut the text in two or three gives the same output.
  for (size_t i = 0; i <= text.size(); ++i) {
    for (size_t j = i; j <= text.size(); ++j) {
      AnsiStripper s;
      std::string out;
      s.feed(text.substr(0, i), out);
      s.feed(text.substr(i, j - i), out);
      s.feed(text.substr(j), out);
      s.finish(out);
      EXPECT_EQ(out, want) << i << "," << j;
    }
  }
}

}  // namespace
}  // namespace proctor::runtime::logs
