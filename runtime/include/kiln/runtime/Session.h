#pragma once
/// Kiln's runtime API: open a compiled `.vgf`, bind inputs, run, read outputs. The
/// Vulkan backend runs every compute segment of the container on one device; see
/// docs/runtime.md for the execution contract, device selection and profiling.
/// No Vulkan or MLIR types appear here (pImpl); kiln/runtime/VulkanInterop.h opens a
/// session on an application's own Vulkan device, kiln/kiln.h is the C API.

#include "kiln/runtime/Interface.h"
#include "kiln/support/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::rt {

struct DeviceOptions {
  /// Physical device: an index ("1") or a case-insensitive substring of its name. Empty:
  /// the environment variable KILN_VULKAN_DEVICE, else the first discrete GPU, else
  /// an integrated one, else any device (a CPU implementation such as lavapipe last).
  std::string device;
  /// Enables VK_LAYER_KHRONOS_validation; any validation error makes open or run()
  /// fail with the layer's first message and the count of the others. Also enabled by
  /// KILN_VULKAN_VALIDATION=1.
  bool validation = false;
  /// Directory of the on-disk pipeline cache (one file per device UUID and driver
  /// version). Empty: KILN_PIPELINE_CACHE_DIR, else no cache on disk.
  std::string pipelineCacheDir;
};

/// Timing of one compute segment (GPU timestamps around its dispatch).
struct SegmentTiming {
  std::string name;
  double microseconds = 0;
  /// When the dispatch started, from the first segment's start (same timestamps), so a
  /// trace shows the gaps the barriers leave.
  double startMicroseconds = 0;
  /// From the segment's kernel descriptor; 0 when unknown. GEMMs: 2*M*N*K operations
  /// and the bytes of every buffer the dispatch binds.
  uint64_t operations = 0;
  uint64_t bytes = 0;
};

struct RunStats {
  std::vector<SegmentTiming> segments;
  /// From the submit to the fence, on the host clock.
  double wallMicroseconds = 0;
};

class Session {
public:
  /// Opens a `.vgf` file (mapped; constants are uploaded once, then unmapped) on a
  /// device chosen by `options`.
  static Expected<std::unique_ptr<Session>> open(const std::string &path,
                                                 const DeviceOptions &options = {});
  /// Same, from an in-memory container (copied).
  static Expected<std::unique_ptr<Session>> openBytes(const std::vector<uint8_t> &bytes,
                                                      const DeviceOptions &options = {});
  ~Session();
  Session(const Session &) = delete;
  Session &operator=(const Session &) = delete;

  const std::vector<TensorInfo> &inputs() const;
  const std::vector<TensorInfo> &outputs() const;
  /// "llvmpipe (LLVM 15.0.6, 256 bits)".
  const std::string &deviceName() const;

  /// Copies `size` bytes (exactly inputs()[index].byteSize) into input `index`.
  Status setInput(size_t index, const void *data, size_t size);
  /// Runs every segment in order and waits; fills `stats` when given.
  Status run(RunStats *stats = nullptr);
  /// Copies output `index` (exactly outputs()[index].byteSize bytes) into `data`.
  Status readOutput(size_t index, void *data, size_t size) const;

  struct Impl;

private:
  friend struct SessionAccess; ///< the Vulkan backend (VulkanInterop.h entry points)
  explicit Session(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace kiln::rt
