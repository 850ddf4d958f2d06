#pragma once
// The merged view configparser keeps after reading several files: sections
// in first-seen order, a repeated section merged into the first, a repeated
// key replacing the earlier value (but keeping its position), and the
// [DEFAULT] section supplying keys to every other section.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/syntax/ini_parser.h"

namespace proctor::syntax {

struct StoredOption {
  std::string key;
  std::string value;
  SourceRange key_range;
  SourceRange value_range;
  /// Earlier definitions this one replaced (same section, any file), oldest
  /// first; lint uses them to show both locations of a duplicate.
  std::vector<SourceRange> overridden;
};

struct StoredSection {
  std::string name;
  SourceRange header_range;           ///< first header occurrence
  std::vector<SourceRange> reopened;  ///< later headers merged into this one
  FileId first_file = kNoFile;        ///< file whose header created it
  std::vector<StoredOption> options;  ///< first-seen key order
};

class IniStore {
 public:
  /// Merges one parsed file, in configparser's order.
  void merge(const IniFile& file);

  /// Section names in first-seen order, without "DEFAULT".
  std::vector<std::string> section_names() const;
  /// False for "DEFAULT", as in Python.
  bool has_section(std::string_view name) const;
  /// nullptr for an unknown name and for "DEFAULT" (see defaults()). Through
  /// the mutable overload change values only: keys and their order are
  /// indexed by the store.
  const StoredSection* section(std::string_view name) const;
  StoredSection* section(std::string_view name);

  /// The option as `parser.get(section, key)` would see it: the section's
  /// own value, else the [DEFAULT] value, else nullptr (also for an unknown
  /// section). `key` goes through optionxform (py_lower) first, and
  /// `section` may be "DEFAULT".
  const StoredOption* get(std::string_view section, std::string_view key) const;
  /// The same for a section section() returned, without finding it again
  /// (a reader asks one section for dozens of keys).
  const StoredOption* get(const StoredSection& section, std::string_view key) const;

  /// Every key visible in `section` (its own, then DEFAULT's), the way
  /// `parser.items(section)` lists them: DEFAULT's keys in DEFAULT's order
  /// (the section's own option where it has one), then the section's other
  /// keys in its order. Empty for an unknown section.
  std::vector<const StoredOption*> items(std::string_view section) const;

  /// Sets `section.key` to `value`, as RawConfigParser.set does (used for
  /// the %(here)s substitution after each include). If the key only came
  /// from [DEFAULT], the section gets its own copy with DEFAULT's location.
  /// An existing own option keeps its locations. `section` may be "DEFAULT";
  /// an unknown section is left alone (Python raises NoSectionError).
  void set(std::string_view section, const StoredOption& from, std::string value);

  const StoredSection& defaults() const { return defaults_; }

 private:
  /// Looks names up by string_view, without building a std::string.
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using NameIndex = std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>>;
  /// Key -> index into a section's options, so huge sections merge in
  /// linear time.
  using KeyIndex = NameIndex;

  void merge_section(const IniSection& from, FileId file);
  static void merge_option(StoredSection& into, KeyIndex& keys, const IniOption& opt);
  static const StoredOption* find_key(const StoredSection& s, const KeyIndex& keys,
                                      std::string_view key);
  std::ptrdiff_t find_section(std::string_view name) const;

  StoredSection defaults_{"DEFAULT", {}, {}, kNoFile, {}};
  KeyIndex default_keys_;
  std::vector<StoredSection> sections_;
  std::vector<KeyIndex> section_keys_;  ///< parallel to sections_
  NameIndex by_name_;
};

}  // namespace proctor::syntax
