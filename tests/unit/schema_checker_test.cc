// SchemaChecker must never accept what valijson rejects, and should accept
// what it accepts (else the fast path is useless). Checked differentially:
// the golden plans, and those plans with one node replaced, removed or
// added, judged by both against the whole plan schema and against the
// group definition plan_text validates each group with.

#include "compiler/plan/schema_checker.h"

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <schemas_embedded.h>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using proctor::plan::SchemaChecker;

json embedded_schema(std::string_view name) {
  for (const auto& embedded : proctor::generated::kEmbeddedSchemas)
    if (embedded.name == name) return json::parse(embedded.text);
  ADD_FAILURE() << "no embedded schema " << name;
  return nullptr;
}

// The schema rooted at one definition, as plan_schema.cc builds it.
json definition_schema(const json& schema, const std::string& definition) {
  return {{"$ref", "#/definitions/" + definition}, {"definitions", schema["definitions"]}};
}

// valijson, configured as validate_against configures it.
class Valijson {
 public:
  explicit Valijson(const json& schema) : document_(schema) {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(document_);
    parser.populateSchema(adapter, schema_);
  }
  bool accepts(const json& doc) {
    valijson::adapters::NlohmannJsonAdapter target(doc);
    return validator_.validate(schema_, target, nullptr);
  }

 private:
  json document_;
  valijson::Schema schema_;
  valijson::Validator validator_{valijson::Validator::kStrongTypes};
};

std::vector<json> golden_plans() {
  std::vector<json> plans;
  for (const auto& entry : fs::directory_iterator(fs::path(PROCTOR_SOURCE_DIR) / "tests/golden/compile")) {
    std::ifstream in(entry.path() / "plan.json");
    if (in) plans.push_back(json::parse(in));
  }
  return plans;
}

// Values of every JSON type, including the ones strong types and the
// schema's patterns and enums single out.
const std::vector<json>& replacements() {
  static const std::vector<json> values = {
      nullptr, true, false, 0, 1, -1, std::uint64_t{1} << 63, 1.0, 1.5, "", "x", "AUTO",
      "unexpected", "process", "fcgi", "eventlistener", "0123456789abcdef", "0123456789ABCDEF",
      "unix:///tmp/s", "inet", json::array(), json::array({1, 1}), json::array({-1, -1}),
      json::array({"a", "a"}), json::object(), json::object({{"file", "f"}, {"line", 1}})};
  return values;
}

// Every variant of `doc` with one node replaced (by a value picked by the
// node's index plus `rotate`), or removed, or, for a container, given an
// unknown member or a duplicate element.
struct Variant {
  std::string change;
  json doc;
};

std::vector<Variant> mutations(const json& doc, std::size_t rotate) {
  std::vector<Variant> out;
  const json flat = doc.flatten();
  std::vector<json::json_pointer> pointers;
  // flatten() lists leaves only; their parents are the containers.
  for (const auto& [path, leaf] : flat.items()) {
    json::json_pointer p(path);
    for (; !p.empty(); p = p.parent_pointer()) pointers.push_back(p);
  }
  std::sort(pointers.begin(), pointers.end(),
            [](const auto& a, const auto& b) { return a.to_string() < b.to_string(); });
  pointers.erase(std::unique(pointers.begin(), pointers.end()), pointers.end());
  const auto& values = replacements();
  for (std::size_t i = 0; i < pointers.size(); ++i) {
    const auto& p = pointers[i];
    const json& value = values[(i + rotate) % values.size()];
    json replaced = doc;
    replaced[p] = value;
    out.push_back({p.to_string() + " = " + value.dump(), std::move(replaced)});
    json removed = doc;
    json& parent = removed[p.parent_pointer()];
    if (parent.is_object()) parent.erase(p.back());
    else parent.erase(std::stoul(p.back()));
    out.push_back({"remove " + p.to_string(), std::move(removed)});
    json extended = doc;
    json& node = extended[p];
    if (node.is_object()) node["bogus"] = 1;
    if (node.is_array() && !node.empty()) node.push_back(node.front());
    if (node.is_structured()) out.push_back({"extend " + p.to_string(), std::move(extended)});
  }
  return out;
}

struct Tally {
  int valid = 0;
  int invalid = 0;
};

void expect_same_verdicts(const json& schema, const std::vector<Variant>& docs, Tally& tally) {
  auto checker = SchemaChecker::compile(schema);
  ASSERT_TRUE(checker.has_value());
  Valijson valijson(schema);
  for (const auto& [change, doc] : docs) {
    const bool want = valijson.accepts(doc);
    ASSERT_EQ(checker->accepts(doc), want) << change;
    ++(want ? tally.valid : tally.invalid);
  }
}

TEST(SchemaChecker, AgreesWithValijsonOnMutatedPlans) {
  const json schema = embedded_schema("plan.schema.json");
  const auto plans = golden_plans();
  ASSERT_GT(plans.size(), 20u);
  Tally tally;
  for (std::size_t i = 0; i < plans.size(); ++i) {
    std::vector<Variant> docs = mutations(plans[i], i);
    docs.push_back({"none", plans[i]});
    expect_same_verdicts(schema, docs, tally);
  }
  // Both verdicts must be common, or the comparison shows little.
  EXPECT_GT(tally.valid, 500);
  EXPECT_GT(tally.invalid, 5000);
}

TEST(SchemaChecker, AgreesWithValijsonOnMutatedGroups) {
  const json schema = definition_schema(embedded_schema("plan.schema.json"), "group");
  Tally tally;
  std::size_t rotate = 0;
  for (const json& plan : golden_plans()) {
    for (const json& group : plan["groups"]) {
      // Each group under every replacement value, so all types meet all nodes.
      for (std::size_t r = 0; r < replacements().size(); r += 9) {
        std::vector<Variant> docs = mutations(group, rotate + r);
        docs.push_back({"none", group});
        expect_same_verdicts(schema, docs, tally);
      }
      ++rotate;
    }
  }
  EXPECT_GT(tally.valid, 500);
  EXPECT_GT(tally.invalid, 5000);
}

// A keyword or form it does not implement must make compile() give up, not
// be skipped: skipping a constraint would accept too much.
TEST(SchemaChecker, RefusesSchemasBeyondItsKeywords) {
  EXPECT_FALSE(SchemaChecker::compile(json{{"type", "string"}, {"format", "date"}}));
  EXPECT_FALSE(SchemaChecker::compile(json{{"patternProperties", json::object()}}));
  EXPECT_FALSE(SchemaChecker::compile(json{{"$ref", "other.json#/x"}}));
  EXPECT_FALSE(SchemaChecker::compile(json{{"$ref", "#/definitions/x"}, {"type", "string"}}));
  EXPECT_FALSE(SchemaChecker::compile(json{{"items", json::array({true})}}));
  EXPECT_TRUE(SchemaChecker::compile(json{{"type", "string"}, {"pattern", "^a"}}));
}

TEST(SchemaChecker, StrongTypes) {
  auto integer = SchemaChecker::compile(json{{"type", "integer"}, {"minimum", 1}});
  ASSERT_TRUE(integer);
  EXPECT_TRUE(integer->accepts(1));
  // valijson reads integers as int64: 2^63 wraps below any minimum there.
  EXPECT_FALSE(integer->accepts(std::uint64_t{1} << 63));
  EXPECT_TRUE(SchemaChecker::compile(json{{"type", "integer"}})->accepts(std::uint64_t{1} << 63));
  EXPECT_FALSE(integer->accepts(0));
  EXPECT_FALSE(integer->accepts(1.0));
  EXPECT_FALSE(integer->accepts("1"));
  auto number = SchemaChecker::compile(json{{"type", "number"}, {"minimum", 1}});
  ASSERT_TRUE(number);
  EXPECT_TRUE(number->accepts(1.5));
  EXPECT_FALSE(number->accepts(0.5));
}

TEST(SchemaChecker, RecursiveReference) {
  json schema = {{"$ref", "#/definitions/tree"},
                 {"definitions",
                  {{"tree",
                    {{"type", "array"}, {"items", {{"$ref", "#/definitions/tree"}}}}}}}};
  auto checker = SchemaChecker::compile(schema);
  ASSERT_TRUE(checker);
  EXPECT_TRUE(checker->accepts(json::parse("[[], [[]]]")));
  EXPECT_FALSE(checker->accepts(json::parse("[[], [[1]]]")));
}

}  // namespace
