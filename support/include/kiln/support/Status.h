#pragma once
/// Status and Expected<T>: the error currency of every Kiln library that does not
/// link MLIR (vgf/, runtime/, reference I/O). Compiler code uses MLIR's
/// LogicalResult + diagnostics instead. The codes mirror the C API's kiln_status_t.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kiln {

enum class StatusCode {
  Ok = 0,
  InvalidArgument,
  InvalidFile,
  Unsupported,
  DeviceLost,
  OutOfMemory,
  Internal,
  /// No usable device: no driver, no device, or one without a feature Kiln needs.
  Unavailable,
};

/// Returns the stable lower-case name of a code ("invalid-file", ...).
const char *statusCodeName(StatusCode code);

/// A code plus a human-readable message. The message is the whole diagnostic a user
/// sees, so it names the file/op/position and the expected and actual values.
class [[nodiscard]] Status {
public:
  Status() = default;
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }

  bool isOk() const { return code_ == StatusCode::Ok; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return code_; }
  const std::string &message() const { return message_; }

  /// Prepends context ("model.vgf: ") to the message; a no-op on success.
  Status withContext(const std::string &context) && {
    if (!isOk())
      message_ = context + message_;
    return std::move(*this);
  }

private:
  StatusCode code_ = StatusCode::Ok;
  std::string message_;
};

inline Status invalidArgument(std::string m) {
  return {StatusCode::InvalidArgument, std::move(m)};
}
inline Status invalidFile(std::string m) {
  return {StatusCode::InvalidFile, std::move(m)};
}
inline Status unsupported(std::string m) {
  return {StatusCode::Unsupported, std::move(m)};
}
inline Status internalError(std::string m) {
  return {StatusCode::Internal, std::move(m)};
}

/// A value or the Status that explains why there is none.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : storage_(std::move(value)) {}
  Expected(Status status) : storage_(std::move(status)) {
    assert(!std::get<Status>(storage_).isOk() && "Expected built from an ok Status");
  }

  bool hasValue() const { return std::holds_alternative<T>(storage_); }
  explicit operator bool() const { return hasValue(); }

  T &value() & { return std::get<T>(storage_); }
  const T &value() const & { return std::get<T>(storage_); }
  T &&value() && { return std::get<T>(std::move(storage_)); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  /// The failure; only valid when !hasValue().
  const Status &status() const & { return std::get<Status>(storage_); }
  Status takeStatus() { return std::get<Status>(std::move(storage_)); }

private:
  std::variant<T, Status> storage_;
};

} // namespace kiln

/// Returns early from a function returning Status or Expected<T> when `expr` fails.
#define KILN_RETURN_IF_ERROR(expr)                                             \
  do {                                                                         \
    ::kiln::Status kilnStatus_ = (expr);                                       \
    if (!kilnStatus_.isOk())                                                   \
      return kilnStatus_;                                                      \
  } while (false)
