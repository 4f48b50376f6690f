#pragma once
/// Helpers shared by the CPU kernel tests.

#include "kiln/cpu/ScalarKernels.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace kiln::cpu::test {

/// The random seed of a test run: KILN_TEST_SEED, else 1234; printed so a failure can
/// be replayed.
inline uint32_t testSeed() {
  const char *env = std::getenv("KILN_TEST_SEED");
  uint32_t seed = env ? uint32_t(std::strtoul(env, nullptr, 10)) : 1234u;
  std::printf("KILN_TEST_SEED=%u\n", seed);
  return seed;
}

/// A kernel buffer over a vector's bytes.
template <typename T> BufferView view(std::vector<T> &v) { return {v.data(), v.size() * sizeof(T)}; }

} // namespace kiln::cpu::test
