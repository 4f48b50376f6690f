#pragma once
/// The kernel graph: a TOSA function after kernel formation. Every dispatch is a
/// kernel (a vgf::KernelDescriptor plus its bindings); every buffer is a graph tensor
/// with the storage layout the kernels use (weights already packed). This is the unit
/// the codegen turns into a `.vgf` and what `kiln-compile --emit=kernels` prints.
///
/// Kernels are plain descriptors rather than MLIR ops on purpose: the descriptor is
/// what the container stores and what the runtimes (which never link MLIR) read back,
/// so formation produces it once and every later stage shares one definition.

#include "kiln/support/Status.h"
#include "kiln/vgf/KernelDescriptor.h"
#include "kiln/vgf/Model.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
}
namespace mlir::func {
class FuncOp;
}

namespace kiln::codegen {

/// Element storage of a graph tensor.
enum class ElementType : uint8_t { F32, F16, I8, I32 };
const char *elementTypeName(ElementType type);
uint32_t elementBytes(ElementType type);

struct GraphTensor {
  std::string name;
  ElementType type = ElementType::F32;
  std::vector<int64_t> shape;
  vgf::ResourceCategory category = vgf::ResourceCategory::Intermediate;
  /// Constants only: the packed bytes, exactly byteSize() of them.
  std::shared_ptr<const std::vector<uint8_t>> data;
  /// Intermediates only: tensors with the same group share one buffer (memory plan).
  uint32_t aliasGroup = vgf::kUnset;

  int64_t elementCount() const;
  int64_t byteSize() const { return elementCount() * elementBytes(type); }
};

/// A kernel binding: descriptor-set-0 binding number -> graph tensor index.
struct KernelBinding {
  uint32_t binding = 0;
  uint32_t tensor = 0;
};

struct Kernel {
  std::string name;     ///< segment name, e.g. "gemm_0"
  std::string location; ///< the source location of the op the kernel was formed from
  vgf::KernelDescriptor descriptor;
  std::vector<KernelBinding> bindings; ///< ascending binding numbers
  /// Graph tensors the kernel writes (a subset of `bindings`).
  std::vector<uint32_t> results;
  /// A kernel of the generic path: its SPIR-V and dispatch come from MLIR's stock
  /// lowering, not from `descriptor` (which is unused), and it carries no metadata,
  /// so only the Vulkan runtime runs it.
  bool generic = false;
  std::vector<uint32_t> spirv;
  std::string entryPoint = "main";
  std::array<uint32_t, 3> workgroups{1, 1, 1};
};

struct KernelGraph {
  std::vector<GraphTensor> tensors;
  std::vector<Kernel> kernels; ///< in execution order
  std::vector<uint32_t> inputs;  ///< tensor indexes of the function arguments
  std::vector<uint32_t> outputs; ///< tensor indexes of the function results
};

/// Recognises the TOSA 1.0 op patterns of a linear layer (matmul with zero points,
/// zero-point correction, bias, rescale or float scaling, clamp, Kiln's dynamic row
/// quantization) and of static (de)quantization in `func`, and forms one kernel per
/// pattern; reshapes are folded away as views. An op that belongs to no pattern is an
/// error at its location (emitted on the op, also returned).
Expected<KernelGraph> formKernels(mlir::func::FuncOp func);

/// Liveness-based buffer reuse: assigns intermediates to alias groups so that tensors
/// whose live ranges (first write .. last read, in kernel order) do not overlap share
/// a buffer. Returns the number of groups.
uint32_t planMemory(KernelGraph &graph);

/// Bytes of all intermediate buffers after planning (each group counted at its
/// largest member) and before (every intermediate separately).
std::pair<int64_t, int64_t> intermediateBytes(const KernelGraph &graph);

/// Human-readable listing for `--emit=kernels` (stable: lit tests check it).
void printKernelGraph(const KernelGraph &graph, llvm::raw_ostream &os);

} // namespace kiln::codegen
