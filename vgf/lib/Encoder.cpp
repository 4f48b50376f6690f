#include "kiln/vgf/Encoder.h"

#include "Text.h"
#include "kiln/vgf/vgf_generated.h"

#include <cstring>

namespace kiln::vgf {
namespace {

using detail::cat;
namespace fb = flatbuffers;

uint64_t alignUp(uint64_t value, uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

fb::Offset<VGF::BindingSlot> slot(fb::FlatBufferBuilder &b, const BindingSlot &s) {
  return VGF::CreateBindingSlot(b, s.binding, s.mrtIndex);
}

fb::Offset<fb::Vector<fb::Offset<VGF::BindingSlot>>>
slots(fb::FlatBufferBuilder &b, const std::vector<BindingSlot> &list) {
  std::vector<fb::Offset<VGF::BindingSlot>> offsets;
  for (const BindingSlot &s : list)
    offsets.push_back(slot(b, s));
  return b.CreateVector(offsets);
}

void buildModuleTable(fb::FlatBufferBuilder &b, const Model &model) {
  std::vector<fb::Offset<VGF::Module>> modules;
  for (const Module &m : model.modules) {
    auto words = b.CreateVector(m.spirv);
    auto code = VGF::CreateSPIRV(b, words);
    modules.push_back(VGF::CreateModule(b, VGF::ModuleType_COMPUTE, b.CreateString(m.name),
                                        b.CreateString(m.entryPoint),
                                        VGF::ModuleCode_SPIRV, code.Union()));
  }
  b.Finish(VGF::CreateModuleTable(b, b.CreateVector(modules)));
}

void buildSequenceTable(fb::FlatBufferBuilder &b, const Model &model) {
  std::vector<fb::Offset<VGF::SegmentInfo>> segments;
  for (const Segment &s : model.segments) {
    std::vector<fb::Offset<VGF::DescriptorSetInfo>> sets;
    for (const DescriptorSet &set : s.descriptorSets)
      sets.push_back(VGF::CreateDescriptorSetInfo(b, slots(b, set.bindings), set.setIndex));
    std::vector<fb::Offset<VGF::PushConstantRange>> ranges;
    for (const PushConstantRange &r : s.pushConstantRanges)
      ranges.push_back(VGF::CreatePushConstantRange(b, r.stageFlags, r.offset, r.size));
    segments.push_back(VGF::CreateSegmentInfo(
        b, VGF::ModuleType_COMPUTE, b.CreateString(s.name), s.moduleIndex,
        b.CreateVector(sets), slots(b, s.inputs), slots(b, s.outputs),
        b.CreateVector(s.constants), b.CreateVector(s.dispatchShape),
        b.CreateVector(ranges)));
  }
  auto inputs = slots(b, model.inputs);
  auto outputs = slots(b, model.outputs);
  b.Finish(VGF::CreateModelSequenceTable(b, b.CreateVector(segments), inputs, outputs,
                                         b.CreateVectorOfStrings(model.inputNames),
                                         b.CreateVectorOfStrings(model.outputNames)));
}

void buildResourceTable(fb::FlatBufferBuilder &b, const Model &model) {
  std::vector<fb::Offset<VGF::ModelResourceTableEntry>> entries;
  for (const Resource &r : model.resources) {
    auto description =
        VGF::CreateDescription(b, b.CreateVector(r.shape), b.CreateVector(r.strides));
    entries.push_back(VGF::CreateModelResourceTableEntry(
        b, r.descriptorType, r.format, static_cast<VGF::ResourceCategory>(r.category),
        description, VGF::ExtraConfig_NONE, 0, r.aliasGroupId));
  }
  b.Finish(VGF::CreateModelResourceTable(b, b.CreateVector(entries)));
}

/// Forwards at most `limit` bytes of a constant producer and counts them.
class CountingSink final : public ByteSink {
public:
  CountingSink(ByteSink &inner, uint64_t limit, size_t index)
      : inner_(inner), limit_(limit), index_(index) {}
  Status write(const void *data, size_t size) override {
    if (size > limit_ - written_)
      return invalidArgument(cat("constant ", index_, ": producer wrote more than the ",
                                 limit_, " bytes it declared"));
    written_ += size;
    return inner_.write(data, size);
  }
  uint64_t written() const { return written_; }

private:
  ByteSink &inner_;
  uint64_t limit_;
  uint64_t written_ = 0;
  size_t index_;
};

Status writeZeros(ByteSink &sink, uint64_t count) {
  static const uint8_t kZeros[kSectionAlignment] = {};
  return count == 0 ? Status::ok() : sink.write(kZeros, count);
}

Status writeConstant(ByteSink &sink, const Constant &c, size_t index) {
  if (c.data) {
    KILN_RETURN_IF_ERROR(sink.write(c.data, c.size));
  } else {
    CountingSink counter(sink, c.size, index);
    KILN_RETURN_IF_ERROR(c.produce(counter));
    if (counter.written() != c.size)
      return invalidArgument(cat("constant ", index, ": producer wrote ", counter.written(),
                                 " bytes, expected ", c.size));
  }
  return writeZeros(sink, alignUp(c.size, kConstantAlignment) - c.size);
}

class VectorSink final : public ByteSink {
public:
  explicit VectorSink(std::vector<uint8_t> &out) : out_(out) {}
  Status write(const void *data, size_t size) override {
    const auto *bytes = static_cast<const uint8_t *>(data);
    out_.insert(out_.end(), bytes, bytes + size);
    return Status::ok();
  }

private:
  std::vector<uint8_t> &out_;
};

} // namespace

Status writeVgf(const Model &model, ByteSink &sink, const EncodeOptions &options) {
  if (options.validate) {
    Status status = checkModel(model);
    if (!status.isOk())
      return Status(status.code() == StatusCode::InvalidFile ? StatusCode::InvalidArgument
                                                             : status.code(),
                    "refusing to write an invalid VGF container: " + status.message());
  }
  // The records and padding must be computable before any byte is written.
  uint64_t payloadSize = 0;
  std::vector<ConstantRecord> records;
  for (size_t i = 0; i < model.constants.size(); ++i) {
    const Constant &c = model.constants[i];
    if (c.size > 0 && (c.data != nullptr) == static_cast<bool>(c.produce))
      return invalidArgument(cat("constant ", i, ": expected exactly one of data or produce"));
    if (c.size > UINT64_MAX - payloadSize - kConstantAlignment)
      return invalidArgument(cat("constant ", i, ": payload size overflows 64 bits"));
    records.push_back({c.mrtIndex, c.sparsityDimension, c.size, payloadSize});
    payloadSize += alignUp(c.size, kConstantAlignment);
  }

  fb::FlatBufferBuilder modules, sequence, resources;
  buildModuleTable(modules, model);
  buildSequenceTable(sequence, model);
  buildResourceTable(resources, model);

  FileHeader header;
  std::memset(&header, 0, sizeof(header));
  std::memcpy(header.magic, kMagic, sizeof(kMagic));
  header.vkHeaderVersion = model.vkHeaderVersion;
  header.major = kVersionMajor;
  header.minor = kVersionMinor;
  header.patch = kVersionPatch;
  header.modules = {sizeof(FileHeader), modules.GetSize()};
  auto after = [](const SectionRange &r) { return alignUp(r.offset + r.size, kSectionAlignment); };
  header.sequence = {after(header.modules), sequence.GetSize()};
  header.resources = {after(header.sequence), resources.GetSize()};
  uint64_t constantsSize = sizeof(ConstantsHeader) + records.size() * sizeof(ConstantRecord);
  header.constants = {after(header.resources), constantsSize + payloadSize};

  ConstantsHeader constantsHeader;
  std::memcpy(constantsHeader.version, kConstantsVersion, sizeof(kConstantsVersion));
  constantsHeader.count = records.size();

  uint64_t position = 0;
  auto section = [&](const SectionRange &range, const void *data, size_t size) -> Status {
    KILN_RETURN_IF_ERROR(writeZeros(sink, range.offset - position));
    position = range.offset + range.size;
    return sink.write(data, size);
  };
  KILN_RETURN_IF_ERROR(sink.write(&header, sizeof(header)));
  position = sizeof(header);
  KILN_RETURN_IF_ERROR(section(header.modules, modules.GetBufferPointer(), modules.GetSize()));
  KILN_RETURN_IF_ERROR(
      section(header.sequence, sequence.GetBufferPointer(), sequence.GetSize()));
  KILN_RETURN_IF_ERROR(
      section(header.resources, resources.GetBufferPointer(), resources.GetSize()));
  KILN_RETURN_IF_ERROR(section(header.constants, &constantsHeader, sizeof(constantsHeader)));
  if (!records.empty())
    KILN_RETURN_IF_ERROR(sink.write(records.data(), records.size() * sizeof(ConstantRecord)));
  for (size_t i = 0; i < model.constants.size(); ++i)
    KILN_RETURN_IF_ERROR(writeConstant(sink, model.constants[i], i));
  return Status::ok();
}

Status writeVgfFile(const std::string &path, const Model &model, const EncodeOptions &options) {
  return writeFileAtomically(path, [&](ByteSink &sink) {
    return writeVgf(model, sink, options).withContext(path + ": ");
  });
}

Expected<std::vector<uint8_t>> encodeVgf(const Model &model, const EncodeOptions &options) {
  std::vector<uint8_t> bytes;
  VectorSink sink(bytes);
  KILN_RETURN_IF_ERROR(writeVgf(model, sink, options));
  return bytes;
}

} // namespace kiln::vgf
