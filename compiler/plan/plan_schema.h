#pragma once
// Validation of emitted JSON documents against the schemas in schemas/*.json.
// The schemas are embedded in the binary at build time (see
// compiler/CMakeLists.txt), so tools never read the source tree at run time.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace proctor::plan {

struct SchemaViolation {
  /// RFC 6901 pointer into the validated document ("" = the root). For an
  /// unknown key it names the key itself; for a missing required key it names
  /// the object that lacks it (the key is in `message`).
  std::string json_pointer;
  std::string message;
};

/// Validates against schemas/plan.schema.json (embedded in the binary at build
/// time, so the tools do not depend on the source tree at run time).
/// Returns an empty vector iff the document is valid.
std::vector<SchemaViolation> validate_plan(const nlohmann::json& plan);

/// Validates one element of a plan's "groups" against the schema's
/// definition of a group; pointers are relative to the group. A plan is
/// valid iff its header (groups empty) passes validate_plan and every group
/// passes this, because the schema says nothing else about "groups".
std::vector<SchemaViolation> validate_plan_group(const nlohmann::json& group);

/// Same for any embedded schema by file name ("plan.schema.json"), so later
/// schemas (diagnostics, diff) reuse it; "name#/definitions/x" validates
/// against one definition of that schema. An unknown name or an embedded schema
/// that fails to parse is a build defect, reported as std::logic_error.
std::vector<SchemaViolation> validate_against(std::string_view schema_name,
                                              const nlohmann::json& doc);

/// Names of all embedded schemas, sorted (for tests and --help output).
std::vector<std::string> embedded_schema_names();

}  // namespace proctor::plan
