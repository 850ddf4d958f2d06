#pragma once
// An XML-RPC value: the data model of Python's xmlrpc.client, which is what
// Supervisor's rpcinterface speaks. Structs keep their members in insertion
// order because Python dicts do, and rendered responses should match
// Supervisor's byte for byte.

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace proctor::rpc {

struct Value;
using Array = std::vector<Value>;
using Member = std::pair<std::string, Value>;
using Struct = std::vector<Member>;

/// Binary data, rendered as <base64> (Python's bytes / xmlrpc.client.Binary).
struct Bytes {
  std::string data;
  bool operator==(const Bytes&) const = default;
};

struct Value {
  enum class Kind { kNil, kBool, kInt, kDouble, kString, kBytes, kArray, kStruct };
  using Storage = std::variant<std::monostate, bool, int64_t, double, std::string,
                               Bytes, Array, Struct>;

  Value() = default;  ///< nil
  Value(bool b) : v(b) {}
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Value(T i) : v(int64_t(i)) {}
  Value(double d) : v(d) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(std::string_view s) : v(std::string(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(Bytes b) : v(std::move(b)) {}
  Value(Array a) : v(std::move(a)) {}
  Value(Struct s) : v(std::move(s)) {}

  static Value nil() { return Value(); }
  static Value array(std::initializer_list<Value> items) { return Array(items); }
  static Value structure(std::initializer_list<Member> members) {
    return Struct(members);
  }

  Kind kind() const { return Kind(v.index()); }
  bool is_nil() const { return kind() == Kind::kNil; }

  /// Typed access: nullptr / nullopt when the value holds another type, so
  /// callers can turn a mismatch into an INCORRECT_PARAMETERS fault.
  std::optional<bool> as_bool() const;
  std::optional<int64_t> as_int() const;
  std::optional<double> as_double() const;
  const std::string* as_string() const { return std::get_if<std::string>(&v); }
  const Bytes* as_bytes() const { return std::get_if<Bytes>(&v); }
  const Array* as_array() const { return std::get_if<Array>(&v); }
  const Struct* as_struct() const { return std::get_if<Struct>(&v); }
  /// The first member called `name` of a struct; nullptr if absent or not a struct.
  const Value* member(std::string_view name) const;

  bool operator==(const Value&) const = default;

  Storage v;
};

/// "nil", "boolean", "int", ...: the XML-RPC element names, for messages.
const char* kind_name(Value::Kind kind);

}  // namespace proctor::rpc
