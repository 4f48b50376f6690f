//===- WeightReport.cpp - kiln-compile --report ------------------------------===//

#include "kiln/passes/WeightReport.h"

#include "kiln/passes/Quantizers.h"
#include "kiln/support/FloatFormat.h"
#include "kiln/support/Sqnr.h"

#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"

#include <cmath>

using namespace mlir;

namespace kiln {
namespace {

/// The weights the scheme's kernels compute with, back in fp32.
std::vector<float> quantizedValues(SchemeAttr scheme, const std::vector<float> &w,
                                   int64_t n, int64_t k) {
  switch (weightStorage(scheme.getKind())) {
  case WeightStorage::F32:
    return w;
  case WeightStorage::F16: {
    std::vector<float> out(w.size());
    for (size_t i = 0; i < w.size(); ++i)
      out[i] = static_cast<float>(decodeFloat(floatToF16Saturating(w[i]), kFp16));
    return out;
  }
  case WeightStorage::I8PerChannel:
    return dequantize(quantizePerChannelInt8(w.data(), n, k), n, k);
  case WeightStorage::I4PerBlock: {
    int64_t block = scheme.getBlockSize();
    return dequantize(quantizeBlockwiseInt4(w.data(), n, k, block), n, k, block);
  }
  }
  return w;
}

FailureOr<LayerWeightReport> reportLayer(LinearOp op, size_t index) {
  LayerWeightReport r;
  r.layer = op.getLayerName() ? op.getLayerName()->str() : "#" + std::to_string(index);
  r.scheme = op.getScheme();
  DenseElementsAttr attr;
  if (!matchPattern(op.getWeight(), m_Constant(&attr)) || !attr.getElementType().isF32())
    return op.emitError() << "--report needs constant f32 weights, got "
                          << op.getWeight().getType()
                          << " (report on the float model, before quantization)";
  std::vector<float> w(attr.getValues<float>().begin(), attr.getValues<float>().end());
  int64_t n = op.getN(), k = op.getK();
  r.bytesBefore = n * k * 4;
  r.bytesAfter = quantizedWeightBytes(r.scheme.getKind(), n, k, r.scheme.getBlockSize());
  std::vector<float> q = quantizedValues(r.scheme, w, n, k);
  r.sqnrDb = sqnrDb(w.data(), q.data(), w.size());
  return r;
}

} // namespace

FailureOr<std::vector<LayerWeightReport>> reportWeights(ModuleOp module) {
  std::vector<LayerWeightReport> report;
  WalkResult walk = module.walk([&](LinearOp op) {
    FailureOr<LayerWeightReport> layer = reportLayer(op, report.size());
    if (failed(layer))
      return WalkResult::interrupt();
    report.push_back(std::move(*layer));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return report;
}

void printWeightReport(const std::vector<LayerWeightReport> &report, raw_ostream &os) {
  os << "layer: scheme, weight bytes before -> after, weight SQNR\n";
  for (const LayerWeightReport &r : report) {
    os << r.layer << ": " << stringifySchemeKind(r.scheme.getKind());
    if (r.scheme.getBlockSize())
      os << " (block " << r.scheme.getBlockSize() << ")";
    os << ", " << r.bytesBefore << " -> " << r.bytesAfter << " bytes, ";
    if (std::isinf(r.sqnrDb))
      os << "sqnr inf (exact)\n";
    else
      os << "sqnr " << llvm::format("%.2f", r.sqnrDb) << " dB\n";
  }
}

} // namespace kiln
