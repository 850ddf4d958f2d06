#pragma once
// "Did you mean" support: the closest candidate to a misspelt name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace proctor {

/// Damerau-Levenshtein distance (adjacent transpositions cost 1), so
/// "autorestrat" is one edit from "autorestart".
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `word`, if it is close enough to be a likely
/// typo (at most a third of the word's length, and at least 1 edit away
/// from nothing); ties go to the earliest candidate.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string_view>& candidates);

}  // namespace proctor
