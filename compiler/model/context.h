#pragma once
// State shared by the section readers while one config is compiled: the
// merged INI store, the host, the diagnostics sink, and the expansion names
// Supervisor makes available (ENV_* grows as [supervisord] environment is
// read, exactly as options.environ_expansions does).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "compiler/base/diagnostic.h"
#include "compiler/model/host.h"
#include "compiler/model/option_specs.h"
#include "compiler/model/py_format.h"
#include "compiler/syntax/ini_store.h"

namespace proctor::model {

struct CompileContext {
  const Host& host;
  const SourceManager& sm;
  DiagSink& sink;
  /// Owned by the caller: section readers working in parallel share it
  /// (read-only) while each has a context of its own.
  syntax::IniStore& store;
  std::string configfile;  ///< as given
  std::string here;        ///< absolute directory of the main config
  std::string cwd;
  std::string hostname;
  FormatMapping environ;  ///< ENV_* names, in os.environ order
  std::set<std::string> env_used;
  std::vector<std::string> parse_warnings;
  unsigned threads = 0;  ///< for read_sections_in_parallel; 0: one per core

  /// Expands `text` as Python's `text % mapping` would, reporting an
  /// unknown name or a malformed format at `range` for option `where`
  /// ("program:web.command"; Supervisor's own label, kept for its message).
  /// `section` names the section in our message when `where` lacks it
  /// (Supervisor labels some expansions just "environment"). nullopt after
  /// an error.
  std::optional<std::string> expand(std::string_view text, const FormatMapping& mapping,
                                    std::string_view where, SourceRange range,
                                    std::string_view section = {});
};

/// Reads one section's options the way Supervisor's `saneget` does: the
/// section's own value, else [DEFAULT]'s, else a default from the option
/// table, then %-expanded over ENV_* plus the names the caller passes.
class SectionReader {
 public:
  SectionReader(CompileContext& ctx, std::string section, SectionKind kind);

  const std::string& section() const { return section_; }
  const syntax::StoredOption* raw(std::string_view key) const;
  /// Where a diagnostic about `key` should point: its value, else the header.
  SourceRange where(std::string_view key) const;

  /// The expanded value, the expanded table default, or nullopt when the
  /// option is absent and has no default. `ok()` turns false on errors.
  std::optional<std::string> get(std::string_view key, const FormatMapping& names);
  /// Like get() but with an explicit default instead of the table's.
  std::optional<std::string> get_or(std::string_view key, std::optional<std::string_view> dflt,
                                    const FormatMapping& names);
  /// The value without expansion (do_expand=False), or the table default.
  std::optional<std::string> get_unexpanded(std::string_view key);

  /// get() then a conversion; reports "[section] key: why" on failure.
  template <class T, class Conv>
  std::optional<T> typed(std::string_view key, const FormatMapping& names, Conv conv,
                         DiagCode code) {
    return convert<T>(key, get(key, names), conv, code);
  }
  template <class T, class Conv>
  std::optional<T> convert(std::string_view key, const std::optional<std::string>& text, Conv conv,
                           DiagCode code) {
    if (!text) return std::nullopt;
    auto r = conv(*text);
    if (!r) {
      auto& d = fail(code, key, r.error());
      if (code == DiagCode::P2014)
        d.help = "separate pairs with commas (KEY1=a,KEY2=b) and quote values holding commas or spaces";
      return std::nullopt;
    }
    return *r;
  }

  /// Reports an error about `key` in this section and marks the reader failed.
  Diagnostic& fail(DiagCode code, std::string_view key, std::string_view why);
  bool ok() const { return ok_; }
  /// For errors already reported elsewhere (e.g. by CompileContext::expand).
  void mark_failed() { ok_ = false; }
  SourceRange header() const { return stored_ ? stored_->header_range : SourceRange{}; }
  CompileContext& ctx() { return ctx_; }

 private:
  std::optional<std::string> expand_value(std::string_view key, std::string text,
                                          const FormatMapping& names);

  CompileContext& ctx_;
  std::string section_;
  SectionKind kind_;
  const syntax::StoredSection* stored_;
  bool ok_ = true;
};

/// ENV_* names followed by `names`, the order saneget builds its mapping in.
/// Borrows both (see FormatMapping::layered).
FormatMapping with_environ(const FormatMapping& environ, const FormatMapping& names);

}  // namespace proctor::model
