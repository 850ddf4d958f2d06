// Hostile file systems: a glob matching thousands of files, include loops,
// an included file that rewrites [include], a directory, a FIFO and
// /dev/zero where a config is expected. Each must end in an error or a
// correct plan, never a crash or a hang (see hostile_support.h).

#include <gtest/gtest.h>
#include <malloc.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tests/hostile/hostile_support.h"
#include "tests/support/memory_host.h"

namespace proctor::hostile {
namespace {

// ---- a glob matching thousands of files ------------------------------------

TEST(HostileInput, GlobMatchingThreeThousandFilesIsReadInSortedOrder) {
  TempDir dir;
  constexpr int kFiles = 3000;
  // Unpadded numbers, written in shuffled order: the byte order Python's
  // sorted() gives ("f10" < "f9") differs from numeric and creation order.
  std::vector<int> order(kFiles);
  for (int i = 0; i < kFiles; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(42));
  std::vector<std::string> expected;
  for (int i : order) {
    std::string name = "conf.d/f" + std::to_string(i) + ".conf";
    // Every file also sets [program:last] command: the last file read wins.
    std::string path = dir.write(name, "[program:g" + std::to_string(i) + "]\ncommand=/bin/true\n" +
                                           "[program:last]\ncommand=/bin/echo " + std::to_string(i) + "\n");
    expected.push_back(path);
  }
  std::sort(expected.begin(), expected.end());
  auto c = compile(dir.write("supervisord.conf", header(dir) + "[include]\nfiles = conf.d/*.conf\n"));
  ASSERT_TRUE(c->result.config) << c->rendered.substr(0, 2000);
  EXPECT_EQ(c->result.config->includes, expected);
  EXPECT_EQ(c->result.config->groups.size(), static_cast<std::size_t>(kFiles + 1));
  const std::string last_file = fs::path(expected.back()).stem().string();  // "f999"
  EXPECT_EQ(group(*c->result.config, "last")->processes.at(0).command, "/bin/echo " + last_file.substr(1));
}

// ---- include loops ----------------------------------------------------------

TEST(HostileInput, IncludeLoopsTerminateAndReadEachMatchOnce) {
  TempDir dir;
  // The main file includes itself twice (by name and via *.conf), and a.conf
  // includes the main file and itself. Supervisor processes [include] of the
  // main file only, so each match is read exactly once and nothing recurses.
  std::string main = dir.write("supervisord.conf", header(dir) +
                                                       "[include]\nfiles = supervisord.conf *.conf\n"
                                                       "[program:main]\ncommand=/bin/true\n");
  std::string a = dir.write("a.conf", "[include]\nfiles = a.conf supervisord.conf\n"
                                      "[program:a]\ncommand=/bin/true\n");
  auto c = compile(main);
  ASSERT_TRUE(c->result.config) << c->rendered.substr(0, 2000);
  EXPECT_EQ(c->result.config->includes, (std::vector<std::string>{main, a, main}));
  EXPECT_EQ(c->sm.size(), 4u) << "main + one read per match";
  EXPECT_EQ(c->result.config->groups.size(), 2u);
}

// The same loop on the in-memory host, which counts reads: the main file is
// read once for itself and once per pattern that matches it.
TEST(HostileInput, IncludeLoopReadCountsOnTheMemoryHost) {
  testing::MemoryHost host;
  host.set_cwd("/etc/sv");
  host.add_file("/etc/sv/supervisord.conf",
                "[supervisord]\n[include]\nfiles = supervisord.conf *.conf conf.d/*.conf\n");
  host.add_file("/etc/sv/b.conf", "[include]\nfiles = *.conf\n[program:b]\ncommand=/bin/true\n");
  host.add_file("/etc/sv/conf.d/c.conf", "[include]\nfiles = ../*.conf\n[program:c]\ncommand=x\n");
  SourceManager sm;
  DiagSink sink;
  auto result = model::compile_config("supervisord.conf", host, sm, sink);
  ASSERT_TRUE(result.config);
  EXPECT_EQ(host.read_count("/etc/sv/supervisord.conf"), 3);
  EXPECT_EQ(host.read_count("/etc/sv/b.conf"), 1);
  EXPECT_EQ(host.read_count("/etc/sv/conf.d/c.conf"), 1);
  EXPECT_EQ(result.config->groups.size(), 2u);
}

// Found by the fuzzer (tests/fuzz/crashes/include-files-use-after-free):
// an included file that adds keys to [include] grows the store's option
// list, so the [include] files option must not be used through a pointer
// into that list after the first include was merged (a heap-use-after-free
// under ASan or valgrind). To make it fail in a plain build too, the check
// runs in a fresh process (this binary, re-executed) that pins malloc's mmap
// threshold: the main file's [include] list is then an mmap()ed block,
// unmapped when it grows, and the stale read faults. A forked child would
// not do: the parent's free heap would serve the block instead.
TEST(HostileInput, IncludedFileGrowingTheIncludeSection) {
  TempDir dir;
  std::string keys = "[include]\n";
  for (int i = 0; i < 64; ++i) keys += "key" + std::to_string(i) + " = v\n";
  dir.write("conf.d/a.conf", keys + "[program:a]\ncommand=/bin/true\n");
  std::string padding;
  for (int i = 0; i < 2000; ++i) padding += "pad" + std::to_string(i) + " = v\n";
  std::string main = dir.write("supervisord.conf", header(dir) + "[include]\nfiles = conf.d/*.conf nomatch/*.conf\n" + padding);
  EXPECT_TRUE(finishes_within(10, [&] {
    ::setenv("PROCTOR_HOSTILE_MAIN", main.c_str(), 1);
    ::execl("/proc/self/exe", "proctor_hostile_tests", "--gtest_also_run_disabled_tests",
            "--gtest_filter=HostileInputChild.DISABLED_GrowingIncludeSection", nullptr);
    return false;
  }));
}

// Only run by the test above, in its own process.
TEST(HostileInputChild, DISABLED_GrowingIncludeSection) {
  const char* main = std::getenv("PROCTOR_HOSTILE_MAIN");
  if (!main) GTEST_SKIP() << "run by HostileInput.IncludedFileGrowingTheIncludeSection";
  ::mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  SourceManager sm;
  DiagSink sink;
  model::PosixHost host("hostile-host");
  auto result = model::compile_config(main, host, sm, sink);
  ASSERT_TRUE(result.config);
  std::vector<const Diagnostic*> warnings;
  for (const Diagnostic& d : sink.all())
    if (info(d.code).id == "P1101") warnings.push_back(&d);
  ASSERT_EQ(warnings.size(), 1u);
  // "files = conf.d/*.conf nomatch/*.conf" on line 5 of the main file.
  EXPECT_EQ(warnings[0]->range.begin.file, 0u);
  EXPECT_EQ(warnings[0]->range.begin.line, 5u);
  EXPECT_EQ(warnings[0]->range.begin.column, 23u);
  EXPECT_EQ(warnings[0]->range.length, std::string("nomatch/*.conf").size());
}

TEST(HostileInput, IncludeOfADirectoryAndOfNothingIsNotFatal) {
  TempDir dir;
  fs::create_directories(dir.path() / "sub.conf");  // a directory matching *.conf
  std::string main = dir.write("supervisord.conf", header(dir) + "[include]\nfiles = *.conf none/*.conf\n");
  auto c = compile(main);
  ASSERT_TRUE(c->result.config) << c->rendered.substr(0, 2000);
  // Supervisor skips an unreadable match silently and warns about the
  // pattern that matched nothing.
  EXPECT_EQ(c->result.config->includes, (std::vector<std::string>{main}));
  EXPECT_EQ(ids(c->sink, Severity::kWarning), (std::vector<std::string>{"P1101"}));
}

// ---- files that never end -------------------------------------------------

// Supervisor itself blocks forever on a FIFO and reads /dev/zero until it
// runs out of memory; proctor promises an error instead. Only regular files
// can be configs (an fstat before reading, and opening with O_NONBLOCK so a
// FIFO cannot block the open itself).
TEST(HostileInput, AFifoAsTheConfigOrAnIncludeIsAnErrorNotAHang) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir.path() / "pipe.conf").c_str(), 0600), 0);
  std::string main = dir.write("main.conf", header(dir) + "[include]\nfiles = pipe.conf\n");
  EXPECT_TRUE(finishes_within(3, [&] { return compiles_to_io_error((dir.path() / "pipe.conf").string()); }))
      << "compiling a FIFO";
  EXPECT_TRUE(finishes_within(3, [&] {
    SourceManager sm;
    DiagSink sink;
    model::PosixHost host("hostile-host");
    model::compile_config(main, host, sm, sink);  // any verdict, as long as it returns
    return true;
  })) << "including a FIFO";
}

TEST(HostileInput, DevZeroIsAnErrorNotAnEndlessRead) {
  EXPECT_TRUE(finishes_within(3, [] { return compiles_to_io_error("/dev/zero"); }));
}

}  // namespace
}  // namespace proctor::hostile
