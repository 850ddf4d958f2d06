#include "compiler/syntax/ini_store.h"

#include <cassert>

namespace proctor::syntax {

namespace {

constexpr std::string_view kDefault = "DEFAULT";

// A StoredOption for the first definition of a key.
StoredOption stored(const IniOption& opt) {
  return {opt.key, opt.value, opt.key_range, opt.value_range, {}};
}

// Sections hold a dozen keys, but a config may hold 100,000 sections: a
// hash index for each would cost more to build and to free than scanning
// its keys does. Only sections this big get one (a hostile config's huge
// section would otherwise merge in quadratic time).
constexpr std::size_t kIndexFrom = 32;

bool wants_index(const StoredSection& s) { return s.options.size() >= kIndexFrom; }

// The index is rebuilt when someone changed the option list through
// section(); in normal use it is always in step.
template <class KeyIndex>
void reindex_if_stale(const StoredSection& s, KeyIndex& keys) {
  if (!wants_index(s) || keys.size() == s.options.size()) return;
  keys.clear();
  for (std::size_t i = 0; i < s.options.size(); ++i) keys.emplace(s.options[i].key, i);
}

// After an option was appended: keeps an index in step, or starts one.
template <class KeyIndex>
void index_appended(const StoredSection& s, KeyIndex& keys) {
  if (!wants_index(s)) return;
  if (keys.size() + 1 == s.options.size()) keys.emplace(s.options.back().key, s.options.size() - 1);
  else reindex_if_stale(s, keys);
}

// find_key's result, through which `s` may be changed.
StoredOption* mutable_in(StoredSection& s, const StoredOption* found) {
  return found ? &s.options[static_cast<std::size_t>(found - s.options.data())] : nullptr;
}

// optionxform only changes upper-case and non-ASCII characters; the keys
// the readers ask for are lower-case ASCII already.
bool is_lower_ascii(std::string_view key) {
  for (char c : key)
    if ((c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

void IniStore::merge(const IniFile& file) {
  for (const IniSection& s : file.sections) merge_section(s, file.file);
}

// configparser keeps one dict per section name: a header seen again (in
// this or a later file) reopens that dict rather than making a new one.
void IniStore::merge_section(const IniSection& from, FileId file) {
  StoredSection* into = nullptr;
  KeyIndex* keys = nullptr;
  if (from.name == kDefault) {
    into = &defaults_;
    keys = &default_keys_;
  } else if (std::ptrdiff_t i = find_section(from.name); i >= 0) {
    into = &sections_[static_cast<std::size_t>(i)];
    keys = &section_keys_[static_cast<std::size_t>(i)];
  } else {
    by_name_.emplace(from.name, sections_.size());
    sections_.push_back({from.name, {}, {}, kNoFile, {}});
    section_keys_.emplace_back();
    into = &sections_.back();
    keys = &section_keys_.back();
  }
  if (into->first_file == kNoFile) {
    into->header_range = from.header_range;
    into->first_file = file;
  } else {
    into->reopened.push_back(from.header_range);
  }
  for (const IniOption& opt : from.options) merge_option(*into, *keys, opt);
}

// `cursect[optname] = value`: a dict keeps a replaced key where it was.
void IniStore::merge_option(StoredSection& into, KeyIndex& keys, const IniOption& opt) {
  reindex_if_stale(into, keys);
  StoredOption* old = mutable_in(into, find_key(into, keys, opt.key));
  if (!old) {
    into.options.push_back(stored(opt));
    index_appended(into, keys);
    return;
  }
  old->overridden.push_back(old->key_range);
  old->value = opt.value;
  old->key_range = opt.key_range;
  old->value_range = opt.value_range;
}

const StoredOption* IniStore::find_key(const StoredSection& s, const KeyIndex& keys,
                                       std::string_view key) {
  if (wants_index(s) && keys.size() == s.options.size()) {
    auto it = keys.find(key);
    if (it == keys.end()) return nullptr;
    if (it->second < s.options.size() && s.options[it->second].key == key)
      return &s.options[it->second];
  }
  for (const StoredOption& o : s.options)  // small, or index out of step: search
    if (o.key == key) return &o;
  return nullptr;
}

std::ptrdiff_t IniStore::find_section(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? -1 : static_cast<std::ptrdiff_t>(it->second);
}

std::vector<std::string> IniStore::section_names() const {
  std::vector<std::string> names;
  names.reserve(sections_.size());
  for (const StoredSection& s : sections_) names.push_back(s.name);
  return names;
}

bool IniStore::has_section(std::string_view name) const { return find_section(name) >= 0; }

const StoredSection* IniStore::section(std::string_view name) const {
  std::ptrdiff_t i = find_section(name);
  return i < 0 ? nullptr : &sections_[static_cast<std::size_t>(i)];
}

StoredSection* IniStore::section(std::string_view name) {
  std::ptrdiff_t i = find_section(name);
  return i < 0 ? nullptr : &sections_[static_cast<std::size_t>(i)];
}

const StoredOption* IniStore::get(std::string_view section, std::string_view key) const {
  std::string lowered;
  const std::string_view k = is_lower_ascii(key) ? key : std::string_view(lowered = py_lower(key));
  if (section != kDefault) {
    std::ptrdiff_t i = find_section(section);
    if (i < 0) return nullptr;
    const auto idx = static_cast<std::size_t>(i);
    if (const StoredOption* own = find_key(sections_[idx], section_keys_[idx], k)) return own;
  }
  return find_key(defaults_, default_keys_, k);
}

const StoredOption* IniStore::get(const StoredSection& section, std::string_view key) const {
  std::string lowered;
  const std::string_view k = is_lower_ascii(key) ? key : std::string_view(lowered = py_lower(key));
  const auto idx = static_cast<std::size_t>(&section - sections_.data());
  assert(idx < sections_.size());
  if (const StoredOption* own = find_key(section, section_keys_[idx], k)) return own;
  return find_key(defaults_, default_keys_, k);
}

// Python: d = defaults.copy(); d.update(section) -- so DEFAULT's keys come
// first even when the section overrides them.
std::vector<const StoredOption*> IniStore::items(std::string_view section) const {
  std::vector<const StoredOption*> out;
  const StoredSection* own = nullptr;
  const KeyIndex* own_keys = nullptr;
  if (section != kDefault) {
    std::ptrdiff_t i = find_section(section);
    if (i < 0) return out;
    own = &sections_[static_cast<std::size_t>(i)];
    own_keys = &section_keys_[static_cast<std::size_t>(i)];
  }
  out.reserve(defaults_.options.size() + (own ? own->options.size() : 0));
  for (const StoredOption& d : defaults_.options) {
    const StoredOption* mine = own ? find_key(*own, *own_keys, d.key) : nullptr;
    out.push_back(mine ? mine : &d);
  }
  if (own) {
    for (const StoredOption& o : own->options)
      if (!find_key(defaults_, default_keys_, o.key)) out.push_back(&o);
  }
  return out;
}

void IniStore::set(std::string_view section, const StoredOption& from, std::string value) {
  StoredSection* into = &defaults_;
  KeyIndex* keys = &default_keys_;
  if (section != kDefault) {
    std::ptrdiff_t i = find_section(section);
    if (i < 0) return;
    into = &sections_[static_cast<std::size_t>(i)];
    keys = &section_keys_[static_cast<std::size_t>(i)];
  }
  // Copy before touching the list: `from` may be one of its elements.
  StoredOption copy{py_lower(from.key), std::move(value), from.key_range, from.value_range, {}};
  reindex_if_stale(*into, *keys);
  StoredOption* own = mutable_in(*into, find_key(*into, *keys, copy.key));
  if (own) {
    own->value = std::move(copy.value);
    return;
  }
  into->options.push_back(std::move(copy));
  index_appended(*into, *keys);
}

}  // namespace proctor::syntax
