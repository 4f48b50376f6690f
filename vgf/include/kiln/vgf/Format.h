#pragma once
/// The raw (non-FlatBuffers) parts of a VGF container as they lie on disk: the 128-byte
/// header, the CONST00 constants section and Kiln's segment-metadata prefix. Layout
/// facts come from Arm's ML SDK for Vulkan, format 0.4.3; docs/vgf.md has the table.
/// All multi-byte fields are little-endian host structs (no byte swapping), which is
/// what Arm's encoder writes; the static_asserts pin every offset.

#include <cstddef>
#include <cstdint>

namespace kiln::vgf {

static_assert(sizeof(void *) == 8, "the VGF reader assumes a 64-bit address space");

/// File magic: the bytes 'V','G','F','1'.
inline constexpr char kMagic[4] = {'V', 'G', 'F', '1'};
/// Deprecated magic, the u32 0xF0E1D2C3 stored little-endian; still accepted on read.
inline constexpr uint32_t kLegacyMagic = 0xF0E1D2C3u;

/// The version Kiln writes. Readers accept major 0, minor <= 4, any patch.
inline constexpr uint8_t kVersionMajor = 0;
inline constexpr uint8_t kVersionMinor = 4;
inline constexpr uint8_t kVersionPatch = 3;

/// Every section offset is a multiple of this (format 0.4.3 and later).
inline constexpr uint64_t kSectionAlignment = 8;
/// Each constant payload is padded to, and starts at, a multiple of this.
inline constexpr uint64_t kConstantAlignment = 8;

/// {offset, size} of one section, in bytes from the start of the file.
struct SectionRange {
  uint64_t offset;
  uint64_t size;
};
static_assert(sizeof(SectionRange) == 16);
static_assert(offsetof(SectionRange, offset) == 0);
static_assert(offsetof(SectionRange, size) == 8);

/// The fixed 128-byte file header.
struct FileHeader {
  char magic[4];
  uint16_t vkHeaderVersion; ///< VK_HEADER_VERSION the values were written against; 0 = none
  uint16_t reserved0;
  uint8_t major;
  uint8_t minor;
  uint8_t patch;
  uint8_t reserved1;
  uint32_t reserved2;
  SectionRange modules;
  SectionRange sequence;
  SectionRange resources;
  SectionRange constants;
  uint64_t reserved3[6];
};
static_assert(sizeof(FileHeader) == 128);
static_assert(offsetof(FileHeader, magic) == 0);
static_assert(offsetof(FileHeader, vkHeaderVersion) == 4);
static_assert(offsetof(FileHeader, reserved0) == 6);
static_assert(offsetof(FileHeader, major) == 8);
static_assert(offsetof(FileHeader, minor) == 9);
static_assert(offsetof(FileHeader, patch) == 10);
static_assert(offsetof(FileHeader, reserved1) == 11);
static_assert(offsetof(FileHeader, reserved2) == 12);
static_assert(offsetof(FileHeader, modules) == 16);
static_assert(offsetof(FileHeader, sequence) == 32);
static_assert(offsetof(FileHeader, resources) == 48);
static_assert(offsetof(FileHeader, constants) == 64);
static_assert(offsetof(FileHeader, reserved3) == 80);

/// Version tag at the start of the raw constants section: "CONST00\0".
inline constexpr char kConstantsVersion[8] = {'C', 'O', 'N', 'S', 'T', '0', '0', '\0'};

/// Start of the CONST00 section; `count` records follow, then the payload.
struct ConstantsHeader {
  char version[8];
  uint64_t count;
};
static_assert(sizeof(ConstantsHeader) == 16);
static_assert(offsetof(ConstantsHeader, version) == 0);
static_assert(offsetof(ConstantsHeader, count) == 8);

/// One CONST00 record (ConstantMetaDataV00). `offset` is relative to the payload start.
struct ConstantRecord {
  uint32_t mrtIndex;
  int32_t sparsityDimension; ///< -1 = dense; below -1 is invalid
  uint64_t size;             ///< unpadded byte count
  uint64_t offset;
};
static_assert(sizeof(ConstantRecord) == 24);
static_assert(offsetof(ConstantRecord, mrtIndex) == 0);
static_assert(offsetof(ConstantRecord, sparsityDimension) == 4);
static_assert(offsetof(ConstantRecord, size) == 8);
static_assert(offsetof(ConstantRecord, offset) == 16);

/// Prefix of a Kiln segment-metadata constant (a Kiln extension, see docs/vgf.md):
/// the opaque blob the codegen attaches to a segment follows it.
inline constexpr char kMetadataMagic[8] = {'K', 'I', 'L', 'N', 'M', 'E', 'T', 'A'};
inline constexpr uint32_t kMetadataVersion = 1;
struct MetadataHeader {
  char magic[8];
  uint32_t version;
  uint32_t blobSize; ///< bytes after this header; equals the constant size minus 16
};
static_assert(sizeof(MetadataHeader) == 16);
static_assert(offsetof(MetadataHeader, magic) == 0);
static_assert(offsetof(MetadataHeader, version) == 8);
static_assert(offsetof(MetadataHeader, blobSize) == 12);

/// Raw Vulkan enum values stored in the resource table. Only the ones Kiln reads and
/// writes are named; the VGF library treats these fields as opaque u32s.
inline constexpr uint32_t kDescriptorTypeNone = 0xFFFFFFFFu;
inline constexpr uint32_t kDescriptorTypeStorageBuffer = 7; // VK_DESCRIPTOR_TYPE_STORAGE_BUFFER

/// VkFormat values Kiln knows the element size of.
enum class Format : uint32_t {
  R8Uint = 13,
  R8Sint = 14,
  R16Uint = 74,
  R16Sint = 75,
  R16Sfloat = 76,
  R32Uint = 98,
  R32Sint = 99,
  R32Sfloat = 100,
  R64Sint = 111,
  R8BoolArm = 1000460000,
  R16Bfloat16Arm = 1000460001,
  R8Float8E4M3Arm = 1000460002,
  R8Float8E5M2Arm = 1000460003,
};

/// Bytes per element of a VkFormat value, or 0 when Kiln does not know it.
uint32_t formatElementSize(uint32_t vkFormat);
/// "R32_SINT" for a known VkFormat value, nullptr otherwise.
const char *formatName(uint32_t vkFormat);
/// "STORAGE_BUFFER" / "none" for a known descriptor type, nullptr otherwise.
const char *descriptorTypeName(uint32_t vkDescriptorType);

} // namespace kiln::vgf
