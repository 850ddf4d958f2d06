// libFuzzer target: the INI parser on the raw bytes, then the whole compile
// path (includes, sections, %-expansion, the plan and its schema check,
// diagnostic rendering) on an in-memory host, so no input touches the disk.
//
// Input layout: the bytes are split at every "\n----\n"; the first piece is
// /etc/supervisor/supervisord.conf and piece i is conf.d/<i>.conf beside it,
// so a seed with `[include] files = conf.d/*.conf` reaches the include
// reader with several files.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"
#include "compiler/plan/plan_schema.h"
#include "compiler/syntax/ini_parser.h"
#include "tests/support/memory_host.h"

namespace {

// Every invariant is checked with abort(), which libFuzzer reports as a
// crash with the input saved, like a sanitizer finding.
void check(bool ok) {
  if (!ok) std::abort();
}

void fuzz_parser(std::string_view bytes) {
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  proctor::FileId id = sm.add("fuzz.conf", std::string(bytes));
  proctor::syntax::IniFile ini = proctor::syntax::parse_ini(sm, id, sink);
  // A refused file always says why; an accepted one never has an error.
  check(ini.failed == sink.has_errors());
  for (const auto& d : sink.all()) {
    check(d.range.valid());
    check(d.range.begin.line <= sm.line_count(id));
    (void)proctor::render_text(d, sm, {});
  }
}

void fuzz_compile(std::string_view bytes) {
  proctor::testing::MemoryHost host;
  host.set_cwd("/etc/supervisor");
  host.set_environment({{"HOME", "/root"}, {"PATH", "/usr/bin:/bin"}, {"X", "%(here)s"}});
  host.add_dir("/etc/supervisor/conf.d");
  static constexpr std::string_view kSplit = "\n----\n";
  std::size_t start = 0;
  for (int piece = 0;; ++piece) {
    std::size_t end = bytes.find(kSplit, start);
    std::string text(bytes.substr(start, end == std::string_view::npos ? end : end - start));
    host.add_file(piece == 0 ? "/etc/supervisor/supervisord.conf"
                             : "/etc/supervisor/conf.d/" + std::to_string(piece) + ".conf",
                  std::move(text));
    if (end == std::string_view::npos) break;
    start = end + kSplit.size();
  }
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  auto result = proctor::model::compile_config("supervisord.conf", host, sm, sink);
  check(result.config.has_value() == !sink.has_errors() || result.io_error);
  for (const auto& d : sink.all()) {
    std::string text = proctor::render_text(d, sm, {});
    check(text.size() < 64 * 1024);  // rendering is bounded whatever the line
  }
  if (!result.config) return;
  nlohmann::json plan = proctor::plan::to_json(*result.config, sm);
  // The CLI refuses to write a plan that violates its schema and calls that
  // an internal error: the compiler must never produce one.
  check(proctor::plan::validate_plan(plan).empty());
  (void)proctor::plan::dump_plan(plan);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  fuzz_parser(bytes);
  fuzz_compile(bytes);
  return 0;
}
