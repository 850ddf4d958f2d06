#pragma once
// A group's content hash: FNV-1a 64 of the compact JSON text (sorted keys,
// no spaces, UTF-8 as is) of its settings, i.e. the group without "hash" and
// "source" and its processes without "source". Equal hashes mean
// Supervisor's reread sees the group as unchanged.

#include <string>

#include <nlohmann/json.hpp>

namespace proctor::plan {

/// The hash of `settings` as 16 hex digits: the FNV-1a 64 of
/// settings.dump(), computed while walking the tree instead of printing it
/// (bytes that are not UTF-8 count as U+FFFD, as in the printed plan).
std::string settings_hash(const nlohmann::json& settings);

/// The same for a whole plan group, whose locations (and old hash) are left
/// out first.
std::string group_hash(const nlohmann::json& group);

}  // namespace proctor::plan
