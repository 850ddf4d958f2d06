#pragma once
// Reads one file of Supervisor's INI dialect: Python 3.11's
// configparser.RawConfigParser with inline_comment_prefixes=(';', '#') and
// strict=False. This layer knows nothing about Supervisor's sections; it
// only turns text into located sections and options, exactly as Python
// would split them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/diagnostic.h"
#include "compiler/base/source.h"

namespace proctor::syntax {

/// One `key = value` occurrence. `value` is the joined value as configparser
/// produces it: the first line's text, then each continuation line appended
/// with "\n", blank lines inside kept, trailing whitespace removed.
struct IniOption {
  std::string key;          ///< stripped on the right and lower-cased
  std::string value;
  SourceRange key_range;    ///< the key as written on its line
  SourceRange value_range;  ///< first line of the value (length 0 if empty)
  /// Last line whose text is in the value (blank lines that the final
  /// rstrip removes do not count).
  std::uint32_t last_line = 0;
};

/// One `[header]` occurrence and the options that followed it in this file.
struct IniSection {
  std::string name;         ///< text between '[' and the last ']'
  SourceRange header_range; ///< the whole "[...]" text
  std::vector<IniOption> options;  ///< in file order; duplicates kept
};

struct IniFile {
  FileId file = kNoFile;
  std::vector<IniSection> sections;  ///< in file order; "DEFAULT" included
  /// True when Python would refuse the file (no header before the first
  /// option, a line that is not an option, invalid UTF-8). Diagnostics for
  /// every such line are in the sink.
  bool failed = false;
};

/// Parses `sm.text(file)`. Problems go to `sink` with codes P1002 (text
/// before the first header: Python stops reading the file there), P1003
/// (a line with no '='/':' or an empty key: every such line is reported)
/// and P1004 (invalid UTF-8, reported once at the first bad byte).
IniFile parse_ini(const SourceManager& sm, FileId file, DiagSink& sink);

/// Python's str.lower() of valid UTF-8 text: configparser's optionxform,
/// applied to every key (full Unicode case mapping, e.g. "\u00c4" -> "\u00e4",
/// "\u0130" -> "i\u0307"). One deviation: Python's Final_Sigma rule (a
/// word-final capital sigma becomes "\u03c2") is not applied; it always
/// becomes "\u03c3". Bytes that are not UTF-8 are copied unchanged.
std::string py_lower(std::string_view text);

}  // namespace proctor::syntax
