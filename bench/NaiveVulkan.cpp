#include "NaiveVulkan.h"

#include "kiln/vgf/Encoder.h"
#include "kiln/vgf/Model.h"

#include <cstring>
#include <iterator>
#include <string>

// Generated at build time by glslangValidator from naive_gemm.comp, one per define.
#include "naive_gemm_f32.spv.h"
#include "naive_gemm_i4.spv.h"
#include "naive_gemm_i8.spv.h"

namespace kiln::bench {

NaiveOperands naiveOperandsFor(const std::string &scheme) {
  if (scheme == "pf32" || scheme == "pf16")
    return NaiveOperands::F32;
  return scheme == "qp8_f32_qb4w" ? NaiveOperands::I4 : NaiveOperands::I8;
}

Expected<std::vector<uint8_t>> buildNaiveGemm(NaiveOperands operands, int64_t m, int64_t n,
                                              int64_t k, uint64_t *inputBytes) {
  vgf::Model model;
  const uint32_t *begin = nullptr, *end = nullptr;
  vgf::Format element = vgf::Format::R8Sint;
  int64_t weightBytes = n * k;
  switch (operands) {
  case NaiveOperands::F32:
    begin = std::begin(kNaiveF32), end = std::end(kNaiveF32);
    element = vgf::Format::R32Sfloat;
    weightBytes = n * k * 4;
    break;
  case NaiveOperands::I8:
    begin = std::begin(kNaiveI8), end = std::end(kNaiveI8);
    break;
  case NaiveOperands::I4:
    begin = std::begin(kNaiveI4), end = std::end(kNaiveI4);
    weightBytes = n * k / 2;
    break;
  }
  model.modules.push_back({"naive_gemm", "main", {begin, end}});

  auto resource = [](vgf::ResourceCategory category, vgf::Format format,
                     std::vector<int64_t> shape) {
    vgf::Resource r;
    r.category = category;
    r.descriptorType = category == vgf::ResourceCategory::Constant ? vgf::kDescriptorTypeNone
                                                                   : vgf::kDescriptorTypeStorageBuffer;
    r.format = static_cast<uint32_t>(format);
    r.shape = std::move(shape);
    return r;
  };
  int64_t inputElementBytes = operands == NaiveOperands::F32 ? 4 : 1;
  model.resources = {
      resource(vgf::ResourceCategory::Input, element, {m, k}),
      resource(vgf::ResourceCategory::Constant, vgf::Format::R8Sint, {weightBytes}),
      resource(vgf::ResourceCategory::Constant, vgf::Format::R32Uint, {4}),
      resource(vgf::ResourceCategory::Output, vgf::Format::R32Sfloat, {m, n})};

  // Small values: any do for a timing baseline; they keep int accumulators far from
  // overflow, and fp32 ones are normal numbers (denormals could be slow on the CPU).
  std::vector<uint8_t> weights(static_cast<size_t>(weightBytes));
  if (operands == NaiveOperands::F32) {
    for (size_t i = 0; i < weights.size() / 4; ++i) {
      float v = 0.01f * float(int(i % 7) - 3);
      std::memcpy(&weights[i * 4], &v, 4);
    }
  } else {
    for (size_t i = 0; i < weights.size(); ++i)
      weights[i] = uint8_t(i * 2654435761u >> 24) & 0x33;
  }
  uint32_t shape[4] = {uint32_t(m), uint32_t(n), uint32_t(k), 0};
  std::vector<uint8_t> shapeBytes(sizeof(shape));
  std::memcpy(shapeBytes.data(), shape, sizeof(shape));
  model.constants.push_back(vgf::Constant::owned(1, std::move(weights)));
  model.constants.push_back(vgf::Constant::owned(2, std::move(shapeBytes)));

  vgf::Segment segment;
  segment.name = "naive_gemm";
  segment.descriptorSets = {{0, {{0, 0}, {1, 1}, {2, 2}, {3, 3}}}};
  segment.inputs = {{0, 0}};
  segment.outputs = {{3, 3}};
  segment.constants = {0, 1};
  segment.dispatchShape = {uint32_t((m * n + 63) / 64), 1, 1};
  model.segments.push_back(std::move(segment));
  model.inputs = {{0, 0}};
  model.outputs = {{3, 3}};
  model.inputNames = {"x"};
  model.outputNames = {"y"};
  *inputBytes = uint64_t(m * k * inputElementBytes);
  return vgf::encodeVgf(model);
}

} // namespace kiln::bench
