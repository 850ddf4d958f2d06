#pragma once
// A faster printer for the plan's canonical text (json::dump with a 2-space
// indent, ASCII only, invalid UTF-8 replaced). Plans are mostly objects of
// plain ASCII strings, integers and booleans; those are printed here, and
// any string that needs escaping or any other value is handed to
// json::dump, so the text stays byte for byte nlohmann's.

#include <string>

#include <nlohmann/json.hpp>

namespace proctor::plan {

/// Appends what dump_plan_value(value) returns, as it appears nested
/// `indent` spaces deep in a larger document (every line after the first
/// starts `indent` spaces further right; the first line is not indented).
void append_plan_value(std::string& out, const nlohmann::json& value, unsigned indent);

/// True when json::dump copies `text` unchanged between its quotes:
/// printable ASCII other than '"' and '\'.
bool dumps_verbatim(std::string_view text);

}  // namespace proctor::plan
