#pragma once
/// Kiln segment metadata: an opaque per-segment byte blob (the codegen's kernel
/// descriptor: scheme, M/N/K, epilogue, quantization parameters) carried inside the
/// standard sections so that Arm's tools still read the file. The blob is a CONSTANT
/// resource (no descriptor type, R8_UINT, shape [16 + n]) whose CONST00 payload is a
/// MetadataHeader ("KILNMETA", version, n) followed by the n blob bytes; the segment
/// lists that constant in its `constants` and binds it in no descriptor set. At most
/// one such constant per segment. See docs/vgf.md.

#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace kiln::vgf {

/// A read-only byte range owned elsewhere.
struct ByteView {
  const uint8_t *data = nullptr;
  size_t size = 0;
};

/// Attaches `blob` (copied: metadata is small) to segment `segmentIndex` by appending a
/// resource, a constant and a constant reference. Fails if the segment does not exist,
/// already has metadata, or the blob does not fit the u32 size field.
Status addSegmentMetadata(Model &model, size_t segmentIndex, const void *blob, size_t size);

/// The metadata blob of segment `segmentIndex`, std::nullopt when it has none. A
/// constant that carries the magic but a bad version or size is an error (InvalidFile
/// or Unsupported). The view points into the constant's bytes.
Expected<std::optional<ByteView>> segmentMetadata(const Model &model, size_t segmentIndex);

} // namespace kiln::vgf
