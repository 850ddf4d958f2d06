#include "compiler/plan/plan_text.h"

#include <algorithm>
#include <string_view>

#include "compiler/base/parallel_for.h"
#include "compiler/plan/plan_json.h"
#include "compiler/plan/plan_printer.h"

namespace proctor::plan {

namespace {

using nlohmann::json;

// Big enough that handing out batches costs nothing, small enough that two
// workers finish close together.
constexpr std::size_t kGroupsPerBatch = 128;

// In the whole plan a group sits in "groups" two levels deep.
constexpr unsigned kGroupIndent = 4;

// The empty groups array as dump_plan prints it in the header: a top-level
// key, so preceded by a newline and two spaces, which no nested key or
// escaped string can produce.
constexpr std::string_view kEmptyGroups = "\n  \"groups\": []";

std::string pointer_in_plan(std::size_t group, const std::string& inner) {
  return "/groups/" + std::to_string(group) + inner;
}

struct Batch {
  std::string text;
  std::vector<SchemaViolation> violations;
};

// Groups [first, last): each converted, validated, printed, then dropped.
Batch render_batch(const model::Config& config, const SourceManager& sm, std::size_t first,
                   std::size_t last) {
  Batch b;
  for (std::size_t i = first; i < last; ++i) {
    json group = group_json(config.groups[i], sm);
    auto violations = validate_plan_group(group);
    for (auto& v : violations) {
      v.json_pointer = pointer_in_plan(i, v.json_pointer);
      b.violations.push_back(std::move(v));
    }
    if (!b.violations.empty()) continue;
    if (i > 0) b.text += ",\n";
    b.text.append(kGroupIndent, ' ');
    append_plan_value(b.text, group, kGroupIndent);
  }
  return b;
}

std::vector<Batch> render_groups(const model::Config& config, const SourceManager& sm,
                                 unsigned threads) {
  const std::size_t count = config.groups.size();
  std::vector<Batch> batches((count + kGroupsPerBatch - 1) / kGroupsPerBatch);
  parallel_for(batches.size(), threads, [&](std::size_t b) {
    std::size_t first = b * kGroupsPerBatch;
    batches[b] = render_batch(config, sm, first, std::min(count, first + kGroupsPerBatch));
  });
  return batches;
}

}  // namespace

PlanText plan_text(const model::Config& config, const SourceManager& sm, unsigned threads) {
  PlanText out;
  json header = plan_header(config);
  out.violations = validate_plan(header);
  std::vector<Batch> batches = render_groups(config, sm, threads);
  for (auto& b : batches)
    for (auto& v : b.violations) out.violations.push_back(std::move(v));
  if (!out.violations.empty()) return out;

  std::string head = dump_plan(header);
  header = nullptr;
  std::size_t at = head.find(kEmptyGroups);
  std::size_t open = at + kEmptyGroups.size() - 1;  // the ']' of "[]"
  if (config.groups.empty()) {
    out.chunks.push_back(std::move(head));
    return out;
  }
  out.chunks.push_back(head.substr(0, open) + "\n");
  for (auto& b : batches) out.chunks.push_back(std::move(b.text));
  out.chunks.push_back("\n  " + head.substr(open));
  return out;
}

}  // namespace proctor::plan
