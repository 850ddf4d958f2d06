#include "compiler/plan/schema_checker.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

namespace proctor::plan {

namespace {

using nlohmann::json;

constexpr int kNone = -1;

enum TypeBit : unsigned {
  kNull = 1,
  kBoolean = 2,
  kObject = 4,
  kArray = 8,
  kString = 16,
  kInteger = 32,
  kFloat = 64,  // a number that is not an integer; "number" is kInteger | kFloat
  kAnyType = 127,
};

std::optional<unsigned> type_bits(const json& name) {
  if (!name.is_string()) return std::nullopt;
  static const std::map<std::string, unsigned, std::less<>> kNames = {
      {"null", kNull},     {"boolean", kBoolean}, {"object", kObject},
      {"array", kArray},   {"string", kString},   {"integer", kInteger},
      {"number", kInteger | kFloat}};
  auto it = kNames.find(name.get_ref<const std::string&>());
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// valijson's kStrongTypes: an integer is what nlohmann holds as one, so
// 1.0 is a float, never an integer.
unsigned type_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return kNull;
    case json::value_t::boolean: return kBoolean;
    case json::value_t::object: return kObject;
    case json::value_t::array: return kArray;
    case json::value_t::string: return kString;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return kInteger;
    case json::value_t::number_float: return kFloat;
    default: return 0;  // binary, discarded: matches no type
  }
}

// Equality for const and enum under strong types. nlohmann's == calls 1 and
// 1.0 equal; whether valijson does depends on its mode, so a float against
// a non-float counts as different, which can only reject.
bool same_value(const json& a, const json& b) {
  if (a.is_number_float() != b.is_number_float()) return false;
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return false;
    for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib)
      if (ia.key() != ib.key() || !same_value(*ia, *ib)) return false;
    return true;
  }
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (!same_value(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

bool is_annotation(std::string_view keyword) {
  static constexpr std::string_view kAnnotations[] = {
      "$schema", "title", "description", "$comment", "definitions", "default", "examples"};
  return std::find(std::begin(kAnnotations), std::end(kAnnotations), keyword) !=
         std::end(kAnnotations);
}

}  // namespace

struct SchemaChecker::Node {
  bool reject_all = false;
  unsigned types = kAnyType;
  bool has_allowed = false;  // const or enum
  std::vector<json> allowed;
  std::vector<std::string> required;
  std::vector<std::pair<std::string, int>> properties;  // sorted by name
  // properties[i] is required; required names with no property schema are
  // looked up on their own (plan.schema.json has none).
  std::vector<bool> property_required;
  std::size_t required_properties = 0;
  std::vector<std::string> required_elsewhere;
  bool no_additional = false;
  int additional = kNone;
  int items = kNone;
  std::optional<std::size_t> min_items, max_items;
  std::optional<json> minimum;
  std::optional<std::regex> pattern;
  bool unique_items = false;
  int ref = kNone;
  int if_ = kNone, then_ = kNone, else_ = kNone;
  std::vector<int> one_of;
};

namespace {

using Node = SchemaChecker::Node;

// Builds the node table; any schema form it does not know ends the
// compilation (ok = false) rather than being skipped, because skipping a
// constraint could accept what valijson rejects.
class Compiler {
 public:
  explicit Compiler(const json& root) : root_(root) {}

  std::optional<std::vector<Node>> run() {
    int top = compile(root_, true);
    if (!ok_ || top != 0) return std::nullopt;
    for (Node& n : nodes_) pair_required_with_properties(n);
    return std::move(nodes_);
  }

 private:
  int compile(const json& schema, bool is_root = false) {
    int at = static_cast<int>(nodes_.size());
    nodes_.emplace_back();
    if (schema.is_boolean()) {
      nodes_[at].reject_all = !schema.get<bool>();
      return at;
    }
    if (!schema.is_object()) return fail();
    if (schema.contains("$ref")) return compile_ref(schema, at, is_root);
    for (const auto& [keyword, value] : schema.items()) {
      if (is_annotation(keyword) || (is_root && keyword == "$id")) continue;
      if (!keyword_into(at, keyword, value)) return fail();
    }
    return at;
  }

  // Draft 7 ignores a $ref's siblings; valijson's handling of them is not
  // ours to guess, so only annotations may sit beside one.
  int compile_ref(const json& schema, int at, bool is_root) {
    for (const auto& [keyword, value] : schema.items())
      if (keyword != "$ref" && !is_annotation(keyword) && !(is_root && keyword == "$id"))
        return fail();
    const json& ref = schema["$ref"];
    if (!ref.is_string()) return fail();
    const auto& target = ref.get_ref<const std::string&>();
    if (!target.starts_with("#")) return fail();
    auto known = refs_.find(target);
    if (known != refs_.end()) {
      nodes_[at].ref = known->second;
      return at;
    }
    json::json_pointer pointer;
    try {
      pointer = json::json_pointer(target.substr(1));
    } catch (const json::exception&) {
      return fail();
    }
    if (!root_.contains(pointer)) return fail();
    // Registered before compiling so a cycle refers back to this node.
    int target_node = static_cast<int>(nodes_.size());
    refs_.emplace(target, target_node);
    compile(root_.at(pointer));
    nodes_[at].ref = target_node;
    return at;
  }

  bool keyword_into(int at, const std::string& keyword, const json& v) {
    if (keyword == "type") return set_types(at, v);
    if (keyword == "const" || keyword == "enum") {
      if (nodes_[at].has_allowed || (keyword == "enum" && !v.is_array())) return false;
      nodes_[at].has_allowed = true;
      if (keyword == "const") nodes_[at].allowed = {v};
      else nodes_[at].allowed.assign(v.begin(), v.end());
      return true;
    }
    if (keyword == "required") return set_required(at, v);
    if (keyword == "properties") return set_properties(at, v);
    if (keyword == "additionalProperties") {
      if (v.is_boolean() && !v.get<bool>()) return nodes_[at].no_additional = true;
      return set_sub(at, &Node::additional, v);
    }
    if (keyword == "items") return !v.is_array() && set_sub(at, &Node::items, v);
    if (keyword == "minItems") return set_count(v, nodes_[at].min_items);
    if (keyword == "maxItems") return set_count(v, nodes_[at].max_items);
    if (keyword == "minimum") {
      if (!v.is_number_integer()) return false;
      nodes_[at].minimum = v;
      return true;
    }
    if (keyword == "pattern") return set_pattern(at, v);
    if (keyword == "uniqueItems") {
      if (!v.is_boolean()) return false;
      nodes_[at].unique_items = v.get<bool>();
      return true;
    }
    if (keyword == "if") return set_sub(at, &Node::if_, v);
    if (keyword == "then") return set_sub(at, &Node::then_, v);
    if (keyword == "else") return set_sub(at, &Node::else_, v);
    if (keyword == "oneOf") return set_one_of(at, v);
    return false;
  }

  bool set_types(int at, const json& v) {
    unsigned bits = 0;
    for (const json& name : v.is_array() ? v : json::array({v})) {
      auto b = type_bits(name);
      if (!b) return false;
      bits |= *b;
    }
    nodes_[at].types = bits;
    return bits != 0;
  }

  bool set_required(int at, const json& v) {
    if (!v.is_array()) return false;
    for (const json& name : v) {
      if (!name.is_string()) return false;
      nodes_[at].required.push_back(name.get<std::string>());
    }
    return true;
  }

  bool set_properties(int at, const json& v) {
    if (!v.is_object()) return false;
    std::vector<std::pair<std::string, int>> properties;
    for (const auto& [name, sub] : v.items()) properties.emplace_back(name, compile(sub));
    // Already sorted: nlohmann's object is a std::map.
    nodes_[at].properties = std::move(properties);
    return true;
  }

  bool set_sub(int at, int Node::*field, const json& v) {
    int sub = compile(v);
    nodes_[at].*field = sub;
    return true;
  }

  static bool set_count(const json& v, std::optional<std::size_t>& out) {
    if (!v.is_number_unsigned()) return false;
    out = v.get<std::size_t>();
    return true;
  }

  bool set_pattern(int at, const json& v) {
    if (!v.is_string()) return false;
    try {
      nodes_[at].pattern.emplace(v.get<std::string>());  // ECMAScript, as valijson
    } catch (const std::regex_error&) {
      return false;
    }
    return true;
  }

  bool set_one_of(int at, const json& v) {
    if (!v.is_array() || v.empty()) return false;
    std::vector<int> subs;
    for (const json& sub : v) subs.push_back(compile(sub));
    nodes_[at].one_of = std::move(subs);
    return true;
  }

  int fail() {
    ok_ = false;
    return kNone;
  }

  // Lets the object check count required members during its walk over the
  // properties instead of looking each one up.
  static void pair_required_with_properties(Node& n) {
    std::sort(n.required.begin(), n.required.end());
    n.required.erase(std::unique(n.required.begin(), n.required.end()), n.required.end());
    n.property_required.assign(n.properties.size(), false);
    for (const auto& name : n.required) {
      auto it = std::lower_bound(n.properties.begin(), n.properties.end(), name,
                                 [](const auto& p, const std::string& k) { return p.first < k; });
      if (it != n.properties.end() && it->first == name) {
        n.property_required[static_cast<std::size_t>(it - n.properties.begin())] = true;
        ++n.required_properties;
      } else {
        n.required_elsewhere.push_back(name);
      }
    }
  }

  const json& root_;
  std::vector<Node> nodes_;
  std::map<std::string, int> refs_;
  bool ok_ = true;
};

class Checker {
 public:
  explicit Checker(const std::vector<Node>& nodes) : nodes_(nodes) {}

  bool check(int at, const json& v) const {
    const Node& n = nodes_[at];
    if (n.reject_all) return false;
    if (n.ref != kNone) return check(n.ref, v);
    if ((type_of(v) & n.types) == 0) return false;
    if (n.has_allowed && !is_allowed(n, v)) return false;
    if (v.is_object() && !check_object(n, v)) return false;
    if (v.is_array() && !check_array(n, v)) return false;
    if (v.is_string() && n.pattern &&
        !std::regex_search(v.get_ref<const std::string&>(), *n.pattern))
      return false;
    if (n.minimum && v.is_number() && !at_least(v, *n.minimum)) return false;
    if (n.if_ != kNone) {
      int branch = check(n.if_, v) ? n.then_ : n.else_;
      if (branch != kNone && !check(branch, v)) return false;
    }
    if (!n.one_of.empty()) {
      int matched = 0;
      for (int sub : n.one_of) matched += check(sub, v) ? 1 : 0;
      if (matched != 1) return false;
    }
    return true;
  }

 private:
  static bool is_allowed(const Node& n, const json& v) {
    return std::any_of(n.allowed.begin(), n.allowed.end(),
                       [&](const json& a) { return same_value(a, v); });
  }

  // The schema's minimum is an integer (compile() takes no other).
  // valijson reads every integer as int64, so one above INT64_MAX wraps to
  // a negative number there; it is refused here rather than compared.
  static bool at_least(const json& v, const json& minimum) {
    if (v.is_number_float()) return v.get<double>() >= minimum.get<double>();
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
      return false;
    if (minimum.is_number_unsigned() &&
        minimum.get<std::uint64_t>() > std::uint64_t{std::numeric_limits<std::int64_t>::max()})
      return false;
    return v.get<std::int64_t>() >= minimum.get<std::int64_t>();
  }

  // Members and properties are both sorted by name, so one merge walk pairs
  // each member with its property schema and counts the required ones.
  bool check_object(const Node& n, const json& v) const {
    for (const auto& name : n.required_elsewhere)
      if (!v.contains(name)) return false;
    std::size_t required_seen = 0;
    auto property = n.properties.begin();
    for (auto member = v.begin(); member != v.end(); ++member) {
      const std::string& key = member.key();
      while (property != n.properties.end() && property->first < key) ++property;
      if (property != n.properties.end() && property->first == key) {
        if (!check(property->second, *member)) return false;
        if (n.property_required[static_cast<std::size_t>(property - n.properties.begin())])
          ++required_seen;
      } else if (n.no_additional) {
        return false;
      } else if (n.additional != kNone && !check(n.additional, *member)) {
        return false;
      }
    }
    return required_seen == n.required_properties;
  }

  bool check_array(const Node& n, const json& v) const {
    if (n.min_items && v.size() < *n.min_items) return false;
    if (n.max_items && v.size() > *n.max_items) return false;
    if (n.items != kNone)
      for (const json& element : v)
        if (!check(n.items, element)) return false;
    // nlohmann's == is looser than strong types (1 == 1.0), so a pair it
    // calls equal is a duplicate here: that can only reject.
    if (n.unique_items)
      for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size(); ++j)
          if (v[i] == v[j]) return false;
    return true;
  }

  const std::vector<Node>& nodes_;
};

}  // namespace

std::optional<SchemaChecker> SchemaChecker::compile(const json& schema) {
  auto nodes = Compiler(schema).run();
  if (!nodes) return std::nullopt;
  SchemaChecker checker;
  checker.nodes_ = std::make_shared<const std::vector<Node>>(std::move(*nodes));
  return checker;
}

bool SchemaChecker::accepts(const json& doc) const { return Checker(*nodes_).check(0, doc); }

}  // namespace proctor::plan
