#pragma once
// Shared by the hostile-input tests: a self-cleaning temp directory, an
// in-process compile that checks what must hold for ANY input (no crash, a
// plan exactly when there is no error, syntax errors located, rendering
// bounded), and a fork-with-deadline runner for inputs that could hang.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"

namespace proctor::hostile {

namespace fs = std::filesystem;

// A directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;  // one per process: the header is inline
    path_ = fs::temp_directory_path() /
            ("proctor-hostile-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const fs::path& path() const { return path_; }
  std::string write(const std::string& rel, const std::string& bytes) const {
    fs::path p = path_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

 private:
  fs::path path_;
};

struct Compiled {
  SourceManager sm;
  DiagSink sink;
  model::CompileResult result;
  std::string rendered;  ///< every diagnostic, rendered as the CLI would
};

// Logs and the pid file go into `dir`, so no test depends on the cwd.
inline std::string header(const TempDir& dir) {
  return "[supervisord]\nlogfile=" + dir.path().string() + "/supervisord.log\npidfile=" +
         dir.path().string() + "/supervisord.pid\n";
}

// Compiles, renders, and checks what must hold for any input at all.
inline std::unique_ptr<Compiled> compile(const std::string& path) {
  auto c = std::make_unique<Compiled>();
  model::PosixHost host("hostile-host");
  c->result = model::compile_config(path, host, c->sm, c->sink);
  for (const Diagnostic& d : c->sink.all()) {
    std::string text = render_text(d, c->sm, RenderOptions{});
    // Bounded: the snippet shows at most 200 bytes of the line and messages
    // quote at most 60; the path of the temp file is the only other part.
    EXPECT_LT(text.size(), 4096u) << text.substr(0, 300);
    c->rendered += text;
  }
  // The verdict and the diagnostics agree: a plan exactly when no error.
  EXPECT_EQ(c->result.config.has_value(), !c->sink.has_errors()) << c->rendered.substr(0, 2000);
  for (const Diagnostic& d : c->sink.all()) {
    if (d.severity != Severity::kError) continue;
    const std::string_view id = info(d.code).id;
    if (id == "P1002" || id == "P1003" || id == "P1004") {
      // Syntax errors point into the file, at a line that exists.
      EXPECT_TRUE(d.range.valid()) << id << " " << d.message.substr(0, 200);
      if (d.range.valid()) {
        EXPECT_LT(d.range.begin.file, c->sm.size());
        EXPECT_LE(d.range.begin.line, c->sm.line_count(d.range.begin.file));
        EXPECT_GE(d.range.begin.column, 1u);
      }
    }
  }
  return c;
}

inline std::vector<std::string> ids(const DiagSink& sink, Severity at_least = Severity::kError) {
  std::vector<std::string> out;
  for (const Diagnostic& d : sink.all())
    if (d.severity >= at_least) out.emplace_back(info(d.code).id);
  return out;
}

// CPU time of this process: the suite runs beside other jobs on a 2-core
// machine, where wall time measures the neighbours as much as the compiler.
inline double cpu_seconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

inline const Diagnostic* first_error(const DiagSink& sink) {
  for (const Diagnostic& d : sink.all())
    if (d.severity == Severity::kError) return &d;
  return nullptr;
}

inline const model::GroupConfig* group(const model::Config& c, const std::string& name) {
  for (const auto& g : c.groups)
    if (g.name == name) return &g;
  return nullptr;
}

// Runs `body` in a forked child with 512 MB of address space; true when it
// exits 0 within `seconds`. A hang (blocked open, endless read) must fail
// the test, not stall the suite until ctest's timeout, so the child is
// killed at the deadline.
inline ::testing::AssertionResult finishes_within(double seconds, const std::function<bool()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    rlimit as{512u << 20, 512u << 20};
    ::setrlimit(RLIMIT_AS, &as);
    ::_exit(body() ? 0 : 1);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return ::testing::AssertionFailure() << "still running after " << seconds << " s (killed)";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFSIGNALED(status))
    return ::testing::AssertionFailure() << "died of signal " << WTERMSIG(status);
  if (WEXITSTATUS(status) != 0)
    return ::testing::AssertionFailure() << "finished, but not with the expected result";
  return ::testing::AssertionSuccess();
}

inline bool compiles_to_io_error(const std::string& path) {
  SourceManager sm;
  DiagSink sink;
  model::PosixHost host("hostile-host");
  auto result = model::compile_config(path, host, sm, sink);
  const Diagnostic* d = first_error(sink);
  return !result.config && d && info(d->code).id == "P1001";
}

}  // namespace proctor::hostile
