#include "compiler/lint/rule_helpers.h"

#include <algorithm>

namespace proctor::lint {

std::vector<SectionRef> known_sections(const syntax::IniStore& store) {
  std::vector<SectionRef> out;
  for (const auto& name : store.section_names())
    if (auto kind = model::classify_section(name)) out.push_back({name, *kind, store.section(name)});
  return out;
}

const syntax::StoredOption* option(const LintInput& in, std::string_view section,
                                   std::string_view key) {
  return in.store.get(section, key);
}

SourceRange option_range(const LintInput& in, std::string_view section, std::string_view key) {
  if (const auto* o = option(in, section, key)) return o->value_range.valid() ? o->value_range : o->key_range;
  if (const auto* s = in.store.section(section)) return s->header_range;
  return {};
}

std::string command_program(std::string_view command) {
  std::string word;
  std::size_t i = 0;
  while (i < command.size() && std::isspace(static_cast<unsigned char>(command[i]))) ++i;
  char quote = 0;
  for (; i < command.size(); ++i) {
    char c = command[i];
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      break;
    } else {
      word += c;
    }
  }
  return word;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), ::tolower);
  return out;
}

}  // namespace proctor::lint
