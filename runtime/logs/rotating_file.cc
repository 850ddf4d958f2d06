#include "runtime/logs/rotating_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace proctor::runtime::logs {
namespace {

bool under_special_tree(const std::string& path) {
  return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

/// removeAndRename: a missing source or destination is not an error
/// (a cleanup script may have removed either).
int remove_and_rename(const std::string& from, const std::string& to) {
  if (::unlink(to.c_str()) < 0 && errno != ENOENT) return -errno;
  if (::rename(from.c_str(), to.c_str()) < 0 && errno != ENOENT) return -errno;
  return 0;
}

}  // namespace

Expected<RotatingFile> RotatingFile::open(std::string path, std::int64_t maxbytes, int backups) {
  RotatingFile file(std::move(path), maxbytes, backups);
  if (int err = file.open_file(false)) {
    return Expected<RotatingFile>::failure("couldn't open " + file.path_ + ": " +
                                           std::strerror(-err));
  }
  return file;
}

RotatingFile::RotatingFile(RotatingFile&& o) noexcept
    : path_(std::move(o.path_)),
      maxbytes_(o.maxbytes_),
      backups_(o.backups_),
      fd_(o.fd_),
      stream_(o.stream_),
      size_(o.size_) {
  o.fd_ = -1;
}

RotatingFile& RotatingFile::operator=(RotatingFile&& o) noexcept {
  if (this != &o) {
    close_file();
    path_ = std::move(o.path_);
    maxbytes_ = o.maxbytes_;
    backups_ = o.backups_;
    fd_ = o.fd_;
    stream_ = o.stream_;
    size_ = o.size_;
    o.fd_ = -1;
  }
  return *this;
}

RotatingFile::~RotatingFile() { close_file(); }

void RotatingFile::close_file() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

// O_APPEND never seeks, so streams such as /dev/stdout open like files
// (Python needs its 'wb' retry only because 'ab' seeks).
int RotatingFile::open_file(bool truncate) {
  int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  int fd = ::open(path_.c_str(), flags, 0666);
  if (fd < 0) return -errno;
  struct stat st;
  if (fstat(fd, &st) < 0) {
    int err = errno;
    ::close(fd);
    return -err;
  }
  fd_ = fd;
  stream_ = !S_ISREG(st.st_mode) || under_special_tree(path_);
  size_ = stream_ ? 0 : st.st_size;
  return 0;
}

int RotatingFile::write(std::string_view bytes) {
  if (fd_ < 0) return -EBADF;
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += n;
  }
  if (maxbytes_ > 0 && !stream_ && size_ >= maxbytes_) return rollover();
  return 0;
}

// doRollover, after the write that reached maxbytes: each chunk lands
// whole in one file, and a file may exceed maxbytes by its last chunk.
int RotatingFile::rollover() {
  close_file();
  int err = 0;
  if (backups_ > 0) {
    for (int i = backups_ - 1; i > 0 && !err; --i) {
      std::string from = path_ + "." + std::to_string(i);
      if (::access(from.c_str(), F_OK) == 0) {
        err = remove_and_rename(from, path_ + "." + std::to_string(i + 1));
      }
    }
    if (!err) err = remove_and_rename(path_, path_ + ".1");
  }
  // After a failed rename the data is still in path_: keep it.
  int open_err = open_file(err == 0);
  return err ? err : open_err;
}

int RotatingFile::reopen() {
  close_file();
  return open_file(false);
}

int RotatingFile::clear() {
  if (!stream_) {
    close_file();
    if (::unlink(path_.c_str()) < 0 && errno != ENOENT) {
      int err = -errno;
      open_file(false);
      return err;
    }
  }
  return reopen();
}

}  // namespace proctor::runtime::logs
