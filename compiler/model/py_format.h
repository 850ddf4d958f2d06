#pragma once
// Python's `format % mapping` for the subset Supervisor relies on in
// options.expand(): %(name)<flags><width>.<prec><conv>, %% and the quirk
// that a bare %s formats the whole mapping (its repr, in insertion order).

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace proctor::model {

using FormatValue = std::variant<std::string, std::int64_t>;

struct FormatArg {
  std::string name;
  FormatValue value;
};

/// Names in Python dict insertion order; a later duplicate name replaces
/// the value of the earlier one but keeps its position.
class FormatMapping {
 public:
  FormatMapping() = default;
  /// `below` updated with `above` (Python: d = dict(below); d.update(above)),
  /// without copying either: both are borrowed and must outlive the result
  /// and every copy of it. Names set() on the result go on top of both.
  static FormatMapping layered(const FormatMapping& below, const FormatMapping& above);

  void set(std::string name, FormatValue value);
  const FormatValue* find(std::string_view name) const;
  /// Every name with its value, in the dict's order.
  std::vector<FormatArg> args() const;
  /// The names sorted the way Python sorts strings (code point order).
  std::vector<std::string> sorted_names() const;

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  void update_into(std::vector<FormatArg>& out,
                   std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>& at) const;

  const FormatMapping* below_ = nullptr;
  const FormatMapping* above_ = nullptr;
  std::vector<FormatArg> args_;
  /// name -> position in args_
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> index_;
};

struct FormatError {
  enum class Kind { kUnknownName, kBadFormat };
  Kind kind;
  std::string name;     ///< the unknown name, for kUnknownName
  std::string message;  ///< Python's message, e.g. "incomplete format"
  std::size_t offset;   ///< byte offset in the format string of the '%'
};

/// `fmt % mapping`; a string on success. One deliberate difference: padding
/// a width or precision past 2^20 (which Python would do, memory allowing)
/// fails with "width too big" / "precision too big".
std::variant<std::string, FormatError> py_format(std::string_view fmt, const FormatMapping& mapping);

/// Python's repr() of a str (single quotes unless the text has ' and no ").
std::string py_repr(std::string_view s);

}  // namespace proctor::model
