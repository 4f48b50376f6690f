// kiln-compile-app: compiles a model with Kiln's compiler library and runs it with
// Kiln's runtime, in one program that knows Kiln only through its installed package.
//
//   kiln-compile-app model.mlir <scheme> out.vgf
//
// model.mlir is a kiln or TOSA model (e.g. `kiln-compile --model=demo-linear
// --emit=kiln -o model.mlir`). The container is written to out.vgf (the same bytes
// `kiln-compile model.mlir --scheme=<scheme> -o out.vgf` writes), then opened on the
// first Vulkan device and run once on zeros.

#include "kiln/compiler/Compiler.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Encoder.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdio>
#include <vector>

namespace {

int fail(const std::string &message) {
  std::fprintf(stderr, "kiln-compile-app: error: %s\n", message.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4)
    return fail("usage: kiln-compile-app model.mlir <scheme> out.vgf");
  mlir::DialectRegistry registry;
  kiln::registerCompilerDialects(registry);
  mlir::MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context); // file:line:col errors
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::parseSourceFile<mlir::ModuleOp>(argv[1], sourceMgr, &context);
  if (!module)
    return 1;

  kiln::CompileOptions options;
  options.scheme = argv[2];
  kiln::Expected<kiln::vgf::Model> model = kiln::compileToVgf(*module, options);
  if (!model)
    return fail(model.status().message());
  if (kiln::Status written = kiln::vgf::writeVgfFile(argv[3], *model); !written.isOk())
    return fail(written.message());

  auto session = kiln::rt::Session::open(argv[3]);
  if (!session)
    return fail(session.status().message());
  kiln::rt::Session &s = **session;
  for (size_t i = 0; i < s.inputs().size(); ++i) {
    std::vector<uint8_t> zeros(s.inputs()[i].byteSize);
    if (kiln::Status set = s.setInput(i, zeros.data(), zeros.size()); !set.isOk())
      return fail(set.message());
  }
  if (kiln::Status ran = s.run(); !ran.isOk())
    return fail(ran.message());
  std::printf("compiled %s (%s) to %s and ran it on '%s'\n", argv[1], argv[2], argv[3],
              s.deviceName().c_str());
  return 0;
}
