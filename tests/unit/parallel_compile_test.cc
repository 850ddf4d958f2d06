// Sections read on several threads must leave exactly what one thread
// leaves: the same diagnostics in the same order (repeats merged as
// DiagSink merges them), the same warnings, ENV_ names and plan.

#include <gtest/gtest.h>

#include <string>

#include <fmt/format.h>

#include "compiler/base/diagnostic.h"
#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"
#include "tests/support/memory_host.h"

namespace {

using proctor::DiagCode;
using proctor::Diagnostic;
using proctor::DiagSink;
using proctor::SourceRange;

std::string describe(const DiagSink& sink) {
  std::string out;
  for (const Diagnostic& d : sink.all()) {
    out += fmt::format("{} {}:{}:{}+{} {} | help={} | sup={}\n", static_cast<int>(d.code),
                       d.range.begin.file, d.range.begin.line, d.range.begin.column,
                       d.range.length, d.message, d.help, d.supervisor_message);
    for (const auto& n : d.notes) out += "  note: " + n.message + "\n";
  }
  return out;
}

SourceRange at(std::uint32_t line) { return {{0, line, 1}, 4}; }

// What a reader does with report()'s result: amend it, repeat or not.
void report_sample(DiagSink& sink, int from, int to) {
  for (int i = from; i < to; ++i) {
    auto& d = sink.report(DiagCode::P2004, at(i % 3 + 1), fmt::format("bad {}", i % 3));
    d.help = fmt::format("help {}", i);
    d.notes.push_back({fmt::format("note {}", i), {}});
    if (i % 2) d.supervisor_message = fmt::format("sup {}", i);
  }
}

TEST(DiagSinkMerge, EqualsReportingInOneSink) {
  for (int split = 0; split <= 8; ++split) {
    DiagSink whole, first, second;
    report_sample(whole, 0, 8);
    report_sample(first, 0, split);
    report_sample(second, split, 8);
    first.merge(std::move(second));
    EXPECT_EQ(describe(first), describe(whole)) << "split at " << split;
    EXPECT_TRUE(second.all().empty());
  }
}

// Enough programs for many batches, some in groups, with ENV_ names and
// AUTO logs without rotation (parse warnings); with errors, a [DEFAULT] log
// directory that does not exist (one diagnostic, at DEFAULT's line, for
// every program) and some bad integers.
proctor::testing::MemoryHost sample_host(bool with_errors) {
  proctor::testing::MemoryHost host;
  host.set_environment({{"HOME", "/root"}, {"SLOT", "7"}, {"V0", "a"}, {"V1", "b"}, {"V2", "c"},
                        {"V3", "d"}, {"V4", "e"}});
  host.add_dir("/tmp");
  std::string main = "[supervisord]\n[include]\nfiles = conf.d/*.conf\n";
  if (with_errors) main += "[DEFAULT]\nstderr_logfile = /nowhere/%(program_name)s.err\n";
  for (int g = 0; g < 10; ++g)
    main += fmt::format("[group:g{}]\nprograms = p{},p{}\n", g, g * 30, g * 30 + 1);
  host.add_file("/etc/supervisord.conf", main);
  for (int f = 0; f < 6; ++f) {
    std::string text;
    for (int p = f; p < 300; p += 6) {
      text += fmt::format("[program:p{}]\ncommand = /bin/sleep {} %(ENV_SLOT)s\n", p, p);
      if (p % 7 == 0) text += "numprocs = 3\nprocess_name = %(program_name)s_%(process_num)d\n";
      if (p % 11 == 0) text += "stdout_logfile = AUTO\nstdout_logfile_maxbytes = 0\n";
      if (p % 13 == 0) text += fmt::format("environment = A=\"%(ENV_V{})s\"\n", p % 5);
      if (with_errors && p % 17 == 0) text += "startsecs = soon\n";
    }
    host.add_file(fmt::format("/etc/conf.d/{}.conf", f), text);
  }
  return host;
}

struct Outcome {
  std::string diagnostics;
  std::string plan;
};

Outcome compile_with(const proctor::model::Host& host, unsigned threads) {
  proctor::SourceManager sm;
  DiagSink sink;
  auto result = proctor::model::compile_config("/etc/supervisord.conf", host, sm, sink, threads);
  Outcome out{describe(sink), ""};
  if (result.config) out.plan = proctor::plan::to_json(*result.config, sm).dump(1);
  return out;
}

TEST(ParallelCompile, SameResultForAnyThreadCount) {
  for (bool with_errors : {false, true}) {
    auto host = sample_host(with_errors);
    Outcome one = compile_with(host, 1);
    EXPECT_EQ(one.diagnostics.find("/nowhere") != std::string::npos, with_errors) << one.diagnostics;
    EXPECT_EQ(one.plan.empty(), with_errors) << one.diagnostics;
    for (unsigned threads : {2u, 3u, 8u}) {
      Outcome many = compile_with(host, threads);
      EXPECT_EQ(many.diagnostics, one.diagnostics) << threads << " threads";
      EXPECT_EQ(many.plan, one.plan) << threads << " threads";
    }
  }
}

}  // namespace
