#include "Dump.h"

#include "Spirv.h"
#include "kiln/vgf/Metadata.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <sstream>

namespace kiln::vgf {
namespace {

using Json = nlohmann::ordered_json;

std::string hexText(uint32_t value) {
  std::ostringstream os;
  os << "0x" << std::hex << value;
  return os.str();
}

std::string descriptorText(uint32_t type) {
  const char *name = descriptorTypeName(type);
  return name ? name : "Unknown(" + std::to_string(type) + ")";
}

std::string formatText(uint32_t format) {
  const char *name = formatName(format);
  return name ? name : "Unknown(" + std::to_string(format) + ")";
}

template <typename T> std::string listText(const std::vector<T> &values) {
  std::ostringstream os;
  os << "[";
  for (size_t i = 0; i < values.size(); ++i)
    os << (i ? ", " : "") << values[i];
  os << "]";
  return os.str();
}

std::string slotsText(const std::vector<BindingSlot> &slots) {
  std::ostringstream os;
  for (size_t i = 0; i < slots.size(); ++i)
    os << (i ? ", " : "") << "binding " << slots[i].binding << " -> mrt " << slots[i].mrtIndex;
  return slots.empty() ? "none" : os.str();
}

std::string versionText(const FileInfo &info) {
  return std::to_string(info.major) + "." + std::to_string(info.minor) + "." +
         std::to_string(info.patch);
}

/// Metadata size of segment `index`; the decoder has already validated it.
std::optional<size_t> metadataSize(const Model &model, size_t index) {
  auto metadata = segmentMetadata(model, index);
  if (metadata && metadata->has_value())
    return (*metadata)->size;
  return std::nullopt;
}

Json slotsJson(const std::vector<BindingSlot> &slots) {
  Json list = Json::array();
  for (const BindingSlot &s : slots)
    list.push_back({{"binding", s.binding}, {"mrt_index", s.mrtIndex}});
  return list;
}

Json interfaceJson(const std::vector<BindingSlot> &slots, const std::vector<std::string> &names) {
  Json list = Json::array();
  for (size_t i = 0; i < slots.size(); ++i)
    list.push_back({{"index", i},
                    {"name", names.empty() ? "" : names[i]},
                    {"binding", slots[i].binding},
                    {"mrt_index", slots[i].mrtIndex}});
  return list;
}

} // namespace

Expected<std::string> dumpText(const DecodedVgf &vgf, bool disassemble) {
  const FileInfo &info = vgf.info;
  const Model &model = vgf.model;
  std::ostringstream os;
  os << "VGF " << versionText(info) << " (magic " << (info.legacyMagic ? "legacy" : "VGF1")
     << "), " << info.fileSize << " bytes, vk_header_version " << model.vkHeaderVersion << "\n";
  os << "sections:\n";
  const std::pair<const char *, SectionRange> sections[] = {{"modules", info.modules},
                                                            {"sequence", info.sequence},
                                                            {"resources", info.resources},
                                                            {"constants", info.constants}};
  for (const auto &[name, range] : sections)
    os << "  " << name << ": offset " << range.offset << " size " << range.size << "\n";

  os << "modules: " << model.modules.size() << "\n";
  for (size_t i = 0; i < model.modules.size(); ++i) {
    const Module &m = model.modules[i];
    os << "  [" << i << "] COMPUTE '" << m.name << "' entry_point '" << m.entryPoint
       << "' spirv " << m.spirv.size() << " words (" << m.spirv.size() * 4 << " bytes)\n";
    if (disassemble) {
      auto text = disassembleModule(m, i);
      if (!text)
        return text.takeStatus();
      os << *text;
    }
  }

  os << "segments: " << model.segments.size() << "\n";
  for (size_t i = 0; i < model.segments.size(); ++i) {
    const Segment &s = model.segments[i];
    os << "  [" << i << "] COMPUTE '" << s.name << "' module " << s.moduleIndex
       << " dispatch " << listText(s.dispatchShape) << "\n";
    for (const DescriptorSet &set : s.descriptorSets)
      os << "      set " << set.setIndex << ": " << slotsText(set.bindings) << "\n";
    os << "      inputs: " << slotsText(s.inputs) << "\n";
    os << "      outputs: " << slotsText(s.outputs) << "\n";
    os << "      constants: " << listText(s.constants) << "\n";
    for (const PushConstantRange &r : s.pushConstantRanges)
      os << "      push constants: stages " << hexText(r.stageFlags) << " offset " << r.offset
         << " size " << r.size << "\n";
    if (auto size = metadataSize(model, i))
      os << "      metadata: " << *size << " bytes\n";
  }

  os << "resources: " << model.resources.size() << "\n";
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource &r = model.resources[i];
    os << "  [" << i << "] " << resourceCategoryName(r.category) << " "
       << descriptorText(r.descriptorType) << " " << formatText(r.format) << " shape "
       << listText(r.shape);
    if (!r.strides.empty())
      os << " strides " << listText(r.strides);
    if (r.aliasGroupId != kUnset)
      os << " alias_group " << r.aliasGroupId;
    os << "\n";
  }

  auto interface = [&](const char *what, const std::vector<BindingSlot> &slots,
                       const std::vector<std::string> &names) {
    os << "model " << what << ": " << slots.size() << "\n";
    for (size_t i = 0; i < slots.size(); ++i)
      os << "  [" << i << "] '" << (names.empty() ? "" : names[i]) << "' binding "
         << slots[i].binding << " -> mrt " << slots[i].mrtIndex << "\n";
  };
  interface("inputs", model.inputs, model.inputNames);
  interface("outputs", model.outputs, model.outputNames);

  uint64_t total = 0;
  for (const Constant &c : model.constants)
    total += c.size;
  os << "constants: " << model.constants.size() << " (" << total << " bytes)\n";
  for (size_t i = 0; i < model.constants.size(); ++i) {
    const Constant &c = model.constants[i];
    os << "  [" << i << "] mrt " << c.mrtIndex << " size " << c.size << " file_offset "
       << info.constantOffsets[i] << " sparsity " << c.sparsityDimension << "\n";
  }
  return os.str();
}

Expected<std::string> dumpJson(const DecodedVgf &vgf, bool disassemble) {
  const FileInfo &info = vgf.info;
  const Model &model = vgf.model;
  Json doc;
  doc["schema"] = "kiln-vgf-dump";
  doc["schema_version"] = kDumpSchemaVersion;
  doc["file"] = {{"size", info.fileSize},
                 {"magic", info.legacyMagic ? "legacy" : "VGF1"},
                 {"version", versionText(info)},
                 {"vk_header_version", model.vkHeaderVersion}};
  auto range = [](const SectionRange &r) { return Json{{"offset", r.offset}, {"size", r.size}}; };
  doc["sections"] = {{"modules", range(info.modules)},
                     {"sequence", range(info.sequence)},
                     {"resources", range(info.resources)},
                     {"constants", range(info.constants)}};

  Json modules = Json::array();
  for (size_t i = 0; i < model.modules.size(); ++i) {
    const Module &m = model.modules[i];
    Json module = {{"index", i},
                   {"type", "COMPUTE"},
                   {"name", m.name},
                   {"entry_point", m.entryPoint},
                   {"spirv_words", m.spirv.size()}};
    if (disassemble) {
      auto text = disassembleModule(m, i);
      if (!text)
        return text.takeStatus();
      module["disassembly"] = *text;
    }
    modules.push_back(std::move(module));
  }
  doc["modules"] = std::move(modules);

  Json segments = Json::array();
  for (size_t i = 0; i < model.segments.size(); ++i) {
    const Segment &s = model.segments[i];
    Json sets = Json::array();
    for (const DescriptorSet &set : s.descriptorSets)
      sets.push_back({{"set_index", set.setIndex}, {"bindings", slotsJson(set.bindings)}});
    Json ranges = Json::array();
    for (const PushConstantRange &r : s.pushConstantRanges)
      ranges.push_back({{"stage_flags", r.stageFlags}, {"offset", r.offset}, {"size", r.size}});
    auto size = metadataSize(model, i);
    segments.push_back({{"index", i},
                        {"type", "COMPUTE"},
                        {"name", s.name},
                        {"module_index", s.moduleIndex},
                        {"descriptor_sets", std::move(sets)},
                        {"inputs", slotsJson(s.inputs)},
                        {"outputs", slotsJson(s.outputs)},
                        {"constants", s.constants},
                        {"dispatch_shape", s.dispatchShape},
                        {"push_constant_ranges", std::move(ranges)},
                        {"metadata_size", size ? Json(*size) : Json(nullptr)}});
  }
  doc["segments"] = std::move(segments);

  Json resources = Json::array();
  for (size_t i = 0; i < model.resources.size(); ++i) {
    const Resource &r = model.resources[i];
    resources.push_back({{"index", i},
                         {"category", resourceCategoryName(r.category)},
                         {"vk_descriptor_type", r.descriptorType},
                         {"descriptor_type", descriptorText(r.descriptorType)},
                         {"vk_format", r.format},
                         {"format", formatText(r.format)},
                         {"shape", r.shape},
                         {"strides", r.strides},
                         {"alias_group_id", r.aliasGroupId == kUnset ? Json(nullptr)
                                                                     : Json(r.aliasGroupId)}});
  }
  doc["resources"] = std::move(resources);
  doc["model"] = {{"inputs", interfaceJson(model.inputs, model.inputNames)},
                  {"outputs", interfaceJson(model.outputs, model.outputNames)}};

  Json constants = Json::array();
  for (size_t i = 0; i < model.constants.size(); ++i) {
    const Constant &c = model.constants[i];
    constants.push_back({{"index", i},
                         {"mrt_index", c.mrtIndex},
                         {"size", c.size},
                         {"file_offset", info.constantOffsets[i]},
                         {"sparsity_dimension", c.sparsityDimension}});
  }
  doc["constants"] = std::move(constants);
  return doc.dump(2) + "\n";
}

} // namespace kiln::vgf
