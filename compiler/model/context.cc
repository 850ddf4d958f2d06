#include "compiler/model/context.h"

#include <fmt/format.h>

#include "compiler/base/edit_distance.h"

namespace proctor::model {

namespace {

// Records every %(ENV_X) a value mentions, found or not, so the plan can
// list the variables a config depends on.
void note_env_names(std::string_view text, std::set<std::string>& out) {
  std::size_t pos = 0;
  while ((pos = text.find("%(ENV_", pos)) != std::string_view::npos) {
    std::size_t close = text.find(')', pos);
    if (close == std::string_view::npos) return;
    out.insert(std::string(text.substr(pos + 6, close - pos - 6)));
    pos = close;
  }
}

// The "%(name)d" the user wrote, for messages: from the '%' through the
// conversion character.
std::string spec_at(std::string_view text, std::size_t offset) {
  std::size_t close = text.find(')', offset);
  if (offset >= text.size() || close == std::string_view::npos) return std::string(text.substr(offset, 2));
  std::size_t end = close + 1;
  while (end < text.size() && std::string_view("#0- +.*0123456789hlL").find(text[end]) != std::string_view::npos) ++end;
  return std::string(text.substr(offset, std::min(end + 1, text.size()) - offset));
}

SourceRange point_into(SourceRange value, std::size_t offset) {
  if (!value.valid() || offset >= value.length) return value;
  SourceRange r = value;
  r.begin.column += static_cast<std::uint32_t>(offset);
  r.length = static_cast<std::uint32_t>(value.length - offset);
  return r;
}

}  // namespace

std::optional<std::string> CompileContext::expand(std::string_view text,
                                                  const FormatMapping& mapping,
                                                  std::string_view where, SourceRange range,
                                                  std::string_view section) {
  note_env_names(text, env_used);
  if (text.find('%') == std::string_view::npos) return std::string(text);
  auto result = py_format(text, mapping);
  if (auto* s = std::get_if<std::string>(&result)) return std::move(*s);
  const auto& err = std::get<FormatError>(result);
  SourceRange at = point_into(range, err.offset);
  std::string label = section.empty() ? std::string(where) : fmt::format("[{}] {}", section, where);
  if (err.kind == FormatError::Kind::kUnknownName) {
    std::vector<std::string> names = mapping.sorted_names();
    std::vector<std::string_view> views(names.begin(), names.end());
    bool env = err.name.starts_with("ENV_");
    auto& d = sink.report(env ? DiagCode::P2037 : DiagCode::P2002, at,
                          env ? fmt::format("'{}' uses {}, but {} is not set in supervisord's "
                                            "environment",
                                            label, spec_at(text, err.offset), err.name.substr(4))
                              : fmt::format("'{}' uses {}, but no such name is available here",
                                            label, spec_at(text, err.offset)));
    if (auto near = closest_match(err.name, views)) d.help = fmt::format("did you mean %({})s?", *near);
    else if (err.name.starts_with("ENV_"))
      d.help = fmt::format("set {} in supervisord's environment or in [supervisord] environment=",
                           err.name.substr(4));
    std::string avail, shown;
    std::size_t env_count = 0;
    for (const auto& n : names) {
      avail += (avail.empty() ? "" : ", ") + n;
      if (n.starts_with("ENV_")) ++env_count;
      else shown += (shown.empty() ? "" : ", ") + n;
    }
    // The whole environment would drown the note; ENV_ names are counted.
    if (env_count) shown += fmt::format("{}{} ENV_* variables", shown.empty() ? "" : ", and ", env_count);
    d.notes.push_back({"names available here: " + shown, {}});
    d.supervisor_message = fmt::format(
        "Format string {} for {} contains names ({}) which cannot be expanded. Available names: {}",
        py_repr(text), py_repr(where), py_repr(err.name), avail);
  } else {
    auto& d = sink.report(DiagCode::P2003, at,
                          fmt::format("'{}' is not a valid %-format string: {}", label, err.message));
    d.help = "write a literal '%' as '%%'";
    d.supervisor_message = fmt::format("Format string {} for {} is badly formatted: {}",
                                       py_repr(text), py_repr(where), err.message);
  }
  return std::nullopt;
}

FormatMapping with_environ(const FormatMapping& environ, const FormatMapping& names) {
  return FormatMapping::layered(environ, names);
}

SectionReader::SectionReader(CompileContext& ctx, std::string section, SectionKind kind)
    : ctx_(ctx), section_(std::move(section)), kind_(kind), stored_(ctx.store.section(section_)) {}

const syntax::StoredOption* SectionReader::raw(std::string_view key) const {
  return stored_ ? ctx_.store.get(*stored_, key) : ctx_.store.get(section_, key);
}

SourceRange SectionReader::where(std::string_view key) const {
  if (const auto* o = raw(key)) return o->value_range.valid() ? o->value_range : o->key_range;
  return stored_ ? stored_->header_range : SourceRange{};
}

std::optional<std::string> SectionReader::get(std::string_view key, const FormatMapping& names) {
  const OptionSpec* spec = find_option(kind_, key);
  return get_or(key, spec ? spec->default_text : std::nullopt, names);
}

std::optional<std::string> SectionReader::get_or(std::string_view key,
                                                 std::optional<std::string_view> dflt,
                                                 const FormatMapping& names) {
  if (const auto* o = raw(key)) return expand_value(key, o->value, names);
  if (!dflt) return std::nullopt;
  return expand_value(key, std::string(*dflt), names);
}

std::optional<std::string> SectionReader::get_unexpanded(std::string_view key) {
  if (const auto* o = raw(key)) return o->value;
  const OptionSpec* spec = find_option(kind_, key);
  if (spec && spec->default_text) return std::string(*spec->default_text);
  return std::nullopt;
}

std::optional<std::string> SectionReader::expand_value(std::string_view key, std::string text,
                                                       const FormatMapping& names) {
  if (text.find('%') == std::string::npos) return text;
  auto r = ctx_.expand(text, with_environ(ctx_.environ, names), section_ + "." + std::string(key),
                       where(key));
  if (!r) ok_ = false;
  return r;
}

Diagnostic& SectionReader::fail(DiagCode code, std::string_view key, std::string_view why) {
  ok_ = false;
  return ctx_.sink.report(code, where(key), fmt::format("[{}] {}: {}", section_, key, why));
}

}  // namespace proctor::model
