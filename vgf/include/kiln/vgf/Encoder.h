#pragma once
/// Writes a Model as a VGF 0.4.3 container: header, module table, model sequence table,
/// model resource table, CONST00 constants, each section 8-aligned with zero padding and
/// no trailing padding. Constants are streamed straight from their views or producers
/// into the sink, so the encoder holds only the (small) FlatBuffers tables in memory.

#include "kiln/support/Files.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::vgf {

struct EncodeOptions {
  /// Run checkModel before writing and refuse an invalid model (InvalidArgument).
  /// Tests turn it off to produce files that the decoder must reject.
  bool validate = true;
};

/// Streams the container into `sink`.
Status writeVgf(const Model &model, ByteSink &sink, const EncodeOptions &options = {});

/// Writes the container to `path` atomically: a temporary file renamed into place, so
/// a failure (including a failing constant producer) leaves `path` untouched.
Status writeVgfFile(const std::string &path, const Model &model,
                    const EncodeOptions &options = {});

/// Encodes the whole container into memory (tests, fuzz seeds, small models).
Expected<std::vector<uint8_t>> encodeVgf(const Model &model, const EncodeOptions &options = {});

} // namespace kiln::vgf
