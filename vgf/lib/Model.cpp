#include "kiln/vgf/Model.h"

#include "Text.h"

#include <cstdio>

namespace kiln::vgf {

namespace detail {
std::string hex(uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%08llx", static_cast<unsigned long long>(value));
  return text;
}
} // namespace detail

const char *resourceCategoryName(ResourceCategory category) {
  switch (category) {
  case ResourceCategory::Input:
    return "INPUT";
  case ResourceCategory::Output:
    return "OUTPUT";
  case ResourceCategory::Intermediate:
    return "INTERMEDIATE";
  case ResourceCategory::Constant:
    return "CONSTANT";
  }
  return nullptr;
}

namespace {
struct FormatInfo {
  Format format;
  uint32_t elementSize;
  const char *name;
};
constexpr FormatInfo kFormats[] = {
    {Format::R8Uint, 1, "R8_UINT"},
    {Format::R8Sint, 1, "R8_SINT"},
    {Format::R16Uint, 2, "R16_UINT"},
    {Format::R16Sint, 2, "R16_SINT"},
    {Format::R16Sfloat, 2, "R16_SFLOAT"},
    {Format::R32Uint, 4, "R32_UINT"},
    {Format::R32Sint, 4, "R32_SINT"},
    {Format::R32Sfloat, 4, "R32_SFLOAT"},
    {Format::R64Sint, 8, "R64_SINT"},
    {Format::R8BoolArm, 1, "R8_BOOL_ARM"},
    {Format::R16Bfloat16Arm, 2, "R16_SFLOAT_FPENCODING_BFLOAT16_ARM"},
    {Format::R8Float8E4M3Arm, 1, "R8_SFLOAT_FPENCODING_FLOAT8E4M3_ARM"},
    {Format::R8Float8E5M2Arm, 1, "R8_SFLOAT_FPENCODING_FLOAT8E5M2_ARM"},
};

const FormatInfo *findFormat(uint32_t vkFormat) {
  for (const FormatInfo &info : kFormats)
    if (static_cast<uint32_t>(info.format) == vkFormat)
      return &info;
  return nullptr;
}
} // namespace

uint32_t formatElementSize(uint32_t vkFormat) {
  const FormatInfo *info = findFormat(vkFormat);
  return info ? info->elementSize : 0;
}

const char *formatName(uint32_t vkFormat) {
  const FormatInfo *info = findFormat(vkFormat);
  return info ? info->name : nullptr;
}

const char *descriptorTypeName(uint32_t vkDescriptorType) {
  switch (vkDescriptorType) {
  case kDescriptorTypeNone:
    return "none";
  case 1:
    return "COMBINED_IMAGE_SAMPLER";
  case 3:
    return "STORAGE_IMAGE";
  case 6:
    return "UNIFORM_BUFFER";
  case kDescriptorTypeStorageBuffer:
    return "STORAGE_BUFFER";
  case 1000460000:
    return "TENSOR_ARM";
  default:
    return nullptr;
  }
}

Constant Constant::view(uint32_t mrtIndex, const void *data, uint64_t size,
                        std::shared_ptr<const void> keepAlive) {
  Constant c;
  c.mrtIndex = mrtIndex;
  c.size = size;
  c.data = static_cast<const uint8_t *>(data);
  c.keepAlive = std::move(keepAlive);
  return c;
}

Constant Constant::owned(uint32_t mrtIndex, std::vector<uint8_t> bytes) {
  auto storage = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  return view(mrtIndex, storage->data(), storage->size(), storage);
}

Constant Constant::streamed(uint32_t mrtIndex, uint64_t size, ConstantProducer produce) {
  Constant c;
  c.mrtIndex = mrtIndex;
  c.size = size;
  c.produce = std::move(produce);
  return c;
}

} // namespace kiln::vgf
