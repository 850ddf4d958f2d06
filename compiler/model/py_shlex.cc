#include "compiler/model/py_shlex.h"

#include "compiler/model/py_unicode.h"

namespace proctor::model {
namespace {

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// All of shlex's character sets are ASCII, so no other code point is in one.
bool in_set(char32_t c, std::string_view set) {
  return c < 0x80 && set.find(static_cast<char>(c)) != std::string_view::npos;
}

class Lexer {
 public:
  Lexer(std::string_view text, std::string_view extra_wordchars)
      : text_(text), extra_wordchars_(extra_wordchars) {}

  Expected<std::vector<std::string>> run() {
    while (pos_ < text_.size()) {
      const CodePoint cp = decode_utf8(text_, pos_);
      const std::string_view bytes = text_.substr(pos_, cp.length);
      pos_ += cp.length;
      switch (state_) {
        case State::kSpace: space(cp.value, bytes); break;
        case State::kWord: word(cp.value, bytes); break;
        case State::kQuote: quote(cp.value, bytes); break;
      }
    }
    if (state_ == State::kQuote) {
      return Expected<std::vector<std::string>>::failure("No closing quotation");
    }
    if (state_ == State::kWord) emit();
    return std::move(tokens_);
  }

 private:
  enum class State { kSpace, kWord, kQuote };

  bool is_wordchar(char32_t c) const {
    return is_ascii_alnum(c) || c == '_' || in_set(c, extra_wordchars_);
  }

  void space(char32_t c, std::string_view bytes) {
    if (in_set(c, " \t\r\n")) return;
    if (c == '#') return skip_line();
    token_ = bytes;
    if (is_wordchar(c)) {
      state_ = State::kWord;
    } else if (c == '\'' || c == '"') {
      quote_ = c;
      state_ = State::kQuote;
    } else {
      emit();
    }
  }

  void word(char32_t c, std::string_view bytes) {
    if (in_set(c, " \t\r\n")) {
      emit();
      state_ = State::kSpace;
    } else if (c == '#') {
      skip_line();  // non-POSIX quirk: the word goes on after the comment
    } else if (is_wordchar(c) || c == '\'' || c == '"') {
      token_ += bytes;
    } else {
      // Python pushes the character back and returns it as the next token.
      emit();
      token_ = bytes;
      emit();
      state_ = State::kSpace;
    }
  }

  void quote(char32_t c, std::string_view bytes) {
    token_ += bytes;
    if (c == quote_) {
      emit();
      state_ = State::kSpace;
    }
  }

  // instream.readline(): through the next '\n' or to the end.
  void skip_line() {
    const std::size_t newline = text_.find('\n', pos_);
    pos_ = newline == std::string_view::npos ? text_.size() : newline + 1;
  }

  void emit() {
    tokens_.push_back(std::move(token_));
    token_.clear();
  }

  std::string_view text_;
  std::string_view extra_wordchars_;
  std::size_t pos_ = 0;
  State state_ = State::kSpace;
  char32_t quote_ = 0;
  std::string token_;
  std::vector<std::string> tokens_;
};

}  // namespace

Expected<std::vector<std::string>> py_shlex(std::string_view text,
                                            std::string_view extra_wordchars) {
  return Lexer(text, extra_wordchars).run();
}

}  // namespace proctor::model
