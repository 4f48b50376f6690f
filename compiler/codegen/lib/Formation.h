#pragma once
/// Kernel formation state shared by the pattern files (internal): the graph being
/// built, which tensor each SSA value lives in, and which ops a pattern consumed.

#include "kiln/codegen/KernelGraph.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

#include <optional>
#include <string>

namespace kiln::codegen::detail {

/// Outputs of a QuantizeRows kernel that a dynamic GEMM reads besides the int8 data.
struct RowQuantization {
  uint32_t scale = 0;
  uint32_t zeroPoint = 0;
  mlir::Value scaleValue;
  mlir::Value zeroPointValue;
};

class GraphBuilder {
public:
  explicit GraphBuilder(KernelGraph &graph) : graph_(graph) {}

  KernelGraph &graph() { return graph_; }

  /// A new tensor; intermediates get their producer's binding later.
  uint32_t addTensor(std::string name, ElementType type, std::vector<int64_t> shape,
                     vgf::ResourceCategory category);
  uint32_t addConstant(std::string name, ElementType type, std::vector<int64_t> shape,
                       std::vector<uint8_t> bytes);
  /// A new intermediate tensor shaped like `value`, which now lives in it.
  uint32_t addResultTensor(mlir::Value value, ElementType type, const std::string &name);

  /// `value` lives in `tensor` (a kernel result, or a view of another value).
  void bind(mlir::Value value, uint32_t tensor) { tensors_[value] = tensor; }
  std::optional<uint32_t> lookup(mlir::Value value) const;

  /// The name the next kernel with `prefix` will get ("<prefix>_<n>").
  std::string nextKernelName(llvm::StringRef prefix) const;
  /// Appends a kernel named "<prefix>_<n>" anchored at `anchor`'s location.
  Kernel &addKernel(const char *prefix, mlir::Operation *anchor);

  /// Ops a pattern absorbed; the driver skips them.
  void consume(mlir::Operation *op) { consumed_.insert(op); }
  bool isConsumed(mlir::Operation *op) const { return consumed_.contains(op); }
  /// Ops skipped in the walk because a later anchor's pattern takes them; any left
  /// unconsumed at the end are errors.
  void defer(mlir::Operation *op) { deferred_.push_back(op); }
  llvm::ArrayRef<mlir::Operation *> deferred() const { return deferred_; }

  /// f16 values whose f32 storage holds exactly representable fp16 values (a pf16
  /// GEMM result), so widening them back to f32 is a view.
  void markExactHalf(mlir::Value value) { exactHalf_.insert(value); }
  bool isExactHalf(mlir::Value value) const { return exactHalf_.contains(value); }

  void setRowQuantization(uint32_t tensor, RowQuantization q) { rowQuant_[tensor] = q; }
  std::optional<RowQuantization> rowQuantization(uint32_t tensor) const;

private:
  KernelGraph &graph_;
  llvm::DenseMap<mlir::Value, uint32_t> tensors_;
  llvm::DenseSet<mlir::Operation *> consumed_;
  std::vector<mlir::Operation *> deferred_;
  llvm::DenseSet<mlir::Value> exactHalf_;
  llvm::DenseMap<uint32_t, RowQuantization> rowQuant_;
  llvm::DenseMap<llvm::StringRef, unsigned> kernelCounts_;
};

/// The graph storage of a tensor (or element) type: f32, f16, i8 or i32.
std::optional<ElementType> elementTypeOf(mlir::Type type);

/// The op that is the only user of `value`, or null (no user, or several).
mlir::Operation *soleUser(mlir::Value value);
/// For a two-operand op with `value` as one operand: the other operand, else null.
mlir::Value otherOperand(mlir::Operation *op, mlir::Value value);
/// "file:line:col" (or the location's own text) for kernel listings.
std::string locationText(mlir::Location loc);

/// Forms the GEMM kernel anchored at a `tosa.matmul` or a 1x1 `tosa.conv2d`; on
/// failure emits an error on the op that says what was expected.
mlir::LogicalResult formGemm(GraphBuilder &builder, mlir::Operation *anchor);

/// Whether `conv` is a 1x1 convolution with stride 1, dilation 1 and no padding: a GEMM.
bool isPointwiseConv(mlir::tosa::Conv2DOp conv);

/// Compiles any other TOSA op through MLIR's stock lowering into naive kernels
/// (GenericKernels.cpp); on failure emits an error on the op saying why.
mlir::LogicalResult formGeneric(GraphBuilder &builder, mlir::Operation *op);

/// The error for an op outside every pattern.
mlir::LogicalResult unsupported(mlir::Operation *op);

} // namespace kiln::codegen::detail
