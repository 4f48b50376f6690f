#pragma once
/// Message building for the VGF library's diagnostics (internal header).

#include <cstdint>
#include <sstream>
#include <string>

namespace kiln::vgf::detail {

/// Concatenates the streamable arguments into one message.
template <typename... Args> std::string cat(const Args &...args) {
  std::ostringstream os;
  (os << ... << args);
  return os.str();
}

/// "0x07230203": how magic numbers and sentinels appear in messages.
std::string hex(uint64_t value);

} // namespace kiln::vgf::detail
