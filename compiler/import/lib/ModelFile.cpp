//===- ModelFile.cpp - MLIR text or TOSA flatbuffer, by content ------------===//

#include "kiln/import/ModelFile.h"

#include "kiln/import/TosaFlatbuffer.h"

#include "mlir/Dialect/Tosa/IR/TargetEnv.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace kiln {

namespace {

/// MLIR 22 prints a `#tosa.target_env` with no extensions as `extensions = []`, and
/// its parser rejects that (it wants at least one keyword; `none` parses but fails
/// verification). Every module Kiln lowers or imports without extensions prints so, so
/// the reader parses an extension in its place (same line, so later line numbers are
/// unchanged) and removes it again.
constexpr llvm::StringLiteral kNoExtensions = "extensions = []";
constexpr llvm::StringLiteral kPlaceholder = "extensions = [fft]";

/// The text with kNoExtensions replaced, or null when it has none.
std::unique_ptr<llvm::MemoryBuffer> withPlaceholder(const llvm::MemoryBuffer &file) {
  llvm::StringRef text = file.getBuffer();
  if (!text.contains(kNoExtensions))
    return nullptr;
  std::string patched = text.str();
  patched.replace(text.find(kNoExtensions), kNoExtensions.size(), kPlaceholder);
  return llvm::MemoryBuffer::getMemBufferCopy(patched, file.getBufferIdentifier());
}

void removePlaceholder(ModuleOp module) {
  auto target = module->getAttrOfType<tosa::TargetEnvAttr>(tosa::TargetEnvAttr::name);
  if (!target || target.getExtensions() != llvm::ArrayRef{tosa::Extension::fft})
    return;
  module->setAttr(tosa::TargetEnvAttr::name,
                  tosa::TargetEnvAttr::get(module.getContext(),
                                           target.getSpecificationVersion(),
                                           target.getLevel(), target.getProfiles(), {}));
}

} // namespace

OwningOpRef<ModuleOp> parseModelFile(std::unique_ptr<llvm::MemoryBuffer> file,
                                     llvm::SourceMgr &sourceMgr, MLIRContext &context) {
  llvm::ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(file->getBufferStart()),
                                file->getBufferSize());
  llvm::StringRef name = file->getBufferIdentifier();
  if (isTosaFlatbuffer(bytes) || llvm::sys::path::extension(name) == ".tosa") {
    FailureOr<OwningOpRef<ModuleOp>> module = importTosaFlatbuffer(bytes, name, context);
    return succeeded(module) ? std::move(*module) : nullptr;
  }
  std::unique_ptr<llvm::MemoryBuffer> patched = withPlaceholder(*file);
  bool isPatched = patched != nullptr;
  sourceMgr.AddNewSourceBuffer(isPatched ? std::move(patched) : std::move(file),
                               llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (module && isPatched)
    removePlaceholder(*module);
  return module;
}

} // namespace kiln
