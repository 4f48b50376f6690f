#pragma once
/// Error statistics between a reference output and an actual output, as
/// `kiln-run --compare-to` prints them and benchmarks report them.

#include "kiln/reference/Tensor.h"
#include "kiln/support/Sqnr.h"

#include <cstddef>

namespace kiln::ref {

struct ErrorStats {
  double maxAbsError = 0.0;
  /// Largest distance in units in the last place of the element type; only for
  /// float tensors (0 otherwise). A NaN on one side only counts as infinite.
  double maxUlp = 0.0;
  double sqnrDb = 0.0;
};

/// Compares two tensors of the same element type and shape (the caller checks).
ErrorStats compareTensors(const Tensor &ref, const Tensor &actual);

} // namespace kiln::ref
