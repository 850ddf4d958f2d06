// Helpers the structure rules share: own vs. inherited options, columns
// inside values, log channels and the programs= list.

#include <algorithm>

#include "compiler/lint/rules/structure_rules.h"
#include "compiler/model/value_types.h"

namespace proctor::lint {

bool is_process_kind(model::SectionKind kind) {
  using K = model::SectionKind;
  return kind == K::kProgram || kind == K::kFcgiProgram || kind == K::kEventListener;
}

// The %(here)s substitution gives a section its own copy of a [DEFAULT]
// key, keeping DEFAULT's location (IniStore::set).
bool is_default_copy(const syntax::IniStore& store, const syntax::StoredOption& o) {
  const syntax::StoredOption* d = store.get("DEFAULT", o.key);
  if (!d) return false;
  if (d->key_range == o.key_range) return true;
  return std::find(d->overridden.begin(), d->overridden.end(), o.key_range) != d->overridden.end();
}

const syntax::StoredOption* own_option(const LintInput& in, std::string_view section,
                                       std::string_view key) {
  const syntax::StoredSection* s = in.store.section(section);
  const syntax::StoredOption* o = in.store.get(section, key);
  if (!s || !o || s->options.empty()) return nullptr;
  // get() returns the section's own option or DEFAULT's; tell them apart by
  // address rather than by searching the section again.
  const syntax::StoredOption* first = s->options.data();
  if (o < first || o >= first + s->options.size()) return nullptr;
  return is_default_copy(in.store, *o) ? nullptr : o;
}

bool verbatim_value(const LintInput& in, const syntax::StoredOption& o) {
  const SourceRange& r = o.value_range;
  if (!r.valid() || o.value.empty() || o.value.find('\n') != std::string::npos) return false;
  std::string_view line = in.sm.line_text(r.begin.file, r.begin.line);
  std::size_t start = r.begin.column - 1;
  return start <= line.size() && line.substr(start, o.value.size()) == o.value;
}

SourceRange value_sub_range(const LintInput& in, const syntax::StoredOption& o,
                            std::size_t offset, std::size_t length) {
  return value_sub_range(o, verbatim_value(in, o), offset, length);
}

SourceRange value_sub_range(const syntax::StoredOption& o, bool verbatim, std::size_t offset,
                            std::size_t length) {
  if (!verbatim || offset >= o.value.size()) return o.value_range.valid() ? o.value_range : o.key_range;
  SourceRange r = o.value_range;
  r.begin.column += static_cast<std::uint32_t>(offset);
  r.length = static_cast<std::uint32_t>(std::min(length, o.value.size() - offset));
  return r;
}

std::vector<LogSite> path_log_sites(const model::Config& config) {
  std::vector<LogSite> out;
  for (const auto& g : config.groups)
    for (const auto& p : g.processes) {
      if (p.stdout_log.kind == model::LogChannel::Kind::kPath) out.push_back({&p, &p.stdout_log, "stdout_logfile"});
      if (p.stderr_log.kind == model::LogChannel::Kind::kPath) out.push_back({&p, &p.stderr_log, "stderr_logfile"});
    }
  return out;
}

bool is_std_stream(std::string_view path) {
  static constexpr std::string_view kStreams[] = {"/dev/stdout",     "/dev/stderr", "/proc/self/fd/1",
                                                  "/proc/self/fd/2", "/dev/fd/1",   "/dev/fd/2"};
  return std::find(std::begin(kStreams), std::end(kStreams), path) != std::end(kStreams);
}

bool is_special_file(std::string_view path) {
  return path.starts_with("/dev/") || path.starts_with("/proc/");
}

std::string shorten(std::string_view s, std::size_t max) {
  std::string out;
  for (char c : s.substr(0, max)) out += (c == '\n' || c == '\r') ? ' ' : c;
  if (s.size() > max) out += "...";
  return out;
}

std::vector<ListedName> listed_programs(std::string_view value) {
  std::vector<ListedName> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = std::min(value.find(',', start), value.size());
    std::string_view item = value.substr(start, comma - start);
    std::string_view name = model::py_strip(item);
    if (!name.empty()) out.push_back({std::string(name), start + static_cast<std::size_t>(name.data() - item.data())});
    start = comma + 1;
  }
  return out;
}

}  // namespace proctor::lint
