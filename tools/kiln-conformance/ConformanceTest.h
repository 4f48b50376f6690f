#pragma once
/// One test of the TOSA conformance layout: a directory with a `desc.json` that names
/// the `.tosa` graph, the input `.npy` files (one per graph input, in order) and the
/// expected output `.npy` files (one per graph output, in order).

#include "kiln/support/Status.h"

#include <string>
#include <vector>

namespace kiln::conformance {

struct ConformanceTest {
  std::string name; ///< the directory, relative to the walked root
  std::string tosaFile;
  std::vector<std::string> inputFiles;
  std::vector<std::string> expectedFiles;
  /// The graph is invalid on purpose: the test passes when Kiln rejects it.
  bool expectedFailure = false;
};

/// Reads `dir`/desc.json: "tosa_file", "ifm_file" and the expected outputs from
/// "expected_result_file" (the conformance suite's key), else "ofm_file"; paths are
/// made relative to `dir`. Every problem names the file and the key.
Expected<ConformanceTest> readTest(const std::string &dir, const std::string &name);

/// Every directory under `root` (itself included) that holds a desc.json, sorted.
Expected<std::vector<std::string>> findTestDirs(const std::string &root);

} // namespace kiln::conformance
