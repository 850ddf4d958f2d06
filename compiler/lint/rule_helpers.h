#pragma once
// Small queries lint rules share: sections by kind, options with their
// locations, and the section a process came from.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lint/rule.h"
#include "compiler/model/option_specs.h"

namespace proctor::lint {

struct SectionRef {
  std::string name;
  model::SectionKind kind;
  const syntax::StoredSection* stored;
};

/// Every section Supervisor recognises, with its kind, in file order.
std::vector<SectionRef> known_sections(const syntax::IniStore& store);

/// The option as Supervisor reads it (own value, else [DEFAULT]).
const syntax::StoredOption* option(const LintInput& in, std::string_view section,
                                   std::string_view key);

/// Where to point at an option, else at its section header.
SourceRange option_range(const LintInput& in, std::string_view section, std::string_view key);

/// The first word of a command, the way Supervisor splits it (shlex, POSIX).
std::string command_program(std::string_view command);

/// Lower-cased copy.
std::string lower(std::string_view s);

}  // namespace proctor::lint
