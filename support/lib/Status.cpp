#include "kiln/support/Status.h"

namespace kiln {

const char *statusCodeName(StatusCode code) {
  switch (code) {
  case StatusCode::Ok:
    return "ok";
  case StatusCode::InvalidArgument:
    return "invalid-argument";
  case StatusCode::InvalidFile:
    return "invalid-file";
  case StatusCode::Unsupported:
    return "unsupported";
  case StatusCode::DeviceLost:
    return "device-lost";
  case StatusCode::OutOfMemory:
    return "out-of-memory";
  case StatusCode::Unavailable:
    return "unavailable";
  case StatusCode::Internal:
    return "internal";
  }
  return "unknown";
}

} // namespace kiln
