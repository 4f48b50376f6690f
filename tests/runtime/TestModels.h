#pragma once
/// Small `.vgf` containers for the runtime tests, built with the VGF encoder from the
/// GLSL shaders in shaders/ (compiled to SPIR-V at build time). Every model works on
/// kCount elements, dispatched as kCount / 16 workgroups of 16 invocations.

#include "kiln/vgf/Model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::rt::test {

inline constexpr uint32_t kCount = 64;

/// The SPIR-V words of shaders/<name>.comp.
std::vector<uint32_t> loadSpirv(const std::string &name);
/// Encodes `model` (a test failure is reported and an empty vector returned on error).
std::vector<uint8_t> encode(const vgf::Model &model);

/// The constant of the models below: c[i] = i / 2.
std::vector<float> constantValues();

/// y = x + c: one segment, f32 input [64], a bound CONSTANT c, f32 output [64].
vgf::Model addConstantModel();
/// y = ((x + c) * 2 + c) * 2: four segments through three intermediates; the first
/// and third share alias group 0 (the third overwrites the first's dead buffer).
vgf::Model chainModel();
/// y = x + 1 (module 0, portable) with module variants: first one needing a feature
/// bit no device has, then module 1, y = x + 2 in fp16, needing shaderFloat16.
vgf::Model variantModel();
/// y = 3 x, int8 input [64] to int32 output [64] (8-bit storage).
vgf::Model int8Model();

} // namespace kiln::rt::test
