//===- ContractionOps.cpp - MATMUL and CONV2D ------------------------------===//
//
// Both accumulate acc = apply_add_s(acc, apply_mul_s(a - a_zp, b - b_zp)) in the
// accumulator type: i32 for i8 (and i4 weights), i48 for i16, and for floats the
// result type, rounding every product and every sum to it, in increasing index
// order. A linear layer with int4 weights is a 1x1 CONV2D in TOSA 1.0 (MATMUL has
// no int4 form).
//
//===----------------------------------------------------------------------===//

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"

namespace kiln::ref::detail {
namespace {

using namespace mlir;

/// One dot product in the accumulator type. `overflowed` records a failed
/// apply_add_s REQUIRE (an integer accumulator leaving its range).
struct Accumulator {
  ElementType type;
  int64_t intAcc = 0;
  double floatAcc = 0.0;
  bool overflowed = false;

  void add(const Tensor &a, int64_t ia, int64_t aZp, const Tensor &b, int64_t ib,
           int64_t bZp) {
    if (isFloat(type)) {
      double product = roundFloat(a.getFloat(ia) * b.getFloat(ib), type);
      floatAcc = roundFloat(floatAcc + product, type);
      return;
    }
    // Operands minus zero points fit in 9 bits (i8) or 17 bits (i16), so the
    // product cannot overflow before the range check.
    intAcc += (a.getInt(ia) - aZp) * (b.getInt(ib) - bZp);
    overflowed |= intAcc < intMin(type) || intAcc > intMax(type);
  }
};

/// ERROR_IF: zero points are only allowed for i8 operands.
LogicalResult checkZeroPoint(Operation *op, StringRef name, const Tensor &operand,
                             int64_t zp) {
  if (zp != 0 && operand.type() != ElementType::I8)
    return op->emitOpError() << "expected " << name << " 0 for a "
                             << elementTypeName(operand.type()) << " operand, got " << zp
                             << " (ERROR_IF: zero points only for i8)";
  return success();
}

LogicalResult reportOverflow(Operation *op, const Tensor &out, int64_t element) {
  return op->emitOpError() << "the accumulator overflows " << elementTypeName(out.type())
                           << " at output element " << element
                           << " (apply_add_s REQUIRE)";
}

/// MATMUL: A[N,H,C] x B[N,C,W] -> [N,H,W].
LogicalResult evalMatmul(Operation *op, ArrayRef<const Tensor *> operands,
                         MutableArrayRef<Tensor> results) {
  const Tensor &a = *operands[0], &b = *operands[1];
  Tensor &out = results[0];
  int64_t aZp = scalarOf(*operands[2]), bZp = scalarOf(*operands[3]);
  if (failed(checkZeroPoint(op, "a_zp", a, aZp)) ||
      failed(checkZeroPoint(op, "b_zp", b, bZp)))
    return failure();
  int64_t n = a.shape()[0], h = a.shape()[1], c = a.shape()[2], w = b.shape()[2];
  if (b.shape()[0] != n || b.shape()[1] != c)
    return op->emitOpError() << "expected b of shape " << n << "x" << c << "x" << w
                             << ", got tensor<" << b.typeString() << ">";
  for (int64_t ni = 0; ni < n; ++ni)
    for (int64_t hi = 0; hi < h; ++hi)
      for (int64_t wi = 0; wi < w; ++wi) {
        Accumulator acc{out.type()};
        for (int64_t ci = 0; ci < c; ++ci)
          acc.add(a, (ni * h + hi) * c + ci, aZp, b, (ni * c + ci) * w + wi, bZp);
        int64_t o = (ni * h + hi) * w + wi;
        if (acc.overflowed)
          return reportOverflow(op, out, o);
        if (out.isFloat())
          out.setFloat(o, acc.floatAcc);
        else
          out.setInt(o, acc.intAcc);
      }
  return success();
}

/// CONV2D: input [N,IH,IW,IC], weight [OC,KH,KW,IC], bias [BC] -> [N,OH,OW,OC].
LogicalResult evalConv2D(Operation *operation, ArrayRef<const Tensor *> operands,
                         MutableArrayRef<Tensor> results) {
  auto op = cast<tosa::Conv2DOp>(operation);
  const Tensor &in = *operands[0], &weight = *operands[1], &bias = *operands[2];
  Tensor &out = results[0];
  int64_t inZp = scalarOf(*operands[3]), weightZp = scalarOf(*operands[4]);
  if (failed(checkZeroPoint(op, "input_zp", in, inZp)) ||
      failed(checkZeroPoint(op, "weight_zp", weight, weightZp)))
    return failure();
  ArrayRef<int64_t> pad = op.getPad(), stride = op.getStride(), dilation = op.getDilation();
  int64_t n = in.shape()[0], ih = in.shape()[1], iw = in.shape()[2], ic = in.shape()[3];
  int64_t oc = weight.shape()[0], kh = weight.shape()[1], kw = weight.shape()[2];
  int64_t oh = out.shape()[1], ow = out.shape()[2];
  if (llvm::any_of(pad, [](int64_t p) { return p < 0; }) || stride[0] < 1 || stride[1] < 1 ||
      dilation[0] < 1 || dilation[1] < 1)
    return op.emitOpError() << "expected pad >= 0, stride >= 1 and dilation >= 1 (ERROR_IF)";
  int64_t ohExpected = (ih - 1 + pad[0] + pad[1] - (kh - 1) * dilation[0]) / stride[0] + 1;
  int64_t owExpected = (iw - 1 + pad[2] + pad[3] - (kw - 1) * dilation[1]) / stride[1] + 1;
  if (oh != ohExpected || ow != owExpected)
    return op.emitOpError() << "expected an output of " << ohExpected << "x" << owExpected
                            << ", got " << oh << "x" << ow << " (ERROR_IF)";
  int64_t bc = bias.numElements();
  if (bc != oc && bc != 1)
    return op.emitOpError() << "expected " << oc << " or 1 bias values, got " << bc
                            << " (ERROR_IF)";

  for (int64_t ni = 0; ni < n; ++ni)
    for (int64_t oy = 0; oy < oh; ++oy)
      for (int64_t ox = 0; ox < ow; ++ox)
        for (int64_t o = 0; o < oc; ++o) {
          Accumulator acc{out.type()};
          for (int64_t ky = 0; ky < kh; ++ky)
            for (int64_t kx = 0; kx < kw; ++kx) {
              int64_t y = oy * stride[0] - pad[0] + ky * dilation[0];
              int64_t x = ox * stride[1] - pad[2] + kx * dilation[1];
              // Padding contributes nothing (the optional tosa_extra_multiplies
              // of zero values do not change the sum).
              if (y < 0 || y >= ih || x < 0 || x >= iw)
                continue;
              for (int64_t c = 0; c < ic; ++c)
                acc.add(in, ((ni * ih + y) * iw + x) * ic + c, inZp, weight,
                        ((o * kh + ky) * kw + kx) * ic + c, weightZp);
            }
          int64_t index = ((ni * oh + oy) * ow + ox) * oc + o;
          int64_t b = bc == 1 ? 0 : o;
          if (out.isFloat()) {
            out.setFloat(index, acc.floatAcc + bias.getFloat(b));
            continue;
          }
          int64_t withBias = acc.intAcc + bias.getInt(b);
          if (acc.overflowed || withBias < intMin(out.type()) || withBias > intMax(out.type()))
            return reportOverflow(op, out, index);
          out.setInt(index, withBias);
        }
  return success();
}

} // namespace

void registerContractionOps(OpTable &table) {
  table["tosa.matmul"] = evalMatmul;
  table["tosa.conv2d"] = evalConv2D;
}

} // namespace kiln::ref::detail
