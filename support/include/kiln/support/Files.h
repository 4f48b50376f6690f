#pragma once
/// File helpers shared by every tool: read-only memory mapping (zero-copy access to
/// large constants) and atomic writes (temp file next to the target, then rename), so
/// a failed run never leaves a half-written artifact behind.

#include "kiln/support/Status.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace kiln {

/// A read-only view of a whole file, memory-mapped. Empty files map to size 0.
class MappedFile {
public:
  static Expected<std::shared_ptr<MappedFile>> open(const std::string &path);
  ~MappedFile();
  MappedFile(const MappedFile &) = delete;
  MappedFile &operator=(const MappedFile &) = delete;

  const uint8_t *data() const { return data_; }
  size_t size() const { return size_; }
  const std::string &path() const { return path_; }

private:
  MappedFile(std::string path, const uint8_t *data, size_t size)
      : path_(std::move(path)), data_(data), size_(size) {}
  std::string path_;
  const uint8_t *data_;
  size_t size_;
};

/// Sink handed to writeFileAtomically's producer; each call appends bytes.
class ByteSink {
public:
  virtual ~ByteSink() = default;
  virtual Status write(const void *data, size_t size) = 0;
};

/// Writes `path` by letting `produce` stream into a temporary file in the same
/// directory, then renames it over `path`. On any failure (the producer's or the
/// file system's) the temporary file is removed and `path` is left untouched.
Status writeFileAtomically(const std::string &path,
                           const std::function<Status(ByteSink &)> &produce);

/// Convenience overload for a buffer that is already in memory.
Status writeFileAtomically(const std::string &path, const void *data, size_t size);

} // namespace kiln
