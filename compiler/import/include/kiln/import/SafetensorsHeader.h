#pragma once
/// The JSON header of a .safetensors file, parsed into plain structs. Only the
/// syntax is checked here (types of the fields, shapes of non-negative integers);
/// WeightFile.cpp checks every offset against the file. This is the one translation
/// unit that uses nlohmann-json, which reports errors by throwing: it is built with
/// exceptions in its own target and lets none escape.

#include "kiln/support/Status.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln {

/// One tensor entry of the header, as written in the file (not yet validated
/// against the data section).
struct SafetensorsEntry {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
  uint64_t begin = 0; ///< data_offsets[0], relative to the start of the data section
  uint64_t end = 0;   ///< data_offsets[1]
};

/// Parses the header text; the entries come in the file's order and `__metadata__`
/// is skipped. Errors name `fileName` and the offending tensor or field.
Expected<std::vector<SafetensorsEntry>>
parseSafetensorsHeader(const std::string &json, const std::string &fileName);

} // namespace kiln
