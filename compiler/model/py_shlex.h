#pragma once
// Python 3.11's shlex.shlex(text) in its default non-POSIX mode, iterated to
// the end, as datatypes.dict_of_key_value_pairs uses it: words of ASCII
// letters, digits, '_' and `extra_wordchars`; a quote opens a token that runs
// through the closing quote (quotes kept); '#' comments to end of line; every
// other character, whitespace aside, is a one-character token.

#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/expected.h"

namespace proctor::model {

/// `lexer = shlex.shlex(text); lexer.wordchars += extra_wordchars;
/// list(lexer)` for ASCII `extra_wordchars`. Fails with "No closing
/// quotation" like Python.
Expected<std::vector<std::string>> py_shlex(std::string_view text,
                                            std::string_view extra_wordchars);

}  // namespace proctor::model
