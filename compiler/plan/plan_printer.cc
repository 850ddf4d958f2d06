#include "compiler/plan/plan_printer.h"

#include <fmt/format.h>

#include <array>
#include <cstdint>

namespace proctor::plan {

namespace {

using nlohmann::json;

constexpr unsigned kIndentStep = 2;

void append_string(std::string& out, const std::string& text) {
  if (!dumps_verbatim(text)) {
    out += json(text).dump(-1, ' ', true, json::error_handler_t::replace);
    return;
  }
  out += '"';
  out += text;
  out += '"';
}

// A line break and the next line's indentation, in one append for the
// usual depths (a plan nests six deep at most).
void newline(std::string& out, unsigned indent) {
  static const std::string kBreak = "\n" + std::string(32, ' ');
  if (indent < kBreak.size()) {
    out.append(kBreak, 0, indent + 1);
    return;
  }
  out += '\n';
  out.append(indent, ' ');
}

template <class Int>
void append_int(std::string& out, Int value) {
  fmt::format_int text(value);
  out.append(text.data(), text.size());
}

}  // namespace

bool dumps_verbatim(std::string_view text) {
  // One table lookup per byte: this runs over every string of the plan,
  // twice (hash and print).
  static constexpr auto kVerbatim = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c <= 0x7e; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return t;
  }();
  for (char c : text)
    if (!kVerbatim[static_cast<unsigned char>(c)]) return false;
  return true;
}

// The layout of nlohmann's serializer with pretty printing: an empty
// container stays on one line; otherwise each member on its own line one
// step in, separated by ",", and the closing bracket back on the
// container's own indentation.
void append_plan_value(std::string& out, const json& value, unsigned indent) {
  switch (value.type()) {
    case json::value_t::object: {
      if (value.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        newline(out, indent + kIndentStep);
        append_string(out, key);
        out += ": ";
        append_plan_value(out, member, indent + kIndentStep);
      }
      newline(out, indent);
      out += '}';
      return;
    }
    case json::value_t::array: {
      if (value.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      bool first = true;
      for (const json& element : value) {
        if (!first) out += ',';
        first = false;
        newline(out, indent + kIndentStep);
        append_plan_value(out, element, indent + kIndentStep);
      }
      newline(out, indent);
      out += ']';
      return;
    }
    case json::value_t::string: append_string(out, value.get_ref<const std::string&>()); return;
    case json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case json::value_t::null: out += "null"; return;
    case json::value_t::number_integer: append_int(out, value.get<std::int64_t>()); return;
    case json::value_t::number_unsigned: append_int(out, value.get<std::uint64_t>()); return;
    default: out += value.dump(-1, ' ', true, json::error_handler_t::replace); return;
  }
}

}  // namespace proctor::plan
