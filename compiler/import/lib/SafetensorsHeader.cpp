//===- SafetensorsHeader.cpp - the JSON header of a .safetensors file ------===//
//
// Built with -fexceptions (nlohmann-json throws on malformed input); every
// exception is caught here and becomes a Status.
//
//===----------------------------------------------------------------------===//

#include "kiln/import/SafetensorsHeader.h"

#include <nlohmann/json.hpp>

namespace kiln {
namespace {

using nlohmann::ordered_json;

Status entryError(const std::string &fileName, const std::string &name,
                  const std::string &what) {
  return invalidFile(fileName + ": tensor '" + name + "': " + what);
}

Expected<SafetensorsEntry> parseEntry(const std::string &name, const ordered_json &value,
                                      const std::string &fileName) {
  if (!value.is_object())
    return entryError(fileName, name, "expected an object, got " +
                                          std::string(value.type_name()));
  SafetensorsEntry entry;
  entry.name = name;
  auto dtype = value.find("dtype");
  if (dtype == value.end() || !dtype->is_string())
    return entryError(fileName, name, "expected a string 'dtype'");
  entry.dtype = dtype->get<std::string>();
  auto shape = value.find("shape");
  if (shape == value.end() || !shape->is_array())
    return entryError(fileName, name, "expected an array 'shape'");
  for (const ordered_json &dim : *shape) {
    if (!dim.is_number_unsigned() || dim.get<uint64_t>() > uint64_t(INT64_MAX))
      return entryError(fileName, name,
                        "expected non-negative integer dimensions in 'shape', got " +
                            dim.dump());
    entry.shape.push_back(static_cast<int64_t>(dim.get<uint64_t>()));
  }
  auto offsets = value.find("data_offsets");
  if (offsets == value.end() || !offsets->is_array() || offsets->size() != 2 ||
      !(*offsets)[0].is_number_unsigned() || !(*offsets)[1].is_number_unsigned())
    return entryError(fileName, name,
                      "expected 'data_offsets' to be two non-negative integers");
  entry.begin = (*offsets)[0].get<uint64_t>();
  entry.end = (*offsets)[1].get<uint64_t>();
  return entry;
}

} // namespace

Expected<std::vector<SafetensorsEntry>>
parseSafetensorsHeader(const std::string &json, const std::string &fileName) {
  try {
    // ordered_json keeps the file's order, so errors and warnings follow it too.
    ordered_json header = ordered_json::parse(json);
    if (!header.is_object())
      return invalidFile(fileName + ": expected the safetensors header to be a JSON "
                                    "object, got " +
                         std::string(header.type_name()));
    std::vector<SafetensorsEntry> entries;
    for (auto it = header.begin(); it != header.end(); ++it) {
      if (it.key() == "__metadata__") // free-form strings; nothing Kiln needs
        continue;
      Expected<SafetensorsEntry> entry = parseEntry(it.key(), it.value(), fileName);
      if (!entry)
        return entry.status();
      entries.push_back(std::move(*entry));
    }
    return entries;
  } catch (const std::exception &e) {
    // nlohmann's messages carry the byte position of the syntax error.
    return invalidFile(fileName + ": malformed safetensors header: " + e.what());
  } catch (...) {
    return invalidFile(fileName + ": malformed safetensors header");
  }
}

} // namespace kiln
