#include "compiler/plan/group_hash.h"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "compiler/plan/plan_printer.h"

namespace proctor::plan {

namespace {

using nlohmann::json;

class Fnv1a {
 public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      h_ ^= c;
      h_ *= 1099511628211ull;
    }
  }
  void add(char c) { add(std::string_view(&c, 1)); }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 1469598103934665603ull;
};

// Text that needs escaping (or a UTF-8 check) is left to json::dump. Bytes
// that are not UTF-8 (an environment variable can hold any) are hashed as
// U+FFFD, as the plan prints them, rather than aborting the compile.
void add_string(Fnv1a& h, const std::string& s) {
  if (!dumps_verbatim(s)) {
    h.add(json(s).dump(-1, ' ', false, json::error_handler_t::replace));
    return;
  }
  h.add('"');
  h.add(s);
  h.add('"');
}

// Feeds exactly the bytes value.dump() would print.
void add_value(Fnv1a& h, const json& value) {
  switch (value.type()) {
    case json::value_t::object: {
      h.add('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) h.add(',');
        first = false;
        add_string(h, key);
        h.add(':');
        add_value(h, member);
      }
      h.add('}');
      return;
    }
    case json::value_t::array: {
      h.add('[');
      bool first = true;
      for (const json& element : value) {
        if (!first) h.add(',');
        first = false;
        add_value(h, element);
      }
      h.add(']');
      return;
    }
    case json::value_t::string: add_string(h, value.get_ref<const std::string&>()); return;
    case json::value_t::boolean: h.add(value.get<bool>() ? "true" : "false"); return;
    case json::value_t::null: h.add("null"); return;
    case json::value_t::number_integer:
      h.add(fmt::format_int(value.get<std::int64_t>()).str());
      return;
    case json::value_t::number_unsigned:
      h.add(fmt::format_int(value.get<std::uint64_t>()).str());
      return;
    default: h.add(value.dump()); return;  // floats, binary: not in plans
  }
}

}  // namespace

std::string settings_hash(const json& settings) {
  Fnv1a h;
  add_value(h, settings);
  return fmt::format("{:016x}", h.value());
}

std::string group_hash(const json& group) {
  json copy = group;
  copy.erase("hash");
  copy.erase("source");
  for (auto& p : copy["processes"]) p.erase("source");
  return settings_hash(copy);
}

}  // namespace proctor::plan
