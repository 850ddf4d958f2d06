#include "tools/proctor/diff_command.h"

#include <unistd.h>

#include <iostream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_schema.h"
#include "compiler/plan/plan_source.h"

namespace proctor::cli {

namespace {

constexpr int kNoChange = 0, kChanges = 1, kTrouble = 2;

std::optional<nlohmann::json> load(const std::string& path, const model::Host& host) {
  SourceManager sm;
  DiagSink sink;
  plan::LoadedPlan loaded = plan::load_plan(path, host, sm, sink);
  RenderOptions render{static_cast<bool>(::isatty(STDERR_FILENO))};
  for (const auto& d : sink.all())
    if (d.severity == Severity::kError) std::cerr << render_text(d, sm, render);
  return loaded.plan;
}

}  // namespace

void add_diff_command(CLI::App& app, DiffCliOptions& opts) {
  auto* cmd = app.add_subcommand(
      "diff", "Show what `supervisorctl reread` reports and `update` does when OLD (running) is "
              "replaced by NEW; each may be a config or a plan");
  cmd->add_option("OLD", opts.old_path, "the running config or plan")->required();
  cmd->add_option("NEW", opts.new_path, "the config or plan on disk")->required();
  cmd->add_option("--format", opts.format, "text or json")->check(CLI::IsMember({"text", "json"}));
}

int run_diff(const DiffCliOptions& opts) {
  model::PosixHost host;
  auto before = load(opts.old_path, host);
  auto after = load(opts.new_path, host);
  if (!before || !after) {
    std::cerr << "proctor diff: cannot compare: " << (!before ? opts.old_path : opts.new_path)
              << " did not load\n";
    return kTrouble;
  }
  plan::PlanDelta delta = plan::diff_plans(*before, *after);
  if (opts.format == "json") {
    nlohmann::json j = plan::delta_json(delta);
    if (auto v = plan::validate_against("diff.schema.json", j); !v.empty()) {
      std::cerr << "proctor diff: internal error: output violates diff.schema.json at "
                << v.front().json_pointer << ": " << v.front().message << "\n";
      return kTrouble;
    }
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << plan::delta_text(delta);
  }
  return delta.empty() ? kNoChange : kChanges;
}

}  // namespace proctor::cli
