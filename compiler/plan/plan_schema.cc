#include "compiler/plan/plan_schema.h"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <utility>

#include <schemas_embedded.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "compiler/plan/schema_checker.h"

namespace proctor::plan {
namespace {

using generated::kEmbeddedSchemas;

// A parsed schema. valijson::Schema is neither copyable nor movable, hence
// the unique_ptr; the source document is kept alongside in case the parsed
// constraints refer back into it. The checker, when the schema is within
// what it implements, answers "valid" many times faster; valijson then runs
// only for documents it does not accept, and has the last word on them.
struct ParsedSchema {
  nlohmann::json document;
  std::unique_ptr<valijson::Schema> schema;
  std::optional<SchemaChecker> checker;
};

// "file.json" is the whole schema; "file.json#/definitions/x" one of its
// definitions, as a document whose root refers to it (its own refs into
// "#/definitions" keep resolving).
std::unique_ptr<ParsedSchema> parse_embedded(std::string_view name) {
  std::string_view file = name.substr(0, name.find('#'));
  for (const auto& embedded : kEmbeddedSchemas) {
    if (embedded.name != file) continue;
    auto parsed = std::make_unique<ParsedSchema>();
    try {
      parsed->document = nlohmann::json::parse(embedded.text);
      if (file.size() < name.size()) {
        nlohmann::json definitions = std::move(parsed->document["definitions"]);
        parsed->document = {{"$ref", std::string(name.substr(file.size()))},
                            {"definitions", std::move(definitions)}};
      }
      parsed->schema = std::make_unique<valijson::Schema>();
      valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
      valijson::adapters::NlohmannJsonAdapter adapter(parsed->document);
      parser.populateSchema(adapter, *parsed->schema);
      parsed->checker = SchemaChecker::compile(parsed->document);
    } catch (const std::exception& e) {
      throw std::logic_error("embedded schema " + std::string(name) +
                             " is invalid: " + e.what());
    }
    return parsed;
  }
  throw std::logic_error("no embedded schema named " + std::string(name));
}

// Parses each schema at most once per process. Parsing is not free (the plan
// schema has dozens of subschemas) and validation is called per plan, so the
// results are cached for the program's lifetime. A mutex rather than a
// function-local static per schema because the set of names is open-ended.
const ParsedSchema& schema_for(std::string_view name) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<ParsedSchema>, std::less<>> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(name);
  if (it == cache.end()) {
    it = cache.emplace(std::string(name), parse_embedded(name)).first;
  }
  return *it->second;
}

void append_pointer_token(std::string& pointer, std::string_view token) {
  pointer += '/';
  for (char c : token) {
    if (c == '~') pointer += "~0";
    else if (c == '/') pointer += "~1";
    else pointer += c;
  }
}

// valijson reports a path as {"<root>", "[key]", "[0]", ...}, which is
// ambiguous between an object key "0" and an array index. Walking the
// instance alongside resolves it: the container kind decides. The JSON
// pointer token is the same either way, but walking also keeps `node`
// right for keys that themselves contain brackets.
std::string to_json_pointer(const std::vector<std::string>& context,
                            const nlohmann::json& doc,
                            const nlohmann::json** found) {
  std::string pointer;
  const nlohmann::json* node = &doc;
  for (std::size_t i = 1; i < context.size(); ++i) {  // [0] is "<root>"
    const std::string& part = context[i];
    std::string_view token(part);
    if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
      token = token.substr(1, token.size() - 2);
    }
    append_pointer_token(pointer, token);
    if (node == nullptr) continue;
    if (node->is_object()) {
      auto it = node->find(std::string(token));
      node = it == node->end() ? nullptr : &*it;
    } else if (node->is_array()) {
      std::size_t index = 0;
      try {
        index = std::stoul(std::string(token));
      } catch (const std::exception&) {
        node = nullptr;
        continue;
      }
      node = index < node->size() ? &(*node)[index] : nullptr;
    } else {
      node = nullptr;
    }
  }
  *found = node;
  return pointer;
}

// Messages valijson adds on every ancestor of a failing node; the leaf error
// underneath always carries the information, so these are dropped.
bool is_propagation_only(std::string_view message) {
  static constexpr std::string_view kPrefixes[] = {
      "Failed to validate item #",
      "Failed to validate against schema associated with property name",
      "Failed to validate against a conditional schema",
      "Failed to validate against additional properties schema",
      "Failed to validate against child schema #",
  };
  for (std::string_view prefix : kPrefixes) {
    if (message.starts_with(prefix)) return true;
  }
  return false;
}

// additionalProperties:false is reported on the object with the key only in
// the message; point at the key itself so the violation is actionable.
void point_at_unknown_key(SchemaViolation& violation) {
  static constexpr std::string_view kUnknown =
      "Object contains a property that could not be validated using "
      "'properties' or 'additionalProperties' constraints: '";
  std::string_view message(violation.message);
  if (!message.starts_with(kUnknown) || !message.ends_with("'.")) return;
  std::string_view key =
      message.substr(kUnknown.size(), message.size() - kUnknown.size() - 2);
  append_pointer_token(violation.json_pointer, key);
  violation.message = "unknown property '" + std::string(key) + "'";
}

}  // namespace

std::vector<SchemaViolation> validate_against(std::string_view schema_name,
                                              const nlohmann::json& doc) {
  const ParsedSchema& parsed = schema_for(schema_name);
  if (parsed.checker && parsed.checker->accepts(doc)) return {};
  // Strict types: 1.0 is not an integer and "1" is not a number, matching the
  // oracle's Python types exactly. The validator caches every compiled
  // 'pattern' regex, which costs far more to build than to match, so each
  // thread keeps one for all the documents it validates.
  thread_local valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::adapters::NlohmannJsonAdapter target(doc);
  valijson::ValidationResults results;
  std::vector<SchemaViolation> violations;
  if (validator.validate(*parsed.schema, target, &results)) return violations;

  valijson::ValidationResults::Error error;
  std::vector<SchemaViolation> all;
  while (results.popError(error)) {
    const nlohmann::json* node = nullptr;
    SchemaViolation violation{to_json_pointer(error.context, doc, &node),
                              error.description};
    // valijson does not say what it found; the producer's bug is usually
    // obvious once the actual type is shown.
    if (node != nullptr && violation.message.starts_with("Value type not permitted")) {
      violation.message += std::string(" (got ") + node->type_name() + ")";
    }
    point_at_unknown_key(violation);
    all.push_back(std::move(violation));
  }
  for (auto& violation : all) {
    if (is_propagation_only(violation.message)) continue;
    bool duplicate = false;
    for (const auto& kept : violations) {
      duplicate = duplicate || (kept.json_pointer == violation.json_pointer &&
                                kept.message == violation.message);
    }
    if (!duplicate) violations.push_back(std::move(violation));
  }
  // Never report "invalid" with an empty list, whatever valijson emitted.
  if (violations.empty() && !all.empty()) violations.push_back(all.front());
  if (violations.empty()) violations.push_back({"", "document does not match schema"});
  return violations;
}

std::vector<SchemaViolation> validate_plan(const nlohmann::json& plan) {
  return validate_against("plan.schema.json", plan);
}

std::vector<SchemaViolation> validate_plan_group(const nlohmann::json& group) {
  return validate_against("plan.schema.json#/definitions/group", group);
}

std::vector<std::string> embedded_schema_names() {
  std::vector<std::string> names;
  for (const auto& embedded : kEmbeddedSchemas) names.emplace_back(embedded.name);
  return names;
}

}  // namespace proctor::plan
