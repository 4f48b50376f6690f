#include "kiln/runtime/Interface.h"

#include "kiln/vgf/Format.h"

namespace kiln::rt {
namespace {

Expected<DType> dtypeOfFormat(uint32_t format) {
  switch (static_cast<vgf::Format>(format)) {
  case vgf::Format::R32Sfloat: return DType::F32;
  case vgf::Format::R16Sfloat: return DType::F16;
  case vgf::Format::R8Sint: return DType::I8;
  case vgf::Format::R8Uint: return DType::U8;
  case vgf::Format::R16Sint: return DType::I16;
  case vgf::Format::R32Sint: return DType::I32;
  case vgf::Format::R64Sint: return DType::I64;
  default: {
    const char *name = vgf::formatName(format);
    return Status(StatusCode::Unsupported, std::string("format ") +
                                               (name ? name : std::to_string(format)) +
                                               " has no .npy dtype");
  }
  }
}

Expected<std::vector<TensorInfo>> describe(const vgf::Model &model,
                                           const std::vector<vgf::BindingSlot> &slots,
                                           const std::vector<std::string> &names,
                                           const char *kind) {
  std::vector<TensorInfo> infos;
  for (size_t i = 0; i < slots.size(); ++i) {
    const vgf::Resource &r = model.resources[slots[i].mrtIndex];
    std::string label = i < names.size() ? names[i] : std::string(kind) + "_" + std::to_string(i);
    Expected<DType> dtype = dtypeOfFormat(r.format);
    if (!dtype)
      return dtype.takeStatus().withContext(std::string(kind) + " " + std::to_string(i) + " '" +
                                            label + "': ");
    infos.push_back({label, *dtype, r.shape, static_cast<size_t>(resourceBytes(r))});
  }
  return infos;
}

} // namespace

uint64_t resourceBytes(const vgf::Resource &resource) {
  uint64_t count = 1;
  for (int64_t d : resource.shape)
    count *= static_cast<uint64_t>(d);
  return count * vgf::formatElementSize(resource.format);
}

Expected<std::vector<TensorInfo>> modelInputs(const vgf::Model &model) {
  return describe(model, model.inputs, model.inputNames, "input");
}

Expected<std::vector<TensorInfo>> modelOutputs(const vgf::Model &model) {
  return describe(model, model.outputs, model.outputNames, "output");
}

} // namespace kiln::rt
