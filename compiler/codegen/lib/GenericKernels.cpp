//===- GenericKernels.cpp - naive kernels for any other TOSA op -----------===//
//
// An op outside every GEMM/quantization pattern is compiled on its own through
// MLIR's stock lowering (toolchain-notes §4): TOSA -> linalg -> bufferized parallel
// loops -> gpu kernels -> SPIR-V. The outlined host function is then read as a
// dispatch list: every gpu.launch_func is one kernel whose memref arguments become
// set-0 bindings 0..n-1 (function arguments -> the op's operand tensors, allocations
// -> new intermediates, memref globals -> constants) and whose grid is the dispatch.
// One thread per output element, no tiling: correct, not fast (docs/kernel-graph.md).
//
//===----------------------------------------------------------------------===//

#include "ConstantData.h"
#include "Formation.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SPIRV/IR/SPIRVOps.h"
#include "mlir/Dialect/SPIRV/IR/TargetAndABI.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/SPIRV/Serialization.h"

#include <cstring>
#include <mutex>

using namespace mlir;

namespace kiln::codegen::detail {
namespace {

// Capabilities the generic kernels may use: the portable baseline (no Int64, so no
// shaderInt64 is needed; rescales are lowered with 32-bit arithmetic).
// Pipelines for a PassManager anchored on builtin.module (so without that anchor).
constexpr const char *kToGpu =
    "func.func(tosa-to-linalg-named,tosa-to-linalg,"
    "tosa-to-arith{include-apply-rescale=true use-32-bit=true},tosa-to-tensor),canonicalize,"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},canonicalize,"
    "func.func(convert-linalg-to-parallel-loops,scf-parallel-loop-tiling{"
    "parallel-loop-tile-sizes=TILES no-min-max-bounds=true},gpu-map-parallel-loops,"
    "convert-parallel-loops-to-gpu),canonicalize,func.func(gpu-launch-sink-index-computations),"
    "gpu-kernel-outlining,canonicalize,cse";
constexpr const char *kToSpirv =
    "lower-affine,canonicalize,spirv-attach-target{ver=v1.3 "
    "caps=Shader,Int8,Int16,StorageBuffer8BitAccess,StorageBuffer16BitAccess,"
    "UniformAndStorageBuffer8BitAccess exts=SPV_KHR_storage_buffer_storage_class,"
    "SPV_KHR_8bit_storage,SPV_KHR_16bit_storage client_api=Vulkan},gpu.module(convert-math-to-spirv),convert-gpu-to-spirv,"
    "spirv.module(spirv-lower-abi-attrs,spirv-update-vce),canonicalize";

/// Every dialect, interface model and pass the stock lowering touches, once per
/// context (the pipelines are parsed from text, so their passes must be registered).
void prepareContext(MLIRContext *context) {
  static std::once_flag passes;
  std::call_once(passes, [] { registerAllPasses(); });
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();
}

/// f16 values live widened in f32 storage in Kiln's own kernels, so a stock kernel
/// that reads or writes real f16 buffers cannot share them.
std::optional<ElementType> storageOf(Type type) {
  std::optional<ElementType> element = elementTypeOf(type);
  if (element == ElementType::F16)
    return std::nullopt;
  return element;
}

std::string tileSizes(Operation *op) {
  int64_t rank = 1;
  for (Type t : op->getResultTypes())
    rank = std::max<int64_t>(rank, cast<ShapedType>(t).getRank());
  if (rank == 1)
    return "64";
  std::string tiles;
  for (int64_t i = 0; i < rank - 2; ++i)
    tiles += "1,";
  return tiles + "8,8";
}

/// The op alone in a function: its tensor operands become arguments, constants are
/// cloned in.
OwningOpRef<ModuleOp> isolate(Operation *op, SmallVectorImpl<Value> &arguments) {
  OpBuilder b(op->getContext());
  OwningOpRef<ModuleOp> module = ModuleOp::create(op->getLoc());
  b.setInsertionPointToEnd(module->getBody());
  SmallVector<Type> argTypes;
  for (Value operand : op->getOperands())
    if (!operand.getDefiningOp<tosa::ConstOp>() && !operand.getDefiningOp<tosa::ConstShapeOp>()) {
      arguments.push_back(operand);
      argTypes.push_back(operand.getType());
    }
  auto func = func::FuncOp::create(b, op->getLoc(), "generic",
                                   b.getFunctionType(argTypes, op->getResultTypes()));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  IRMapping mapping;
  for (auto [value, arg] : llvm::zip(arguments, body->getArguments()))
    mapping.map(value, arg);
  for (Value operand : op->getOperands())
    if (!mapping.contains(operand))
      mapping.map(operand, b.clone(*operand.getDefiningOp())->getResult(0));
  Operation *clone = b.clone(*op, mapping);
  func::ReturnOp::create(b, op->getLoc(), clone->getResults());
  return module;
}

std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

std::optional<uint32_t> constantIndex(Value value) {
  if (auto c = value.getDefiningOp<arith::ConstantIndexOp>())
    return static_cast<uint32_t>(c.value());
  return std::nullopt;
}

/// Bytes of a memref.global's initial value, row-major.
std::optional<std::vector<uint8_t>> globalBytes(memref::GlobalOp global) {
  auto value = dyn_cast_or_null<DenseElementsAttr>(global.getInitialValueAttr());
  if (!value)
    return std::nullopt;
  std::vector<uint8_t> bytes;
  Type element = value.getElementType();
  if (element.isF32()) {
    for (float v : value.getValues<float>())
      bytes.insert(bytes.end(), reinterpret_cast<uint8_t *>(&v), reinterpret_cast<uint8_t *>(&v) + 4);
  } else if (element.isInteger(8) || element.isInteger(32)) {
    size_t width = element.isInteger(8) ? 1 : 4;
    for (const APInt &v : value.getValues<APInt>()) {
      uint32_t bits = static_cast<uint32_t>(v.getZExtValue());
      bytes.insert(bytes.end(), reinterpret_cast<uint8_t *>(&bits),
                   reinterpret_cast<uint8_t *>(&bits) + width);
    }
  } else {
    return std::nullopt;
  }
  return bytes;
}

class GenericLowering {
public:
  GenericLowering(GraphBuilder &builder, Operation *op) : builder_(builder), op_(op) {}
  LogicalResult run();

private:
  LogicalResult fail(const Twine &why) {
    return op_->emitError("'") << op_->getName()
                               << "' is not part of a Kiln kernel pattern and the generic "
                                  "path cannot compile it: "
                               << why;
  }
  FailureOr<uint32_t> tensorOf(Value memref, ModuleOp module);

  GraphBuilder &builder_;
  Operation *op_;
  SmallVector<Value> arguments_;
  llvm::DenseMap<Value, uint32_t> allocations_;
};

FailureOr<uint32_t> GenericLowering::tensorOf(Value memref, ModuleOp module) {
  if (auto arg = dyn_cast<BlockArgument>(memref)) {
    std::optional<uint32_t> tensor = builder_.lookup(arguments_[arg.getArgNumber()]);
    if (!tensor)
      return fail("operand " + Twine(arg.getArgNumber()) + " has no kernel producer");
    return *tensor;
  }
  auto type = cast<MemRefType>(memref.getType());
  std::optional<ElementType> element = storageOf(type);
  if (!element || !type.hasStaticShape())
    return fail("a buffer of type " + Twine(typeText(type)) + " is not supported");
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  if (auto get = memref.getDefiningOp<memref::GetGlobalOp>()) {
    auto global = SymbolTable::lookupSymbolIn(module, get.getNameAttr());
    std::optional<std::vector<uint8_t>> bytes =
        global ? globalBytes(cast<memref::GlobalOp>(global)) : std::nullopt;
    if (!bytes)
      return fail("a constant of the lowered op cannot be read");
    return builder_.addConstant(builder_.nextKernelName("generic") + ".constant", *element, shape,
                                std::move(*bytes));
  }
  if (memref.getDefiningOp<memref::AllocOp>()) {
    auto it = allocations_.find(memref);
    if (it != allocations_.end())
      return it->second;
    uint32_t tensor = builder_.addTensor(builder_.nextKernelName("generic") + ".buffer", *element,
                                         shape, vgf::ResourceCategory::Intermediate);
    allocations_[memref] = tensor;
    return tensor;
  }
  return fail("a kernel argument is neither an operand, a constant nor an allocation");
}

LogicalResult GenericLowering::run() {
  for (Type t : llvm::concat<Type>(op_->getOperandTypes(), op_->getResultTypes())) {
    auto shaped = dyn_cast<RankedTensorType>(t);
    if (isa<tosa::shapeType>(t))
      continue;
    if (!shaped || !shaped.hasStaticShape() || !storageOf(shaped))
      return fail("only static f32, i8 and i32 tensors are supported, found " +
                  Twine(typeText(t)));
  }
  MLIRContext *context = op_->getContext();
  prepareContext(context);
  OwningOpRef<ModuleOp> module = isolate(op_, arguments_);

  std::string toGpu = kToGpu;
  toGpu.replace(toGpu.find("TILES"), 5, tileSizes(op_));
  std::string diagnostics;
  const char *failedStage = nullptr;
  {
    // The stock passes' own diagnostics are collected into one message on the op.
    ScopedDiagnosticHandler quiet(context, [&](Diagnostic &d) {
      diagnostics += d.str() + "; ";
      return success();
    });
    PassManager toGpuPm(context);
    if (failed(parsePassPipeline(toGpu, toGpuPm)) || failed(toGpuPm.run(*module)))
      failedStage = "TOSA-to-GPU";
    // convert-gpu-to-spirv needs each kernel's workgroup size as its entry-point ABI.
    module->walk([&](gpu::LaunchFuncOp launch) {
      auto kernel = SymbolTable::lookupNearestSymbolFrom<gpu::GPUFuncOp>(launch, launch.getKernel());
      std::optional<uint32_t> x = constantIndex(launch.getBlockSizeX()),
                              y = constantIndex(launch.getBlockSizeY()),
                              z = constantIndex(launch.getBlockSizeZ());
      if (kernel && x && y && z)
        kernel->setAttr(spirv::getEntryPointABIAttrName(),
                        spirv::getEntryPointABIAttr(context, {int32_t(*x), int32_t(*y), int32_t(*z)}));
    });
    PassManager toSpirvPm(context);
    if (!failedStage &&
        (failed(parsePassPipeline(kToSpirv, toSpirvPm)) || failed(toSpirvPm.run(*module))))
      failedStage = "GPU-to-SPIR-V";
  }
  if (failedStage)
    return fail("the stock " + Twine(failedStage) + " lowering failed: " + diagnostics);

  auto host = *module->getOps<func::FuncOp>().begin();
  for (Operation &hostOp : host.getBody().front()) {
    if (isa<arith::ConstantOp, memref::AllocOp, memref::GetGlobalOp, memref::DeallocOp>(hostOp))
      continue;
    if (auto ret = dyn_cast<func::ReturnOp>(hostOp)) {
      for (auto [result, value] : llvm::zip(op_->getResults(), ret.getOperands())) {
        FailureOr<uint32_t> tensor = tensorOf(value, *module);
        if (failed(tensor))
          return failure();
        builder_.bind(result, *tensor);
      }
      continue;
    }
    auto launch = dyn_cast<gpu::LaunchFuncOp>(hostOp);
    if (!launch)
      return fail("the lowered host code has a '" + hostOp.getName().getStringRef() +
                  "' that is not a kernel launch");
    std::optional<uint32_t> gx = constantIndex(launch.getGridSizeX()),
                            gy = constantIndex(launch.getGridSizeY()),
                            gz = constantIndex(launch.getGridSizeZ());
    if (!gx || !gy || !gz)
      return fail("a kernel grid is not constant");
    std::string spvName = ("__spv__" + launch.getKernelModuleName().getValue()).str();
    spirv::ModuleOp spv;
    module->walk([&](spirv::ModuleOp m) {
      if (m.getName() && *m.getName() == spvName)
        spv = m;
    });
    SmallVector<uint32_t> words;
    if (!spv || failed(spirv::serialize(spv, words)))
      return fail("kernel '" + launch.getKernelName().getValue() + "' did not become SPIR-V");

    std::vector<KernelBinding> bindings;
    for (auto [i, operand] : llvm::enumerate(launch.getKernelOperands())) {
      if (!isa<MemRefType>(operand.getType()))
        return fail("a kernel takes a scalar argument, which Kiln cannot bind");
      FailureOr<uint32_t> tensor = tensorOf(operand, *module);
      if (failed(tensor))
        return failure();
      bindings.push_back({static_cast<uint32_t>(i), *tensor});
    }
    Kernel &kernel = builder_.addKernel("generic", op_);
    kernel.generic = true;
    kernel.spirv.assign(words.begin(), words.end());
    kernel.entryPoint = launch.getKernelName().getValue().str();
    kernel.workgroups = {*gx, *gy, *gz};
    kernel.bindings = std::move(bindings);
    for (const KernelBinding &b : kernel.bindings)
      if (builder_.graph().tensors[b.tensor].category == vgf::ResourceCategory::Intermediate)
        kernel.results.push_back(b.tensor);
  }
  return success();
}

} // namespace

LogicalResult formGeneric(GraphBuilder &builder, Operation *op) {
  return GenericLowering(builder, op).run();
}

} // namespace kiln::codegen::detail
