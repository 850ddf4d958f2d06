#include "compiler/plan/plan_source.h"

#include <fmt/format.h>

#include "compiler/model/compile.h"
#include "compiler/plan/plan_json.h"

namespace proctor::plan {

namespace {

bool looks_like_json(const std::string& text) {
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    return c == '{';
  }
  return false;
}

}  // namespace

LoadedPlan load_plan(const std::string& path, const model::Host& host, SourceManager& sm,
                     DiagSink& sink) {
  LoadedPlan out;
  model::ReadResult r = host.read_file(path);
  if (r.ok && looks_like_json(r.text)) {
    auto parsed = parse_plan(r.text);
    if (!parsed) {
      sink.report(DiagCode::P1001, {}, fmt::format("{}: {}", path, parsed.error()));
      out.io_error = true;
      return out;
    }
    out.plan = *parsed;
    return out;
  }
  out.from_config = true;
  model::CompileResult c = model::compile_config(path, host, sm, sink);
  out.io_error = c.io_error;
  if (c.config) out.plan = to_json(*c.config, sm);
  return out;
}

}  // namespace proctor::plan
