#pragma once
// Every section type and option Supervisor 4.2.5 knows, declared once: the
// readers take defaults from here, lint takes the known-key lists and docs
// from here, so a new option is one table row.

#include <optional>
#include <string_view>
#include <vector>

namespace proctor::model {

enum class SectionKind {
  kSupervisord,
  kProgram,
  kFcgiProgram,
  kEventListener,
  kGroup,
  kUnixHttpServer,
  kInetHttpServer,
  kSupervisorctl,
  kInclude,
  kRpcInterface,
  kCtlPlugin,
};

enum class ValueKind {
  kString,
  kInteger,
  kBoolean,
  kAutorestart,
  kByteSize,
  kOctal,
  kSignal,
  kExitcodes,
  kLoglevel,
  kEnvironment,
  kUser,
  kUserGroup,
  kLogfile,
  kExistingDirectory,
  kFilePath,
  kName,
  kNameList,
  kEventList,
  kFcgiSocket,
  kPort,
  kFactory,
  kGlobList,
};

struct OptionSpec {
  std::string_view name;
  ValueKind kind;
  /// Supervisor's default as the text it would parse; nullopt when the
  /// option has no default (absent means "unset" or is an error).
  std::optional<std::string_view> default_text;
  std::string_view doc;
  bool proctor_extension = false;  ///< not read by Supervisor (depends_on)
};

struct SectionSpec {
  SectionKind kind;
  std::string_view prefix;  ///< "program:" or exact name "supervisord"
  bool named;               ///< true when the header is "prefix:name"
  std::string_view doc;
  std::vector<OptionSpec> options;
};

const std::vector<SectionSpec>& section_specs();
const SectionSpec& section_spec(SectionKind kind);
const OptionSpec* find_option(SectionKind kind, std::string_view name);
/// The default text of an option that has one (asserts it exists).
std::string_view option_default(SectionKind kind, std::string_view name);
/// Which section type a header names, the way Supervisor dispatches on it
/// (startswith for "program:", "inet_http_server", ...), or nullopt.
std::optional<SectionKind> classify_section(std::string_view header);

}  // namespace proctor::model
