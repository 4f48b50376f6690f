#pragma once
/// The in-memory description of a VGF container: what the encoder writes and what the
/// decoder returns. It mirrors the file field by field (so decode -> encode reproduces
/// the bytes) except that constant payloads are referenced, never owned by value: a
/// constant is a view, an owned buffer or a streaming producer, so a 1 GiB weight is
/// never copied into a second buffer on either side.

#include "kiln/support/Files.h"
#include "kiln/support/Status.h"
#include "kiln/vgf/Format.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiln::vgf {

/// Category of a model resource table entry (VGF::ResourceCategory).
enum class ResourceCategory : uint8_t {
  Input = 0,
  Output = 1,
  Intermediate = 2,
  Constant = 3,
};
const char *resourceCategoryName(ResourceCategory category);

/// Written as the "unset" sentinel of DescriptorSet::setIndex / Resource::aliasGroupId.
inline constexpr uint32_t kUnset = 0xFFFFFFFFu;

/// A COMPUTE module: one SPIR-V compute shader.
struct Module {
  std::string name;
  std::string entryPoint = "main";
  std::vector<uint32_t> spirv; ///< all words, SPIR-V header included
};

/// A (binding number, model resource table index) pair.
struct BindingSlot {
  uint32_t binding = 0;
  uint32_t mrtIndex = 0;
};

struct DescriptorSet {
  uint32_t setIndex = 0; ///< written explicitly; files without it decode to the position
  std::vector<BindingSlot> bindings;
};

struct PushConstantRange {
  uint32_t stageFlags = 0x20; ///< VK_SHADER_STAGE_COMPUTE_BIT
  uint32_t offset = 0;
  uint32_t size = 0; ///< bytes, a multiple of 4
};

/// One COMPUTE dispatch.
struct Segment {
  std::string name;
  uint32_t moduleIndex = 0;
  std::vector<DescriptorSet> descriptorSets;
  std::vector<BindingSlot> inputs;
  std::vector<BindingSlot> outputs;
  std::vector<uint32_t> constants;     ///< indexes into Model::constants
  std::vector<uint32_t> dispatchShape; ///< workgroup counts; a valid file has exactly 3
  std::vector<PushConstantRange> pushConstantRanges;
};

/// One model resource table entry.
struct Resource {
  ResourceCategory category = ResourceCategory::Intermediate;
  uint32_t descriptorType = kDescriptorTypeStorageBuffer; ///< kDescriptorTypeNone for constants
  uint32_t format = static_cast<uint32_t>(Format::R8Uint);
  std::vector<int64_t> shape;   ///< in elements
  std::vector<int64_t> strides; ///< empty = packed
  uint32_t aliasGroupId = kUnset;
};

/// Streams exactly `size` bytes of a constant into the sink, in any number of writes.
using ConstantProducer = std::function<Status(ByteSink &)>;

/// One CONST00 record and where its bytes come from.
struct Constant {
  uint32_t mrtIndex = 0;
  int32_t sparsityDimension = -1;
  uint64_t size = 0;
  /// Exactly one of `data` (a view, valid while `keepAlive` or the caller holds it) and
  /// `produce` supplies the bytes.
  const uint8_t *data = nullptr;
  ConstantProducer produce;
  std::shared_ptr<const void> keepAlive;

  /// A view of bytes owned elsewhere (a mapping, the caller's buffer).
  static Constant view(uint32_t mrtIndex, const void *data, uint64_t size,
                       std::shared_ptr<const void> keepAlive = {});
  /// Takes ownership of `bytes` (small payloads such as segment metadata).
  static Constant owned(uint32_t mrtIndex, std::vector<uint8_t> bytes);
  /// Bytes produced on demand while the file is written.
  static Constant streamed(uint32_t mrtIndex, uint64_t size, ConstantProducer produce);
};

/// A whole container.
struct Model {
  uint16_t vkHeaderVersion = 0; ///< 0: enum values are not tied to a Vulkan header version
  std::vector<Module> modules;
  std::vector<Segment> segments;
  std::vector<Resource> resources;
  std::vector<BindingSlot> inputs;
  std::vector<BindingSlot> outputs;
  std::vector<std::string> inputNames;  ///< empty or as long as `inputs`
  std::vector<std::string> outputNames; ///< empty or as long as `outputs`
  std::vector<Constant> constants;
};

/// Checks every cross reference and rule that does not depend on the byte layout:
/// indexes in range, 3 non-zero workgroup counts, SPIR-V magic, constant records that
/// agree with their resource entries, no arithmetic overflow. The decoder runs it on
/// what it read (failures are InvalidFile) and the encoder on what it is asked to
/// write, so both sides enforce one rule set. Content that is valid VGF but that Kiln
/// does not run (sparse constants, unknown descriptor types) fails with Unsupported.
Status checkModel(const Model &model);

} // namespace kiln::vgf
