//===- CustomOps.cpp - Kiln's tosa.custom ops ------------------------------===//
//
// `tosa.custom` with domain_name "kiln" and operator_name "quantize_rows_qai8dx":
// dynamic per-row asymmetric int8 quantization. TOSA 1.0 cannot express it bit
// exactly (no float division, and CAST rounds ties to even where KleidiAI rounds
// half away from zero), so the lowering emits this op and every backend
// implements the formula of numerics.md.
//
//===----------------------------------------------------------------------===//

#include "kiln/reference/Quantize.h"

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace kiln::ref {

RowQuantization quantizeRowQai8dx(const float *row, int64_t k, int8_t *out) {
  float lo = 0.0f, hi = 0.0f; // min(0, min x) and max(0, max x)
  for (int64_t i = 0; i < k; ++i) {
    lo = std::min(lo, row[i]);
    hi = std::max(hi, row[i]);
  }
  const float inv = lo == hi ? 1.0f : 255.0f / (hi - lo);
  const float scale = inv != 0.0f ? 1.0f / inv : 0.0f;
  const float zfMin = -128.0f + lo * inv;
  const float zfMax = 127.0f + hi * inv;
  float zf = zfMin + zfMax > 0.0f ? -128.0f - lo * inv : 127.0f - hi * inv;
  zf = std::min(std::max(zf, -128.0f), 127.0f);
  const int32_t zp = int32_t(std::nearbyint(zf)); // half to even (KleidiAI: lrintf)
  for (int64_t i = 0; i < k; ++i) {
    // roundf rounds half away from zero, as KleidiAI's reference does.
    int32_t q = int32_t(std::round(row[i] * inv)) + zp;
    out[i] = int8_t(std::min(std::max(q, -128), 127));
  }
  return {scale, zp};
}

namespace detail {
namespace {

using namespace mlir;

LogicalResult evalQuantizeRows(tosa::CustomOp op, ArrayRef<const Tensor *> operands,
                               MutableArrayRef<Tensor> results) {
  if (!op.getImplementationAttrs().empty())
    return op.emitOpError() << "expected empty implementation_attrs for "
                               "kiln.quantize_rows_qai8dx, got '"
                            << op.getImplementationAttrs() << "'";
  if (operands.size() != 1 || results.size() != 3)
    return op.emitOpError() << "expected 1 input and 3 results for "
                               "kiln.quantize_rows_qai8dx, got "
                            << operands.size() << " and " << results.size();
  const Tensor &x = *operands[0];
  Tensor &xq = results[0], &scale = results[1], &zp = results[2];
  if (x.type() != ElementType::F32 || x.rank() != 3)
    return op.emitOpError() << "expected input tensor<BxMxKxf32>, got tensor<"
                            << x.typeString() << ">";
  int64_t b = x.shape()[0], m = x.shape()[1], k = x.shape()[2];
  std::vector<int64_t> rowShape = {b, m, 1};
  if (xq.type() != ElementType::I8 || xq.shape() != x.shape() ||
      scale.type() != ElementType::F32 || scale.shape() != rowShape ||
      zp.type() != ElementType::I32 || zp.shape() != rowShape)
    return op.emitOpError() << "expected results tensor<" << b << "x" << m << "x" << k
                            << "xi8>, tensor<" << b << "x" << m << "x1xf32>, tensor<" << b
                            << "x" << m << "x1xi32>, got tensor<" << xq.typeString()
                            << ">, tensor<" << scale.typeString() << ">, tensor<"
                            << zp.typeString() << ">";
  std::vector<float> row(size_t(k), 0.0f);
  std::vector<int8_t> q(size_t(k), 0);
  for (int64_t r = 0; r < b * m; ++r) {
    for (int64_t i = 0; i < k; ++i)
      row[size_t(i)] = float(x.getFloat(r * k + i));
    RowQuantization params = quantizeRowQai8dx(row.data(), k, q.data());
    for (int64_t i = 0; i < k; ++i)
      xq.setInt(r * k + i, q[size_t(i)]);
    scale.setFloat(r, params.scale);
    zp.setInt(r, params.zeroPoint);
  }
  return success();
}

LogicalResult evalCustom(Operation *operation, ArrayRef<const Tensor *> operands,
                         MutableArrayRef<Tensor> results) {
  auto op = cast<tosa::CustomOp>(operation);
  if (op.getDomainName() == "kiln" && op.getOperatorName() == "quantize_rows_qai8dx")
    return evalQuantizeRows(op, operands, results);
  return op.emitOpError() << "unsupported custom operator '" << op.getOperatorName()
                          << "' of domain '" << op.getDomainName()
                          << "' (the reference evaluator implements kiln "
                             "quantize_rows_qai8dx)";
}

} // namespace

void registerCustomOps(OpTable &table) { table["tosa.custom"] = evalCustom; }

} // namespace detail
} // namespace kiln::ref
