#include "kiln/vgf/Metadata.h"

#include "Text.h"

#include <cstring>
#include <limits>

namespace kiln::vgf {
namespace {

using detail::cat;

/// Whether constant `index` has the shape of a metadata carrier and starts with the
/// magic. Streamed constants (encoder side) cannot be inspected and never match.
bool carriesMetadata(const Model &model, uint32_t index) {
  const Constant &c = model.constants[index];
  const Resource &r = model.resources[c.mrtIndex];
  return r.category == ResourceCategory::Constant &&
         r.format == static_cast<uint32_t>(Format::R8Uint) && r.shape.size() == 1 &&
         c.data != nullptr && c.size >= sizeof(MetadataHeader) &&
         std::memcmp(c.data, kMetadataMagic, sizeof(kMetadataMagic)) == 0;
}

} // namespace

Status addSegmentMetadata(Model &model, size_t segmentIndex, const void *blob, size_t size) {
  if (segmentIndex >= model.segments.size())
    return invalidArgument(cat("segment metadata: segment ", segmentIndex,
                               " out of range, expected < ", model.segments.size()));
  if (size > std::numeric_limits<uint32_t>::max() - sizeof(MetadataHeader))
    return invalidArgument(cat("segment metadata: blob of ", size,
                               " bytes does not fit the u32 size field"));
  auto existing = segmentMetadata(model, segmentIndex);
  if (!existing)
    return existing.takeStatus();
  if (existing->has_value())
    return invalidArgument(cat("segment metadata: segment ", segmentIndex,
                               " already has a metadata blob"));

  MetadataHeader header;
  std::memcpy(header.magic, kMetadataMagic, sizeof(kMetadataMagic));
  header.version = kMetadataVersion;
  header.blobSize = static_cast<uint32_t>(size);
  std::vector<uint8_t> bytes(sizeof(header) + size);
  std::memcpy(bytes.data(), &header, sizeof(header));
  if (size > 0)
    std::memcpy(bytes.data() + sizeof(header), blob, size);

  Resource resource;
  resource.category = ResourceCategory::Constant;
  resource.descriptorType = kDescriptorTypeNone;
  resource.format = static_cast<uint32_t>(Format::R8Uint);
  resource.shape = {static_cast<int64_t>(bytes.size())};
  auto mrtIndex = static_cast<uint32_t>(model.resources.size());
  model.resources.push_back(std::move(resource));
  auto constantIndex = static_cast<uint32_t>(model.constants.size());
  model.constants.push_back(Constant::owned(mrtIndex, std::move(bytes)));
  model.segments[segmentIndex].constants.push_back(constantIndex);
  return Status::ok();
}

Expected<std::optional<ByteView>> segmentMetadata(const Model &model, size_t segmentIndex) {
  if (segmentIndex >= model.segments.size())
    return invalidArgument(cat("segment metadata: segment ", segmentIndex,
                               " out of range, expected < ", model.segments.size()));
  const Segment &segment = model.segments[segmentIndex];
  std::optional<ByteView> found;
  for (uint32_t index : segment.constants) {
    // Indexes are only trusted after checkModel; skip what it would reject.
    if (index >= model.constants.size() ||
        model.constants[index].mrtIndex >= model.resources.size() ||
        !carriesMetadata(model, index))
      continue;
    std::string where = cat("segment ", segmentIndex, " '", segment.name,
                            "': metadata constant ", index);
    if (found)
      return invalidFile(where + ": expected at most one metadata blob per segment");
    const Constant &c = model.constants[index];
    MetadataHeader header;
    std::memcpy(&header, c.data, sizeof(header));
    if (header.version != kMetadataVersion)
      return unsupported(cat(where, ": metadata version ", header.version,
                             " is not supported, expected ", kMetadataVersion));
    if (header.blobSize != c.size - sizeof(header))
      return invalidFile(cat(where, ": header says ", header.blobSize,
                             " blob bytes, the constant holds ", c.size - sizeof(header)));
    found = ByteView{c.data + sizeof(header), header.blobSize};
  }
  return found;
}

} // namespace kiln::vgf
