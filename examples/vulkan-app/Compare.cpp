#include "Compare.h"

#include "kiln/runtime/Npy.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

bool matchesExpected(const float *actual, size_t count, const std::string &path, double tolerance) {
  kiln::Expected<kiln::rt::NpyArray> expected = kiln::rt::readNpy(path);
  if (!expected) {
    std::fprintf(stderr, "error: %s\n", expected.status().message().c_str());
    return false;
  }
  if (expected->dtype != kiln::rt::DType::F32 || size_t(expected->numElements()) != count) {
    std::fprintf(stderr, "error: %s: expected %zu f32 values, got %lld %s values\n", path.c_str(),
                 count, static_cast<long long>(expected->numElements()),
                 kiln::rt::dtypeName(expected->dtype));
    return false;
  }
  const float *want = expected->as<float>();
  double magnitude = 1, maxError = 0;
  size_t worst = 0;
  for (size_t i = 0; i < count; ++i) {
    magnitude = std::max(magnitude, std::fabs(double(want[i])));
    double error = std::fabs(double(actual[i]) - double(want[i]));
    // A NaN is the worst error and stays so.
    if (!std::isnan(maxError) && (std::isnan(error) || error > maxError)) {
      maxError = error;
      worst = i;
    }
  }
  double bound = tolerance * magnitude;
  std::printf("max abs error %g at %zu (bound %g)\n", maxError, worst, bound);
  if (maxError <= bound)
    return true;
  std::fprintf(stderr, "error: output[%zu] = %.9g, expected %.9g (%s)\n", worst, actual[worst],
               want[worst], path.c_str());
  return false;
}
