#include "tools/proctor/lint_command.h"

#include <unistd.h>

#include <iostream>
#include <memory>

#include <rule_docs_embedded.h>

#include "compiler/base/diagnostic_render.h"
#include "compiler/base/edit_distance.h"
#include "compiler/lint/linter.h"
#include "compiler/model/host.h"
#include "compiler/render/report.h"
#include "tools/proctor/exit_codes.h"

namespace proctor::cli {

namespace {

constexpr std::string_view kVersion = "0.1.0";

// "--select P3001,P3002 --select unknown-key" -> one flat list.
std::vector<std::string> split_codes(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const auto& a : args) {
    std::size_t start = 0;
    while (start <= a.size()) {
      std::size_t comma = a.find(',', start);
      if (comma == std::string::npos) comma = a.size();
      if (comma > start) out.push_back(a.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return out;
}

int explain(const std::string& what) {
  const DiagCodeInfo* ci = find_diag_code(what);
  if (ci) {
    std::string file = std::string(ci->id) + ".md";
    for (const auto& doc : generated::kEmbeddedRuleDocs)
      if (doc.name == file) {
        std::cout << doc.text;
        return kOk;
      }
    std::cout << ci->id << " " << ci->name << ": " << ci->summary << "\n";
    return kOk;
  }
  std::vector<std::string_view> names;
  for (const auto& c : all_diag_codes()) names.push_back(c.name);
  std::cerr << "proctor: unknown rule '" << what << "'";
  if (auto near = closest_match(what, names)) std::cerr << "; did you mean '" << *near << "'?";
  std::cerr << "\n";
  return kUsage;
}

std::optional<Severity> parse_severity(const std::string& s) {
  if (s == "error") return Severity::kError;
  if (s == "warning") return Severity::kWarning;
  if (s == "info") return Severity::kInfo;
  return std::nullopt;
}

void print_text(const std::vector<lint::LintReport>& reports,
                const std::vector<std::unique_ptr<SourceManager>>& sms) {
  RenderOptions render{static_cast<bool>(::isatty(STDOUT_FILENO))};
  std::vector<Diagnostic> all;
  for (std::size_t i = 0; i < reports.size(); ++i)
    for (const auto& d : reports[i].diagnostics) {
      std::cout << render_text(d, *sms[i], render) << "\n";
      all.push_back(d);
    }
  std::string summary = render_summary(all);
  std::cout << "proctor lint: " << (summary.empty() ? "no problems found" : summary) << " in "
            << reports.size() << (reports.size() == 1 ? " config\n" : " configs\n");
}

}  // namespace

void add_lint_command(CLI::App& app, LintCliOptions& opts) {
  auto* cmd = app.add_subcommand(
      "lint", "Check configs for everything Supervisor would reject and for mistakes it silently "
              "accepts; exits 1 when findings reach --fail-on");
  cmd->add_option("CONFIG", opts.configs, "supervisord configs to lint");
  cmd->add_option("--format", opts.format, "text, json, sarif or github")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd->add_option("--fail-on", opts.fail_on, "lowest severity that fails: error, warning or info")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--select", opts.select, "only these codes, names or code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--ignore", opts.ignore, "drop these codes, names or code prefixes (comma-separated)")
      ->allow_extra_args(false);
  cmd->add_flag("--env-check", opts.env_check, "also check commands exist and are executable here");
  cmd->add_option("--explain", opts.explain, "print the documentation of a rule (code or name)");
}

int run_lint(const LintCliOptions& opts) {
  if (!opts.explain.empty()) return explain(opts.explain);
  if (opts.configs.empty()) {
    std::cerr << "proctor lint: give at least one CONFIG (or --explain CODE)\n";
    return kUsage;
  }
  lint::LintOptions lo{opts.env_check, split_codes(opts.select), split_codes(opts.ignore)};
  model::PosixHost host;
  std::vector<std::unique_ptr<SourceManager>> sms;
  std::vector<lint::LintReport> reports;
  bool io_error = false;
  for (const auto& config : opts.configs) {
    sms.push_back(std::make_unique<SourceManager>());
    reports.push_back(lint::lint_config(config, host, *sms.back(), lo));
    io_error |= reports.back().io_error;
  }
  std::vector<render::ReportFile> files;
  for (std::size_t i = 0; i < reports.size(); ++i)
    files.push_back({reports[i].config, &reports[i].diagnostics, sms[i].get()});
  if (opts.format == "json") std::cout << render::json_report(files).dump(2) << "\n";
  else if (opts.format == "sarif") std::cout << render::sarif_report(files, kVersion).dump(2) << "\n";
  else if (opts.format == "github") std::cout << render::github_report(files);
  else print_text(reports, sms);
  if (io_error) return kIoError;
  Severity threshold = *parse_severity(opts.fail_on);
  for (const auto& r : reports)
    for (const auto& d : r.diagnostics)
      if (d.severity >= threshold) return kInvalidConfig;
  return kOk;
}

}  // namespace proctor::cli
