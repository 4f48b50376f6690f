#pragma once
/// `kiln-vgf dump`: renders a decoded container as text or as JSON. The JSON schema is
/// documented in docs/vgf.md; bump kDumpSchemaVersion on any incompatible change.

#include "kiln/support/Status.h"
#include "kiln/vgf/Decoder.h"

#include <string>

namespace kiln::vgf {

inline constexpr int kDumpSchemaVersion = 1;

/// Human-readable listing; with `disassemble`, each module's SPIR-V follows it.
Expected<std::string> dumpText(const DecodedVgf &vgf, bool disassemble);

/// The JSON document (indented by 2); with `disassemble`, modules carry "disassembly".
Expected<std::string> dumpJson(const DecodedVgf &vgf, bool disassemble);

} // namespace kiln::vgf
