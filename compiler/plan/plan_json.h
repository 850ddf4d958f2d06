#pragma once
// The plan: the compiled Config as JSON. Every key the Supervisor oracle
// prints appears at the same path with the same value; proctor adds a
// version, source locations, per-group content hashes, the environment
// variables read and dependency edges. Keys are sorted, so the same config
// always gives byte-identical output.

#include <string>

#include <nlohmann/json.hpp>

#include "compiler/base/expected.h"
#include "compiler/base/source.h"
#include "compiler/model/config.h"
#include "compiler/plan/group_hash.h"

namespace proctor::plan {

inline constexpr int kPlanVersion = 1;

nlohmann::json to_json(const model::Config& config, const SourceManager& sm);

/// The plan without its groups ("groups" is an empty array), and one
/// element of "groups": to_json is the header with every group_json
/// appended. Large plans are assembled from these pieces (plan_text.h).
nlohmann::json plan_header(const model::Config& config);
nlohmann::json group_json(const model::GroupConfig& group, const SourceManager& sm);

/// The canonical text: 2-space indent, ASCII only, trailing newline.
std::string dump_plan(const nlohmann::json& plan);
/// The same format for any part of a plan, without the trailing newline.
std::string dump_plan_value(const nlohmann::json& value);

/// Parses and schema-checks a plan file's text. The error names the JSON
/// pointer of the first violation.
Expected<nlohmann::json> parse_plan(const std::string& text);

}  // namespace proctor::plan
