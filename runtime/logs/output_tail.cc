#include "runtime/logs/output_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <optional>

namespace proctor::runtime::logs {
namespace {

/// Python's arithmetic on these is unbounded; 128 bits is plenty for
/// 64-bit inputs added or subtracted once.
using Wide = __int128;

class ReadOnlyFile {
 public:
  explicit ReadOnlyFile(const std::string& path)
      : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
  ~ReadOnlyFile() {
    if (fd_ >= 0) ::close(fd_);
  }
  ReadOnlyFile(const ReadOnlyFile&) = delete;
  ReadOnlyFile& operator=(const ReadOnlyFile&) = delete;

  /// The size of a readable regular-or-special file; nullopt like
  /// Python's open() failing (missing, unreadable, a directory).
  std::optional<std::int64_t> size() const {
    struct stat st;
    if (fd_ < 0 || fstat(fd_, &st) < 0 || S_ISDIR(st.st_mode)) return std::nullopt;
    return st.st_size;
  }

  /// f.seek(pos); f.read(max): up to `max` bytes, fewer at end of file.
  std::optional<std::string> read(std::int64_t pos, std::int64_t max) const {
    std::string data;
    char buf[65536];
    while (static_cast<std::int64_t>(data.size()) < max) {
      size_t want = static_cast<size_t>(std::min<std::int64_t>(sizeof buf, max - data.size()));
      ssize_t n = ::pread(fd_, buf, want, pos + static_cast<off_t>(data.size()));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return std::nullopt;
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

 private:
  int fd_;
};

}  // namespace

Expected<std::string> read_log(const std::string& path, std::int64_t offset, std::int64_t length) {
  ReadOnlyFile file(path);
  auto size = file.size();
  if (!size) return Expected<std::string>::failure("FAILED");
  std::optional<std::string> data;
  if (offset < 0) {
    if (length != 0) return Expected<std::string>::failure("BAD_ARGUMENTS");
    Wide pos = std::max<Wide>(0, Wide(*size) + offset);
    data = file.read(static_cast<std::int64_t>(pos), -Wide(offset) > *size ? *size : -offset);
  } else {
    if (length < 0) return Expected<std::string>::failure("BAD_ARGUMENTS");
    data = file.read(offset, length == 0 ? std::numeric_limits<std::int64_t>::max() : length);
  }
  if (!data) return Expected<std::string>::failure("FAILED");
  return std::move(*data);
}

TailResult tail_log(const std::string& path, std::int64_t offset, std::int64_t length) {
  ReadOnlyFile file(path);
  auto size = file.size();
  if (!size) return {"", offset, false};
  Wide sz = *size, off = offset, len = length;
  bool overflow = false;
  if (sz > off + len) {
    overflow = true;
    off = sz - 1;
  }
  if (off + len > sz) {
    if (off > sz - 1) len = 0;
    off = sz - len;
  }
  off = std::max<Wide>(off, 0);
  len = std::max<Wide>(len, 0);
  std::optional<std::string> data = std::string();
  if (len > 0) data = file.read(static_cast<std::int64_t>(off), static_cast<std::int64_t>(len));
  if (!data) return {"", static_cast<std::int64_t>(off), false};
  return {std::move(*data), *size, overflow};
}

}  // namespace proctor::runtime::logs
