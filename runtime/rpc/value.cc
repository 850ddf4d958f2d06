#include "runtime/rpc/value.h"

namespace proctor::rpc {

std::optional<bool> Value::as_bool() const {
  if (auto* b = std::get_if<bool>(&v)) return *b;
  return std::nullopt;
}

std::optional<int64_t> Value::as_int() const {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  return std::nullopt;
}

std::optional<double> Value::as_double() const {
  if (auto* d = std::get_if<double>(&v)) return *d;
  return std::nullopt;
}

const Value* Value::member(std::string_view name) const {
  const Struct* s = as_struct();
  if (!s) return nullptr;
  for (const auto& [key, value] : *s) {
    if (key == name) return &value;
  }
  return nullptr;
}

const char* kind_name(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNil: return "nil";
    case Value::Kind::kBool: return "boolean";
    case Value::Kind::kInt: return "int";
    case Value::Kind::kDouble: return "double";
    case Value::Kind::kString: return "string";
    case Value::Kind::kBytes: return "base64";
    case Value::Kind::kArray: return "array";
    case Value::Kind::kStruct: return "struct";
  }
  return "?";
}

}  // namespace proctor::rpc
