#pragma once
// PEGTL grammars for configparser's INI dialect (Python 3.11
// RawConfigParser._read). Two grammars, because configparser itself works
// in two steps:
//
//  * `file` splits the text into physical lines and classifies each one as
//    blank, whole-line comment or text. This is pure structure.
//  * `value_line` classifies the comment-stripped, whitespace-stripped text
//    of a line that is not a continuation: `[header]` or `key = value`.
//
// What sits between the two (the inline-comment search, which is not a PEG
// language, and the continuation test, which depends on the previous
// option's indentation) lives in the actions in ini_parser.cc.
//
// All rules are byte-level; the input has already been checked to be valid
// UTF-8 by `utf8_text`, so multi-byte sequences are never split wrongly.

#include <tao/pegtl.hpp>

namespace proctor::syntax::ini_grammar {

namespace pegtl = tao::pegtl;

/// The whole text is UTF-8 (as strict as Python's decoder: no overlongs,
/// surrogates or code points past U+10FFFF). `utf8_prefix` stops at the
/// first byte that does not start a valid sequence.
struct utf8_prefix : pegtl::star<pegtl::utf8::any> {};
struct utf8_text : pegtl::seq<utf8_prefix, pegtl::eof> {};

/// One code point for which Python's str.isspace() is true, except '\n'
/// and '\r': those end the line before configparser sees it.
struct space
    : pegtl::sor<pegtl::one<'\t', '\v', '\f', ' ', '\x1c', '\x1d', '\x1e', '\x1f'>,
                 pegtl::utf8::one<0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000>,
                 pegtl::utf8::range<0x2000, 0x200a>> {};

// ---- physical lines ------------------------------------------------------

/// Universal newlines: "\r\n", a lone "\r" and "\n" each end a line.
struct line_end : pegtl::sor<pegtl::string<'\r', '\n'>, pegtl::one<'\r', '\n'>> {};
struct line_char : pegtl::not_one<'\r', '\n'> {};

/// Leading whitespace; its length in code points is the indent level.
struct indent : pegtl::star<space> {};
/// `line.strip()` starts with '#' or ';': the whole line is a comment.
struct comment : pegtl::seq<pegtl::one<'#', ';'>, pegtl::star<line_char>> {};
/// Only whitespace: kept as an empty line inside a multi-line value.
struct blank : pegtl::at<pegtl::sor<line_end, pegtl::eof>> {};
/// Anything else, from the first non-space character to the line's end.
struct text : pegtl::plus<line_char> {};

struct line_content : pegtl::seq<indent, pegtl::sor<comment, blank, text>> {};
/// The lookahead (which runs no actions) decides first whether the line is
/// terminated, so `line_content` is never matched twice: PEGTL actions are
/// not undone when an enclosing rule fails, and each line must be seen once.
struct terminated : pegtl::seq<pegtl::star<line_char>, line_end> {};
struct line : pegtl::seq<pegtl::at<terminated>, line_content, line_end> {};
/// A last line without a terminator (never empty, so "a\n" is one line).
struct last_line : pegtl::seq<pegtl::not_at<pegtl::eof>, line_content, pegtl::eof> {};
struct file : pegtl::seq<pegtl::star<line>, pegtl::opt<last_line>, pegtl::eof> {};

// ---- one stripped value: header or option --------------------------------

/// SECTCRE `\[(?P<header>.+)\]` with re.match: the name is at least one
/// character and runs to the LAST ']' (greedy); text after it is ignored.
/// `header_close` is that last ']' plus the ignored tail, so it succeeds
/// exactly once. Linear: each ']' only scans up to the next one.
struct header_close : pegtl::seq<pegtl::one<']'>, pegtl::star<pegtl::not_one<']'>>, pegtl::eof> {};
struct header : pegtl::seq<pegtl::one<'['>, pegtl::any, pegtl::until<header_close>> {};

/// OPTCRE `(?P<option>.*?)\s*(?P<vi>=|:)\s*(?P<value>.*)$`: the lazy
/// option group ends at the FIRST '=' or ':', whichever comes first.
/// Trailing spaces of the key are removed by the action (a PEG cannot
/// un-consume them cheaply).
struct option_key : pegtl::star<pegtl::not_one<'=', ':'>> {};
struct option_delim : pegtl::one<'=', ':'> {};
struct option_value : pegtl::star<pegtl::any> {};
struct option
    : pegtl::seq<option_key, option_delim, pegtl::star<space>, option_value, pegtl::eof> {};

struct value_line : pegtl::sor<header, option> {};

}  // namespace proctor::syntax::ini_grammar
