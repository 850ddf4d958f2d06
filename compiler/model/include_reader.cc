#include "compiler/model/include_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

#include "compiler/base/parallel_for.h"
#include "compiler/model/paths.h"

namespace proctor::model {

namespace {

// RawConfigParser.set for every value holding the literal "%(here)s", in
// every section read so far (UnhosedConfigParser.expand_here).
// UnhosedConfigParser.expand_here after reading `file`: every value holding
// the literal "%(here)s" gets that file's directory. Sections the file did
// not touch were expanded after earlier files and hold no "%(here)s" any
// more, unless this file's [DEFAULT] brings new ones to every section.
void expand_here(syntax::IniStore& store, const std::string& here, const syntax::IniFile& file) {
  static constexpr std::string_view kHere = "%(here)s";
  bool defaults_changed = false;
  std::vector<std::string> touched;
  for (const auto& sec : file.sections) {
    if (sec.name == "DEFAULT") {
      for (const auto& o : sec.options) defaults_changed |= o.value.find(kHere) != std::string::npos;
    } else {
      touched.push_back(sec.name);
    }
  }
  const std::vector<std::string> names = defaults_changed ? store.section_names() : touched;
  std::set<std::string> done;
  for (const auto& name : names) {
    if (!done.insert(name).second || !store.has_section(name)) continue;
    // Copies first: store.set() may append to the very option list that
    // items() points into.
    std::vector<syntax::StoredOption> hits;
    for (const auto* o : store.items(name))
      if (o->value.find(kHere) != std::string::npos) hits.push_back(*o);
    for (auto& o : hits) {
      std::string v = o.value;
      for (std::size_t pos = 0; (pos = v.find(kHere, pos)) != std::string::npos; pos += here.size())
        v.replace(pos, kHere.size(), here);
      store.set(name, o, std::move(v));
    }
  }
}

bool is_ascii_space(char c) {
  return static_cast<unsigned char>(c) < 0x80 && py_isspace(static_cast<unsigned char>(c));
}

// str.split(): runs of whitespace separate, none at the ends.
std::vector<std::string> split_whitespace(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    std::size_t j = i;
    while (j < s.size() && !is_ascii_space(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// Points at the pattern inside the files= value when it is written there
// literally on the first line; otherwise at the whole value.
SourceRange pattern_range(const syntax::StoredOption& files, const std::string& pattern) {
  SourceRange r = files.value_range;
  std::size_t first_line = files.value.find('\n');
  std::size_t at = files.value.find(pattern);
  if (at == std::string::npos || at + pattern.size() > first_line || at + pattern.size() > r.length) return r;
  r.begin.column += static_cast<std::uint32_t>(at);
  r.length = static_cast<std::uint32_t>(pattern.size());
  return r;
}

std::optional<syntax::IniFile> parse_file(CompileContext& ctx, SourceManager& sm,
                                          const std::string& name, std::string text) {
  FileId id = sm.add(name, std::move(text));
  syntax::IniFile file = syntax::parse_ini(sm, id, ctx.sink);
  if (file.failed) return std::nullopt;
  ctx.store.merge(file);
  return file;
}

// The files one include pattern matched, parsed on every core: each into
// a sink of its own, merged in order, so diagnostics come as from a loop.
std::vector<syntax::IniFile> parse_files(CompileContext& ctx, const SourceManager& sm,
                                         const std::vector<FileId>& ids) {
  std::vector<syntax::IniFile> parsed(ids.size());
  std::vector<DiagSink> sinks(ids.size());
  parallel_for(ids.size(), ctx.threads,
               [&](std::size_t i) { parsed[i] = syntax::parse_ini(sm, ids[i], sinks[i]); });
  for (auto& sink : sinks) ctx.sink.merge(std::move(sink));
  return parsed;
}

void read_includes(CompileContext& ctx, SourceManager& sm, ReadFiles& out) {
  // A copy: reading included files merges into the store (an included
  // [include] section too), which may move the option this came from.
  const auto* stored = ctx.store.get("include", "files");
  std::optional<syntax::StoredOption> files_copy;
  if (stored) files_copy = *stored;
  const syntax::StoredOption* files = files_copy ? &*files_copy : nullptr;
  if (!files) {
    const auto* sec = ctx.store.section("include");
    ctx.sink.report(DiagCode::P1005, sec->header_range, "[include] has no files= option")
        .help = "add files = conf.d/*.conf (patterns are relative to this file's directory)";
    out.ok = false;
    return;
  }
  FormatMapping names = ctx.environ;
  names.set("here", ctx.here);
  names.set("host_node_name", ctx.hostname);
  auto expanded = ctx.expand(files->value, names, "include.files", files->value_range);
  if (!expanded) {
    out.ok = false;
    return;
  }
  for (const auto& raw : split_whitespace(*expanded)) {
    std::string pattern = join_path(ctx.here, raw);
    std::vector<std::string> matches = ctx.host.glob(pattern);
    if (matches.empty()) {
      ctx.parse_warnings.push_back(fmt::format("No file matches via include \"{}\"", pattern));
      ctx.sink.report(DiagCode::P1101, pattern_range(*files, raw),
                      fmt::format("include pattern '{}' matches no file", pattern));
      continue;
    }
    std::sort(matches.begin(), matches.end());
    std::vector<FileId> read;
    for (const auto& path : matches) {
      out.parse_infos.push_back(fmt::format("Included extra file \"{}\" during parsing", path));
      ReadResult r = ctx.host.read_file(path);
      if (!r.ok) continue;  // Supervisor skips unreadable matches silently
      out.includes.push_back(path);
      out.files.push_back({path, false, raw});
      read.push_back(sm.add(path, std::move(r.text)));
    }
    std::vector<syntax::IniFile> parsed = parse_files(ctx, sm, read);
    for (std::size_t i = 0; i < read.size(); ++i) {
      if (parsed[i].failed) {
        out.ok = false;
        continue;
      }
      ctx.store.merge(parsed[i]);
      expand_here(ctx.store, absolute_normalized(dirname(sm.name(read[i])), ctx.cwd), parsed[i]);
    }
  }
}

}  // namespace

ReadFiles read_config_files(CompileContext& ctx, SourceManager& sm) {
  ReadFiles out;
  if (!ctx.host.exists(ctx.configfile)) {
    ctx.sink.report(DiagCode::P1001, {}, fmt::format("could not find config file {}", ctx.configfile));
    out.io_error = true;
    return out;
  }
  ReadResult main = ctx.host.read_file(ctx.configfile);
  if (!main.ok) {
    ctx.sink.report(DiagCode::P1001, {},
                    fmt::format("could not read config file {}: {}", ctx.configfile, main.error));
    out.io_error = true;
    return out;
  }
  out.files.push_back({ctx.configfile, true, std::nullopt});
  auto main_file = parse_file(ctx, sm, ctx.configfile, std::move(main.text));
  if (!main_file) return out;
  out.main_only = ctx.store;
  out.ok = true;
  if (ctx.store.has_section("include")) {
    expand_here(ctx.store, ctx.here, *main_file);
    read_includes(ctx, sm, out);
  }
  return out;
}

}  // namespace proctor::model
