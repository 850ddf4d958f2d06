#pragma once
// A value or the reason there is none. The reason is a sentence fragment
// that says what was expected and what was found; callers add the location.

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace proctor {

template <class T>
class Expected {
 public:
  Expected(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  static Expected failure(std::string why) {
    Expected e;
    e.error_ = std::move(why);
    return e;
  }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& value() const { assert(ok()); return *value_; }
  T& value() { assert(ok()); return *value_; }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }
  const std::string& error() const { return error_; }
  T value_or(T fallback) const { return ok() ? *value_ : std::move(fallback); }

 private:
  Expected() = default;
  std::optional<T> value_;
  std::string error_;
};

}  // namespace proctor
