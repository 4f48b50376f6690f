#pragma once
/// A tiny, valid container for tests, lit and the fuzz corpus, built without the
/// compiler: one int32 add compute module (a real SPIR-V shader, sample_add.comp),
/// two inputs, one output, one constant bound as a storage buffer, and a segment
/// metadata blob.

#include "kiln/vgf/Model.h"

namespace kiln::vgf {

/// Elements of every sample buffer (one workgroup of 64 invocations).
inline constexpr int64_t kSampleElements = 64;

/// The sample model; its constant holds k[i] = i.
Model buildSampleModel();

} // namespace kiln::vgf
