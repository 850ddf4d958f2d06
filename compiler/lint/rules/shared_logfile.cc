// P3009: two log channels writing one file each keep their own handle and
// rotate it on their own: after one renames the file to .1 the other keeps
// writing into the rotated file, and the lines of both interleave. The
// classic case is numprocs > 1 without %(process_num) in the log path.

#include <fmt/format.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "compiler/lint/rules/structure_rules.h"
#include "compiler/model/paths.h"

namespace proctor::lint {

namespace {

struct Writer {
  const LogSite* site;
  SourceRange where;
};

std::string who(const LogSite& s) { return fmt::format("{} ({})", s.process->name, s.key); }

// All writers of one file share the location of the option that names it
// when they come from one section (numprocs); one report per location.
void report_file(const std::string& path, const std::vector<Writer>& writers,
                 DiagSink& sink) {
  if (writers.size() < 2) return;
  const Writer& first = writers.front();
  std::vector<std::string> same_place;
  for (const auto& w : writers)
    if (w.where == first.where) same_place.push_back(who(*w.site));
  if (same_place.size() > 1) {
    sink.report(DiagCode::P3009, first.where,
                fmt::format("{} processes write the same log file {}: {}", same_place.size(), path,
                            shorten(fmt::format("{}", fmt::join(same_place, ", ")), 120)))
        .help = "put %(process_num)02d (or %(process_name)s) into the log file name";
  }
  for (const auto& w : writers) {
    if (w.where == first.where) continue;
    auto& d = sink.report(DiagCode::P3009, w.where,
                          fmt::format("[{}] {} writes the same log file as {}: {}", w.site->process->section,
                                      who(*w.site), who(*first.site), path));
    d.notes.push_back({fmt::format("{} logs to {} here", who(*first.site), path), first.where});
    d.help = w.site->process == first.site->process
                 ? "use redirect_stderr=true to send stderr into the stdout log"
                 : "give each process its own log file";
  }
}

}  // namespace

void check_shared_logfile(const LintInput& in, DiagSink& sink) {
  if (!in.config) return;
  std::vector<LogSite> sites = path_log_sites(*in.config);
  std::map<std::string, std::vector<Writer>> by_path;
  std::vector<std::string> order;  // report in config order, not path order
  for (const auto& s : sites) {
    std::string path = model::absolute_normalized(s.channel->path, in.config->cwd);
    if (is_special_file(path)) continue;
    auto& writers = by_path[path];
    if (writers.empty()) order.push_back(path);
    writers.push_back({&s, option_range(in, s.process->section, s.key)});
  }
  // The first writer in the files, not in Supervisor's group order.
  auto source_order = [](const Writer& a, const Writer& b) {
    return std::tuple(a.where.begin.file, a.where.begin.line, a.where.begin.column) <
           std::tuple(b.where.begin.file, b.where.begin.line, b.where.begin.column);
  };
  for (const auto& path : order) {
    auto& writers = by_path[path];
    std::stable_sort(writers.begin(), writers.end(), source_order);
    report_file(path, writers, sink);
  }
}

}  // namespace proctor::lint
