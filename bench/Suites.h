#pragma once
/// The named suites of kiln-bench and the run that measures them.

#include "Measure.h"
#include "Results.h"

#include "kiln/support/Status.h"

#include <string>
#include <vector>

namespace kiln::bench {

/// One GEMM case: a compiled one-layer model (or DemoLinearModel) in one scheme.
struct GemmCase {
  std::string group;
  std::string model; ///< "demo-linear" or "mlp"
  std::string scheme;
  int64_t m = 1, n = 1, k = 1;
};

struct Suite {
  std::string name;
  std::string description;
  std::vector<GemmCase> gemms;
  bool decodeStack = false; ///< 16 layers of 2048x8192 at M=1, per scheme
};

/// smoke, demo, llama, decode, all.
const std::vector<Suite> &suites();
/// The suite named `name`, or an InvalidArgument error listing the names.
Expected<const Suite *> findSuite(const std::string &name);

struct RunOptions {
  std::vector<const Suite *> suites;
  bool cpu = true, vulkan = true;
  std::vector<unsigned> threads; ///< CPU thread counts; baselines use the same
  MeasureOptions measure;
  bool baselines = true;
  /// Runs only the cases whose name ("llama 128x2048x8192 qp8_f32_qc8w",
  /// "decode 16x(2048x8192) pf32") contains this; empty runs all.
  std::string filter;
};

/// Measures every case of `options.suites` into `report` (machine limits first).
/// A failure to compile or load stops the run with its message.
Status runSuites(const RunOptions &options, Report &report);

} // namespace kiln::bench
