#pragma once
// A group's content hash: FNV-1a 64 of the compact JSON text (sorted keys,
// no spaces, UTF-8 as is) of its settings, i.e. the group without "hash" and
// "source" and its processes without "source". Equal hashes mean
// Supervisor's reread sees the group as unchanged.

#include <string>

#include <nlohmann/json.hpp>

#include "compiler/model/config.h"

namespace proctor::plan {

/// The hash of `settings` as 16 hex digits: the FNV-1a 64 of
/// settings.dump(), computed while walking the tree instead of printing it
/// (bytes that are not UTF-8 count as U+FFFD, as in the printed plan).
std::string settings_hash(const nlohmann::json& settings);

/// The same for a whole plan group, whose locations (and old hash) are left
/// out first.
std::string group_hash(const nlohmann::json& group);

/// The hash group_json(group) carries, computed from the model without
/// building the group's JSON: a daemon rereading a large config hashes every
/// group but builds the plan objects of the few whose hash changed. It
/// feeds the bytes the group's settings would print as, so the two must
/// agree field for field (group_hash_test.cc and the golden tests check).
std::string group_hash(const model::GroupConfig& group);

}  // namespace proctor::plan
