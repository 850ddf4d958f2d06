#pragma once
// A yes/no JSON Schema (draft 7) check, compiled once from a schema
// document, for the keywords our schemas use. It exists for speed: valijson
// copies a path and updates sets and maps for every member it visits, which
// made it nearly half of `proctor compile`. This check answers only
// "valid?"; the messages for an invalid document still come from valijson.
//
// Soundness is the contract: accepts() may reject a document valijson
// would accept (the caller then asks valijson, which has the last word),
// but it never accepts one valijson rejects. Where draft 7 or valijson's
// strict-type semantics are subtle (1 against 1.0 in const, enum and
// uniqueItems), it rejects.

#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

namespace proctor::plan {

class SchemaChecker {
 public:
  /// nullopt when the schema uses a keyword, a $ref or a form this checker
  /// does not implement; the caller then validates with valijson alone.
  static std::optional<SchemaChecker> compile(const nlohmann::json& schema);

  /// True only if the document is valid against the schema.
  bool accepts(const nlohmann::json& doc) const;

  struct Node;

 private:
  // Shared so that a checker can be copied and moved cheaply; nodes refer
  // to each other by index, which $ref cycles need.
  std::shared_ptr<const std::vector<Node>> nodes_;
};

}  // namespace proctor::plan
