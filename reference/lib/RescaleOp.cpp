//===- RescaleOp.cpp - RESCALE and the apply_scale helpers -----------------===//
//
// TOSA 1.0 RESCALE (pseudocode/operators/RESCALE): extend the input (zero- or
// sign-), subtract the input zero point, apply_scale_32 or apply_scale_16 with the
// channel's multiplier and shift, add the output zero point and saturate to the
// signed or unsigned output range. INEXACT_ROUND is computed like SINGLE_ROUND: the
// spec allows any result within its bound, and the exact one is within it.
//
//===----------------------------------------------------------------------===//

#include "kiln/reference/Scale.h"

#include "Ops.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"

namespace kiln::ref {

std::optional<int32_t> applyScale32(int64_t value, int32_t multiplier, int32_t shift,
                                    bool doubleRound) {
  if (multiplier < 0 || shift < 2 || shift > 62)
    return std::nullopt;
  if (value < -(int64_t(1) << (shift - 1)) || value >= (int64_t(1) << (shift - 1)))
    return std::nullopt;
  int64_t round = int64_t(1) << (shift - 1);
  if (doubleRound && shift > 31)
    round += value >= 0 ? (int64_t(1) << 30) : -(int64_t(1) << 30);
  int64_t result = (value * multiplier + round) >> shift; // arithmetic shift
  return int32_t(result);
}

std::optional<int32_t> applyScale16(int64_t value, int16_t multiplier, int32_t shift) {
  if (multiplier < 0 || shift < 2 || shift > 62)
    return std::nullopt;
  int64_t result = (value * multiplier + (int64_t(1) << (shift - 1))) >> shift;
  if (result < INT32_MIN || result > INT32_MAX)
    return std::nullopt;
  return int32_t(result);
}

namespace detail {
namespace {

using namespace mlir;

int64_t zeroExtend(int64_t v, ElementType t) {
  return int64_t(uint64_t(v) & ((uint64_t(1) << intBits(t)) - 1));
}

/// RESCALE's ERROR_IF list, in the spec's order.
LogicalResult checkRescale(tosa::RescaleOp op, ElementType in, ElementType out,
                           int64_t inZp, int64_t outZp) {
  bool inUnsigned = op.getInputUnsigned(), outUnsigned = op.getOutputUnsigned();
  auto fail = [&](const llvm::Twine &what) {
    return op.emitOpError() << what << " (RESCALE ERROR_IF)";
  };
  if (in != ElementType::I8 && (in != ElementType::I16 || !inUnsigned) && inZp != 0)
    return fail("expected input_zp 0 for a " + llvm::Twine(inUnsigned ? "u" : "i") +
                llvm::Twine(intBits(in)) + " input, got " + llvm::Twine(inZp));
  if (out != ElementType::I8 && (out != ElementType::I16 || !outUnsigned) && outZp != 0)
    return fail("expected output_zp 0 for a " + llvm::Twine(outUnsigned ? "u" : "i") +
                llvm::Twine(intBits(out)) + " output, got " + llvm::Twine(outZp));
  if (in == ElementType::I16 && inUnsigned && inZp != 0 && inZp != 32768)
    return fail("expected input_zp 0 or 32768 for a u16 input, got " + llvm::Twine(inZp));
  if (out == ElementType::I16 && outUnsigned && outZp != 0 && outZp != 32768)
    return fail("expected output_zp 0 or 32768 for a u16 output, got " +
                llvm::Twine(outZp));
  if (op.getScale32() && in == ElementType::I48)
    return fail("expected scale32 = false for an i48 input");
  if (!op.getScale32() && op.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND)
    return fail("expected scale32 = true with DOUBLE_ROUND");
  if (inUnsigned && outUnsigned)
    return fail("expected at most one of input_unsigned and output_unsigned");
  if ((in == ElementType::I32 || in == ElementType::I48) && (inUnsigned || outUnsigned))
    return fail(llvm::Twine("expected signed input and output for an ") +
                elementTypeName(in) + " input");
  if (out == ElementType::I32 && (inUnsigned || outUnsigned))
    return fail("expected signed input and output for an i32 output");
  return success();
}

LogicalResult evalRescale(Operation *operation, ArrayRef<const Tensor *> operands,
                          MutableArrayRef<Tensor> results) {
  auto op = cast<tosa::RescaleOp>(operation);
  const Tensor &in = *operands[0], &multiplier = *operands[1], &shift = *operands[2];
  Tensor &out = results[0];
  bool inUnsigned = op.getInputUnsigned(), outUnsigned = op.getOutputUnsigned();
  int64_t inZp = scalarOf(*operands[3]), outZp = scalarOf(*operands[4]);
  if (inUnsigned)
    inZp = zeroExtend(inZp, operands[3]->type());
  if (outUnsigned)
    outZp = zeroExtend(outZp, operands[4]->type());
  if (failed(checkRescale(op, in.type(), out.type(), inZp, outZp)))
    return failure();

  int64_t channels = op.getPerChannel() ? (in.rank() ? in.shape().back() : 0) : 1;
  if (op.getPerChannel() && in.rank() < 1)
    return op.emitOpError() << "expected a ranked input with per_channel (RESCALE ERROR_IF)";
  if (multiplier.numElements() != channels || shift.numElements() != channels)
    return op.emitOpError() << "expected " << channels << " multiplier and shift values, got "
                            << multiplier.numElements() << " and " << shift.numElements();

  bool doubleRound = op.getRoundingMode() == tosa::RoundingMode::DOUBLE_ROUND;
  int64_t outLo = outUnsigned ? 0 : intMin(out.type());
  int64_t outHi = outUnsigned ? (int64_t(1) << intBits(out.type())) - 1 : intMax(out.type());
  for (int64_t i = 0; i < in.numElements(); ++i) {
    int64_t value = inUnsigned ? zeroExtend(in.getInt(i), in.type()) : in.getInt(i);
    value -= inZp;
    int64_t c = channels == 1 ? 0 : i % channels;
    int32_t m = int32_t(multiplier.getInt(c)), s = int32_t(shift.getInt(c));
    std::optional<int32_t> scaled = op.getScale32()
                                        ? applyScale32(value, m, s, doubleRound)
                                        : applyScale16(value, int16_t(m), s);
    if (!scaled)
      return op.emitOpError() << (op.getScale32() ? "apply_scale_32" : "apply_scale_16")
                              << " REQUIRE failed at element " << i << ": value " << value
                              << ", multiplier " << m << ", shift " << s
                              << " (expected multiplier >= 0, 2 <= shift <= 62"
                              << (op.getScale32() ? ", -2^(shift-1) <= value < 2^(shift-1)"
                                                  : ", a result that fits in i32")
                              << ")";
    // apply_add_s<int32_t>: the zero point must not overflow the 32-bit result.
    int64_t withZp = int64_t(*scaled) + outZp;
    if (withZp < INT32_MIN || withZp > INT32_MAX)
      return op.emitOpError() << "adding output_zp " << outZp << " to " << *scaled
                              << " overflows i32 at element " << i
                              << " (apply_add_s REQUIRE)";
    int64_t clipped = std::min(std::max(withZp, outLo), outHi);
    out.setInt(i, wrapInt(clipped, out.type())); // unsigned results keep their bits
  }
  return success();
}

} // namespace

void registerRescaleOp(OpTable &table) { table["tosa.rescale"] = evalRescale; }

} // namespace detail
} // namespace kiln::ref
