#pragma once
// Checks the model output against an expected .npy (e.g. from `kiln-run --backend=cpu`).

#include <cstddef>
#include <string>

/// Prints the max abs error; true when every element is within
/// `tolerance * max(1, max |expected|)` of the expected .npy at `path` (f32, `count`
/// elements). Vulkan and CPU fp32 results differ by rounding only
/// (docs/numerics.md), so the bound is relative to the output's magnitude.
bool matchesExpected(const float *actual, size_t count, const std::string &path, double tolerance);
