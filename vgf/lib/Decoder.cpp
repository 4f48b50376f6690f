#include "kiln/vgf/Decoder.h"

#include "Text.h"
#include "kiln/support/Files.h"
#include "kiln/vgf/Metadata.h"
#include "kiln/vgf/vgf_generated.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace kiln::vgf {
namespace {

using detail::cat;
using detail::hex;
namespace fb = flatbuffers;

Status bad(std::string message) { return invalidFile(std::move(message)); }

/// The smallest valid FlatBuffer: root uoffset, table soffset, a 2-slot-header vtable.
constexpr uint64_t kMinTableSectionSize = 12;

struct NamedSection {
  const char *name;
  SectionRange range;
};

std::string rangeText(const SectionRange &r) {
  return cat("[", r.offset, ", ", r.offset + r.size, ")");
}

std::string magicText(const char (&magic)[4]) {
  std::string text;
  for (char c : magic)
    text += cat(text.empty() ? "" : " ", hex(static_cast<uint8_t>(c)).substr(8));
  return text;
}

Status checkHeader(const FileHeader &header, FileInfo &info) {
  uint32_t asU32;
  std::memcpy(&asU32, header.magic, sizeof(asU32));
  info.legacyMagic = asU32 == kLegacyMagic;
  if (!info.legacyMagic && std::memcmp(header.magic, kMagic, sizeof(kMagic)) != 0)
    return bad(cat("header: bad magic: expected 'VGF1' (56 47 46 31), got ",
                   magicText(header.magic)));
  info.major = header.major;
  info.minor = header.minor;
  info.patch = header.patch;
  if (header.major != kVersionMajor || header.minor > kVersionMinor)
    return bad(cat("header: unsupported format version ", int(header.major), ".",
                   int(header.minor), ".", int(header.patch), ", expected 0.x.y with x <= ",
                   int(kVersionMinor)));
  return Status::ok();
}

/// Bounds, alignment and overlap of the four sections, before any is touched.
Status checkSections(const std::array<NamedSection, 4> &sections, uint64_t fileSize,
                     bool aligned8) {
  for (const NamedSection &s : sections) {
    // Written so that it cannot overflow: offset <= size && len <= size - offset.
    if (s.range.offset > fileSize || s.range.size > fileSize - s.range.offset)
      return bad(cat(s.name, " section: range [", s.range.offset, ", +", s.range.size,
                     ") lies past the end of the file (", fileSize, " bytes)"));
    if (s.range.offset < sizeof(FileHeader))
      return bad(cat(s.name, " section: offset ", s.range.offset,
                     " overlaps the header, expected >= ", sizeof(FileHeader)));
    // FlatBuffers needs 4-byte aligned tables; 0.4.3 aligns every section to 8, and
    // constants must be 8-aligned for zero-copy typed access whatever the version.
    bool constants = std::strcmp(s.name, "constants") == 0;
    uint64_t alignment = aligned8 || constants ? kSectionAlignment : 4;
    if (s.range.offset % alignment != 0)
      return bad(cat(s.name, " section: offset ", s.range.offset,
                     " is not a multiple of ", alignment));
  }
  std::array<NamedSection, 4> sorted = sections;
  std::sort(sorted.begin(), sorted.end(), [](const NamedSection &a, const NamedSection &b) {
    return a.range.offset < b.range.offset;
  });
  for (size_t i = 0; i + 1 < sorted.size(); ++i)
    if (sorted[i].range.offset + sorted[i].range.size > sorted[i + 1].range.offset)
      return bad(cat(sorted[i].name, " section ", rangeText(sorted[i].range), " overlaps ",
                     sorted[i + 1].name, " section ", rangeText(sorted[i + 1].range)));
  return Status::ok();
}

/// Runs the stock FlatBuffers verifier on one table section and returns its root.
template <typename Table>
Expected<const Table *> verifyTable(const char *section, const char *table,
                                    const uint8_t *data, const SectionRange &range) {
  // The verifier asserts on buffers of 2 GiB and more, so reject those first.
  if (range.size < kMinTableSectionSize || range.size >= FLATBUFFERS_MAX_BUFFER_SIZE)
    return bad(cat(section, " section: expected a size in [", kMinTableSectionSize,
                   ", ", FLATBUFFERS_MAX_BUFFER_SIZE, "), got ", range.size));
  const uint8_t *start = data + range.offset;
  fb::Verifier verifier(start, range.size);
  if (!verifier.VerifyBuffer<Table>(nullptr))
    return bad(cat(section, " section: not a valid ", table,
                   " FlatBuffer (verifier failed)"));
  return fb::GetRoot<Table>(start);
}

std::string str(const fb::String *s) { return s ? s->str() : std::string(); }

/// Copies bytes rather than reading typed elements: the FlatBuffers verifier checks a
/// vector's alignment only to its 4-byte length field, so in a corrupt file an int64
/// vector can sit at 4 mod 8 (found by kiln-vgf-fuzz; the host is little-endian, as
/// FlatBuffers are).
template <typename T> std::vector<T> vec(const fb::Vector<T> *v) {
  std::vector<T> out(v ? v->size() : 0);
  if (!out.empty())
    std::memcpy(out.data(), v->Data(), out.size() * sizeof(T));
  return out;
}

std::vector<BindingSlot> slots(const fb::Vector<fb::Offset<VGF::BindingSlot>> *v) {
  std::vector<BindingSlot> result;
  if (v)
    for (const VGF::BindingSlot *s : *v)
      result.push_back({s->binding(), s->mrt_index()});
  return result;
}

std::vector<std::string> strings(const fb::Vector<fb::Offset<fb::String>> *v) {
  std::vector<std::string> result;
  if (v)
    for (const fb::String *s : *v)
      result.push_back(str(s));
  return result;
}

Status readModules(const VGF::ModuleTable &table, Model &model) {
  if (!table.modules())
    return Status::ok();
  for (const VGF::Module *m : *table.modules()) {
    std::string where = cat("module ", model.modules.size(), " '", str(m->name()), "'");
    if (m->type() == VGF::ModuleType_GRAPH)
      return unsupported(where + ": GRAPH modules are not supported, expected COMPUTE");
    if (m->type() != VGF::ModuleType_COMPUTE)
      return bad(cat(where, ": expected type 0 (COMPUTE), got ", int(m->type())));
    switch (m->code_type()) {
    case VGF::ModuleCode_SPIRV:
      break;
    case VGF::ModuleCode_GLSL:
    case VGF::ModuleCode_HLSL:
      return unsupported(cat(where, ": ", VGF::EnumNameModuleCode(m->code_type()),
                             " source modules are not supported, expected SPIR-V"));
    case VGF::ModuleCode_NONE:
      return unsupported(where + ": has no code (placeholder modules are not supported)");
    default:
      return bad(cat(where, ": expected code_type 1 (SPIRV), got ", int(m->code_type())));
    }
    Module module;
    module.name = str(m->name());
    module.entryPoint = str(m->entry_point());
    if (const VGF::SPIRV *spirv = m->code_as_SPIRV())
      module.spirv = vec(spirv->words());
    model.modules.push_back(std::move(module));
  }
  return Status::ok();
}

Status readSequence(const VGF::ModelSequenceTable &table, Model &model) {
  if (table.segments())
    for (const VGF::SegmentInfo *s : *table.segments()) {
      std::string where = cat("segment ", model.segments.size(), " '", str(s->name()), "'");
      if (s->type() == VGF::ModuleType_GRAPH)
        return unsupported(where + ": GRAPH segments are not supported, expected COMPUTE");
      if (s->type() != VGF::ModuleType_COMPUTE)
        return bad(cat(where, ": expected type 0 (COMPUTE), got ", int(s->type())));
      Segment segment;
      segment.name = str(s->name());
      segment.moduleIndex = s->module_index();
      if (s->set_infos())
        for (const VGF::DescriptorSetInfo *set : *s->set_infos()) {
          // Files from before library 0.10 leave set_index unset: use the position.
          uint32_t index = set->set_index() == kUnset
                               ? static_cast<uint32_t>(segment.descriptorSets.size())
                               : set->set_index();
          segment.descriptorSets.push_back({index, slots(set->bindings())});
        }
      segment.inputs = slots(s->inputs());
      segment.outputs = slots(s->outputs());
      segment.constants = vec(s->constants());
      segment.dispatchShape = vec(s->dispatch_shape());
      if (s->push_constant_ranges())
        for (const VGF::PushConstantRange *r : *s->push_constant_ranges())
          segment.pushConstantRanges.push_back({r->stage_flags(), r->offset(), r->size()});
      model.segments.push_back(std::move(segment));
    }
  model.inputs = slots(table.inputs());
  model.outputs = slots(table.outputs());
  model.inputNames = strings(table.input_names());
  model.outputNames = strings(table.output_names());
  return Status::ok();
}

Status readResources(const VGF::ModelResourceTable &table, Model &model) {
  if (!table.mrt_entry())
    return Status::ok();
  for (const VGF::ModelResourceTableEntry *e : *table.mrt_entry()) {
    if (e->extra_config_type() != VGF::ExtraConfig_NONE)
      return unsupported(cat("resource ", model.resources.size(),
                             ": extra_config (sampler) is not supported"));
    Resource resource;
    resource.category = static_cast<ResourceCategory>(e->category());
    resource.descriptorType = e->vk_descriptor_type();
    resource.format = e->vk_format();
    if (const VGF::Description *d = e->description()) {
      resource.shape = vec(d->shape());
      resource.strides = vec(d->strides());
    }
    resource.aliasGroupId = e->alias_group_id();
    model.resources.push_back(std::move(resource));
  }
  return Status::ok();
}

/// Parses CONST00: header, count, records, and each record's payload bounds.
Status readConstants(const uint8_t *section, const SectionRange &range,
                     const std::shared_ptr<const void> &keepAlive, FileInfo &info,
                     Model &model) {
  uint64_t size = range.size;
  if (size < sizeof(kConstantsVersion))
    return bad(cat("constants section: expected at least ", sizeof(ConstantsHeader),
                   " bytes, got ", size));
  if (std::memcmp(section, kConstantsVersion, sizeof(kConstantsVersion)) != 0)
    return unsupported("constants section: expected the 'CONST00' layout; the legacy "
                       "FlatBuffers layout of format < 0.4.0 is not supported");
  if (size < sizeof(ConstantsHeader))
    return bad(cat("constants section: expected at least ", sizeof(ConstantsHeader),
                   " bytes, got ", size));
  ConstantsHeader header;
  std::memcpy(&header, section, sizeof(header));
  uint64_t maxCount = (size - sizeof(ConstantsHeader)) / sizeof(ConstantRecord);
  if (header.count > maxCount)
    return bad(cat("constants section: count ", header.count, " needs ", header.count,
                   " records of 24 bytes but the section holds at most ", maxCount));
  uint64_t payloadStart = sizeof(ConstantsHeader) + header.count * sizeof(ConstantRecord);
  uint64_t payloadSize = size - payloadStart;
  const uint8_t *payload = section + payloadStart;
  for (uint64_t i = 0; i < header.count; ++i) {
    ConstantRecord record;
    std::memcpy(&record, section + sizeof(ConstantsHeader) + i * sizeof(ConstantRecord),
                sizeof(record));
    std::string where = cat("constants section: record ", i);
    if (record.offset > payloadSize || record.size > payloadSize - record.offset)
      return bad(cat(where, ": payload [", record.offset, ", +", record.size,
                     ") lies past the end of the payload (", payloadSize, " bytes)"));
    if (record.offset % kConstantAlignment != 0)
      return bad(cat(where, ": payload offset ", record.offset, " is not a multiple of ",
                     kConstantAlignment));
    Constant constant = Constant::view(record.mrtIndex, payload + record.offset,
                                       record.size, keepAlive);
    constant.sparsityDimension = record.sparsityDimension;
    model.constants.push_back(std::move(constant));
    info.constantOffsets.push_back(range.offset + payloadStart + record.offset);
  }
  return Status::ok();
}

} // namespace

Expected<DecodedVgf> decodeVgf(const uint8_t *data, size_t size,
                               std::shared_ptr<const void> keepAlive) {
  if (reinterpret_cast<uintptr_t>(data) % kSectionAlignment != 0)
    return invalidArgument("decodeVgf: expected an 8-byte aligned buffer");
  DecodedVgf result;
  result.info.fileSize = size;
  if (size < sizeof(FileHeader))
    return bad(cat("file is ", size, " bytes, expected at least ", sizeof(FileHeader),
                   " (the header)"));
  FileHeader header;
  std::memcpy(&header, data, sizeof(header));
  FileInfo &info = result.info;
  KILN_RETURN_IF_ERROR(checkHeader(header, info));
  info.modules = header.modules;
  info.sequence = header.sequence;
  info.resources = header.resources;
  info.constants = header.constants;
  bool aligned8 = header.minor > 4 || (header.minor == 4 && header.patch >= 3);
  KILN_RETURN_IF_ERROR(checkSections({{{"modules", header.modules},
                                       {"sequence", header.sequence},
                                       {"resources", header.resources},
                                       {"constants", header.constants}}},
                                     size, aligned8));

  auto modules = verifyTable<VGF::ModuleTable>("modules", "ModuleTable", data, header.modules);
  if (!modules)
    return modules.takeStatus();
  auto sequence = verifyTable<VGF::ModelSequenceTable>("sequence", "ModelSequenceTable", data,
                                                       header.sequence);
  if (!sequence)
    return sequence.takeStatus();
  auto resources = verifyTable<VGF::ModelResourceTable>("resources", "ModelResourceTable",
                                                        data, header.resources);
  if (!resources)
    return resources.takeStatus();

  Model &model = result.model;
  model.vkHeaderVersion = header.vkHeaderVersion;
  KILN_RETURN_IF_ERROR(readModules(**modules, model));
  KILN_RETURN_IF_ERROR(readSequence(**sequence, model));
  KILN_RETURN_IF_ERROR(readResources(**resources, model));
  KILN_RETURN_IF_ERROR(
      readConstants(data + header.constants.offset, header.constants, keepAlive, info, model));
  KILN_RETURN_IF_ERROR(checkModel(model));
  for (size_t i = 0; i < model.segments.size(); ++i) {
    auto metadata = segmentMetadata(model, i);
    if (!metadata)
      return metadata.takeStatus();
  }
  return result;
}

Expected<DecodedVgf> decodeVgfCopy(const uint8_t *data, size_t size) {
  // 8-byte words: the alignment decodeVgf needs for every section.
  auto words = std::make_shared<std::vector<uint64_t>>((size + 7) / 8);
  if (size != 0)
    std::memcpy(words->data(), data, size);
  return decodeVgf(reinterpret_cast<const uint8_t *>(words->data()), size, words);
}

Expected<DecodedVgf> decodeVgfFile(const std::string &path) {
  auto file = MappedFile::open(path);
  if (!file)
    return file.takeStatus();
  std::shared_ptr<MappedFile> mapping = *file;
  auto decoded = decodeVgf(mapping->data(), mapping->size(), mapping);
  if (!decoded)
    return decoded.takeStatus().withContext(path + ": ");
  return decoded;
}

} // namespace kiln::vgf
