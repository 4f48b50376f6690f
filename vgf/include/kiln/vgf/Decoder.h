#pragma once
/// Reads and validates a VGF container. Nothing is returned until everything has been
/// checked, in this order: length >= header, magic and version, each section range
/// (overflow-safe), no overlap, alignment, the FlatBuffers verifier on each table,
/// the CONST00 records, then checkModel's semantic rules. Constants are not copied:
/// each decoded Constant points into the mapping (or the caller's buffer) and holds it
/// alive through Constant::keepAlive.
///
/// Failures are InvalidFile (malformed) or Unsupported (valid VGF that Kiln does not
/// run: GRAPH segments, GLSL/HLSL, sparse constants, other descriptor types, the legacy
/// constants layout); the message names the section, field and index with the
/// expected and actual values.

#include "kiln/support/Status.h"
#include "kiln/vgf/Format.h"
#include "kiln/vgf/Model.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kiln::vgf {

/// What the header said, for tools that print it.
struct FileInfo {
  uint64_t fileSize = 0;
  bool legacyMagic = false; ///< the deprecated 0xF0E1D2C3 magic
  uint8_t major = 0, minor = 0, patch = 0;
  SectionRange modules{}, sequence{}, resources{}, constants{};
  std::vector<uint64_t> constantOffsets; ///< file offset of each constant's payload
};

struct DecodedVgf {
  FileInfo info;
  Model model; ///< constants are views into the decoded bytes
};

/// Maps `path` read-only and decodes it; messages start with "<path>: ".
Expected<DecodedVgf> decodeVgfFile(const std::string &path);

/// Decodes bytes already in memory (fuzzing, embedded models). `data` must be 8-byte
/// aligned and stay valid while any decoded Constant is used, unless `keepAlive` owns it.
Expected<DecodedVgf> decodeVgf(const uint8_t *data, size_t size,
                               std::shared_ptr<const void> keepAlive = {});

/// Decodes bytes at any alignment (a container compiled in memory, one read from a
/// stream): copies them into aligned memory that the decoded model keeps alive.
Expected<DecodedVgf> decodeVgfCopy(const uint8_t *data, size_t size);

} // namespace kiln::vgf
