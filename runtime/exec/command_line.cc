#include "runtime/exec/command_line.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <iterator>

#include "compiler/model/py_format.h"

namespace proctor::runtime::exec {
namespace {

bool is_shlex_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// shlex.read_token's POSIX states with whitespace_split: between words,
/// in a word, inside quotes, or just after a backslash. Bytes are handled
/// one at a time; that is exact because every special character is ASCII.
class ShlexSplitter {
 public:
  explicit ShlexSplitter(std::string_view text) : text_(text) {}

  Expected<std::vector<std::string>> run() {
    using Result = Expected<std::vector<std::string>>;
    for (char c : text_) {
      if (state_ == kEscape) {
        escaped(c);
      } else if (in_quotes()) {
        quoted_char(c);
      } else {
        outside_quotes(c);
      }
    }
    if (state_ == kEscape) return Result::failure("No escaped character");
    if (in_quotes()) return Result::failure("No closing quotation");
    emit();
    return words_;
  }

 private:
  static constexpr char kSpace = ' ', kWord = 'a', kEscape = '\\';

  void outside_quotes(char c) {
    if (is_shlex_space(c)) {
      emit();
      state_ = kSpace;
    } else if (c == '\\') {
      escaped_from_ = kWord;
      state_ = kEscape;
    } else if (c == '\'' || c == '"') {
      state_ = c;
      quoted_ = true;  // Python sets it on the next character; EOF fails either way
    } else {
      token_ += c;
      state_ = kWord;
    }
  }

  bool in_quotes() const { return state_ == '\'' || state_ == '"'; }

  void quoted_char(char c) {
    if (c == state_) {
      state_ = kWord;
    } else if (c == '\\' && state_ == '"') {
      escaped_from_ = state_;
      state_ = kEscape;
    } else {
      token_ += c;
    }
  }

  // Inside double quotes a backslash only escapes '"' and '\'; elsewhere
  // it is kept, as POSIX shells do.
  void escaped(char c) {
    if (escaped_from_ == '"' && c != '\\' && c != '"') token_ += '\\';
    token_ += c;
    state_ = escaped_from_;
  }

  // A word ends at whitespace or EOF; '' and "" make an empty word.
  void emit() {
    if (!token_.empty() || quoted_) words_.push_back(std::move(token_));
    token_.clear();
    quoted_ = false;
  }

  std::string_view text_;
  char state_ = kSpace;
  char escaped_from_ = kWord;
  bool quoted_ = false;
  std::string token_;
  std::vector<std::string> words_;
};

std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    auto colon = text.find(':', start);
    parts.push_back(text.substr(start, colon - start));
    if (colon == std::string::npos) return parts;
    start = colon + 1;
  }
}

/// os.path.join(dir, name) for a name without '/'.
std::string path_join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

Expected<ResolvedCommand> check_execv_args(std::string filename, std::vector<std::string> argv,
                                           const std::optional<FileInfo>& st) {
  using model::py_repr;
  if (!st) return Expected<ResolvedCommand>::failure("can't find command " + py_repr(filename));
  if (S_ISDIR(st->mode)) {
    return Expected<ResolvedCommand>::failure("command at " + py_repr(filename) +
                                              " is a directory");
  }
  if ((st->mode & 0111) == 0) {
    return Expected<ResolvedCommand>::failure("command at " + py_repr(filename) +
                                              " is not executable");
  }
  if (!st->executable) {
    return Expected<ResolvedCommand>::failure("no permission to run command " + py_repr(filename));
  }
  return ResolvedCommand{std::move(filename), std::move(argv)};
}

}  // namespace

Expected<std::vector<std::string>> shlex_split(std::string_view text) {
  return ShlexSplitter(text).run();
}

std::vector<std::string> search_path(const std::optional<std::string>& program_path,
                                     const char* daemon_path) {
  if (program_path) return split_colons(*program_path);
  if (daemon_path && *daemon_path) return split_colons(daemon_path);
  return {"/bin", "/usr/bin", "/usr/local/bin"};
}

Expected<ResolvedCommand> resolve_command(std::string_view command,
                                          const std::vector<std::string>& path,
                                          const StatFn& stat) {
  auto words = shlex_split(command);
  if (!words) {
    return Expected<ResolvedCommand>::failure("can't parse command " + model::py_repr(command) +
                                              ": " + words.error());
  }
  if (words->empty()) return Expected<ResolvedCommand>::failure("command is empty");
  const std::string& program = words->front();
  if (program.find('/') != std::string::npos) {
    return check_execv_args(program, std::move(words.value()), stat(program));
  }
  // The first directory where stat succeeds wins, even if that entry
  // turns out to be a directory or not executable (Supervisor stops there).
  for (const auto& dir : path) {
    std::string candidate = path_join(dir, program);
    if (auto st = stat(candidate)) {
      return check_execv_args(std::move(candidate), std::move(words.value()), st);
    }
  }
  return check_execv_args(program, std::move(words.value()), std::nullopt);
}

std::string signame(int sig) {
  // Python's signal module on Linux: where names share a number the last
  // one defined wins (SIGIOT -> SIGABRT, SIGPOLL over SIGIO, SIGCHLD over
  // SIGCLD); SIGRTMIN/SIGRTMAX are glibc's 34 and 64.
  static const char* const kNames[] = {
      nullptr,     "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
      "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
      "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
      "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGPOLL", "SIGPWR",  "SIGSYS"};
  if (sig > 0 && sig < static_cast<int>(std::size(kNames))) return kNames[sig];
  if (sig == 34) return "SIGRTMIN";
  if (sig == 64) return "SIGRTMAX";
  return "signal " + std::to_string(sig);
}

WaitStatus decode_wait_status(int status) {
  if (WIFEXITED(status)) {
    int code = WEXITSTATUS(status);
    return {code, "exit status " + std::to_string(code)};
  }
  if (WIFSIGNALED(status)) {
    std::string message = "terminated by " + signame(WTERMSIG(status));
    if (WCOREDUMP(status)) message += " (core dumped)";
    return {-1, std::move(message)};
  }
  char hex[8];
  std::snprintf(hex, sizeof hex, "%04x", static_cast<unsigned>(status) & 0xffffu);
  return {-1, std::string("unknown termination cause 0x") + hex};
}

}  // namespace proctor::runtime::exec
