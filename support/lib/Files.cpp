#include "kiln/support/Files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiln {
namespace {

std::string errnoText() { return std::strerror(errno); }

/// Closes a descriptor on scope exit.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
};

class FdSink final : public ByteSink {
public:
  FdSink(int fd, const std::string &path) : fd_(fd), path_(path) {}
  Status write(const void *data, size_t size) override {
    const auto *bytes = static_cast<const uint8_t *>(data);
    while (size > 0) {
      ssize_t n = ::write(fd_, bytes, size);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        return invalidArgument(path_ + ": cannot write: " + errnoText());
      }
      bytes += n;
      size -= static_cast<size_t>(n);
    }
    return Status::ok();
  }

private:
  int fd_;
  const std::string &path_;
};

} // namespace

Expected<std::shared_ptr<MappedFile>> MappedFile::open(const std::string &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return invalidArgument(path + ": cannot open: " + errnoText());
  FdCloser closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return invalidArgument(path + ": cannot stat: " + errnoText());
  if (!S_ISREG(st.st_mode))
    return invalidArgument(path + ": not a regular file");
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0)
    return std::shared_ptr<MappedFile>(new MappedFile(path, nullptr, 0));
  void *addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (addr == MAP_FAILED)
    return invalidArgument(path + ": cannot map: " + errnoText());
  return std::shared_ptr<MappedFile>(
      new MappedFile(path, static_cast<const uint8_t *>(addr), size));
}

MappedFile::~MappedFile() {
  if (data_)
    ::munmap(const_cast<uint8_t *>(data_), size_);
}

Status writeFileAtomically(const std::string &path,
                           const std::function<Status(ByteSink &)> &produce) {
  // The temporary lives in the target's directory so that rename() stays within
  // one file system and is atomic.
  std::string tmp = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    return invalidArgument(path + ": cannot create temporary file: " + errnoText());
  Status status;
  {
    FdCloser closer{fd};
    FdSink sink(fd, path);
    status = produce(sink);
    if (status.isOk() && ::fsync(fd) != 0)
      status = invalidArgument(path + ": cannot flush: " + errnoText());
    // mkstemp creates 0600; give the artifact the usual 0644 (less umask).
    if (status.isOk()) {
      mode_t mask = ::umask(0);
      ::umask(mask);
      ::fchmod(fd, 0666 & ~mask);
    }
  }
  if (status.isOk() && ::rename(tmp.c_str(), path.c_str()) != 0)
    status = invalidArgument(path + ": cannot rename into place: " + errnoText());
  if (!status.isOk())
    ::unlink(tmp.c_str());
  return status;
}

Status writeFileAtomically(const std::string &path, const void *data, size_t size) {
  return writeFileAtomically(
      path, [&](ByteSink &sink) { return sink.write(data, size); });
}

} // namespace kiln
