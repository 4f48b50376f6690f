#include "Compile.h"

#include "kiln/compiler/Compiler.h"
#include "kiln/import/BuiltinModels.h"
#include "kiln/runtime/Npy.h"
#include "kiln/vgf/Encoder.h"

#include "mlir/IR/Diagnostics.h"

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <unistd.h>

namespace kiln::bench {

std::vector<float> gaussian(size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> values(count);
  for (float &v : values)
    v = normal(rng);
  return values;
}

namespace {

/// The calibration samples of a pqs8_qc8w model, in a file the pipeline reads.
Expected<std::string> writeCalibration(int64_t features) {
  rt::NpyArray samples;
  samples.dtype = rt::DType::F32;
  samples.shape = {16, features};
  std::vector<float> values = gaussian(size_t(16 * features), 99);
  samples.data.resize(values.size() * sizeof(float));
  std::memcpy(samples.data.data(), values.data(), samples.data.size());
  std::string path = (std::filesystem::temp_directory_path() /
                      ("kiln-bench-calibration-" + std::to_string(getpid()) + ".npy"))
                         .string();
  Status written = rt::writeNpy(path, samples);
  if (!written.isOk())
    return written;
  return path;
}

} // namespace

Expected<CompiledModel> compileModel(const ModelSpec &spec) {
  std::optional<SchemeKind> scheme = parseSchemeName(spec.scheme);
  if (!scheme)
    return invalidArgument("unknown scheme '" + spec.scheme + "', expected one of " +
                           allSchemeNames());
  auto start = std::chrono::steady_clock::now();
  mlir::DialectRegistry registry;
  registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  context.printOpOnDiagnostic(false);
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  auto failure = [&](const std::string &what) {
    return internalError("compiling " + spec.model + " (" + spec.scheme + ") failed: " + what +
                         "\n" + diagnostics);
  };

  BuiltinModelOptions options;
  options.batch = spec.batch;
  options.scheme = *scheme;
  options.seed = spec.seed;
  if (!spec.sizes.empty())
    options.mlpSizes = spec.sizes;
  mlir::OwningOpRef<mlir::ModuleOp> module = buildBuiltinModel(&context, spec.model, options);
  if (!module)
    return failure("cannot build the built-in model");

  CompileOptions compile;
  if (*scheme == SchemeKind::pqs8_qc8w) {
    int64_t features = spec.sizes.empty() ? 256 : spec.sizes.front();
    Expected<std::string> path = writeCalibration(features);
    if (!path)
      return path.status();
    compile.calibrationData = *path;
  }
  Expected<vgf::Model> model = compileToVgf(*module, compile);
  if (!compile.calibrationData.empty())
    std::remove(compile.calibrationData.c_str());
  if (!model)
    return failure(model.status().message());
  Expected<std::vector<uint8_t>> bytes = vgf::encodeVgf(*model);
  if (!bytes)
    return bytes.status();
  CompiledModel compiled;
  compiled.vgf = std::move(*bytes);
  compiled.compileMilliseconds =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return compiled;
}

} // namespace kiln::bench
