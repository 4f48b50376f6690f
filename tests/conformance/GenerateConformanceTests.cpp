//===- GenerateConformanceTests.cpp - Kiln's own TOSA conformance tests ----===//
//
// kiln-conformance-gen DIR
//
// Writes one test per operator and dtype in the TOSA conformance layout: the graph
// exported by Kiln's TOSA flatbuffer writer, seeded random inputs, and the outputs
// of the reference evaluator as the expected results. kiln-conformance then checks
// that the .tosa reader, the reference evaluator and every backend that compiles the
// graph agree with them (the ctest `conformance`).
//
//===----------------------------------------------------------------------===//

#include "kiln/import/TosaFlatbuffer.h"
#include "kiln/reference/Evaluator.h"
#include "kiln/reference/NpyConvert.h"
#include "kiln/support/Files.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <random>

using namespace mlir;

namespace {

struct Case {
  std::string name;
  std::string function; ///< a func.func @main in TOSA 1.0
};

/// `func.func @main(args) -> result { body; return %r }`, the shape of every case.
std::string graph(const std::string &args, const std::string &result, const std::string &body) {
  return "func.func @main(" + args + ") -> " + result + " {\n" + body + "\n  return %r : " +
         result + "\n}\n";
}

std::string scalar(const std::string &name, const std::string &value, const std::string &type) {
  return "  " + name + " = \"tosa.const\"() <{values = dense<" + value + "> : tensor<1x" + type +
         ">}> : () -> tensor<1x" + type + ">\n";
}

/// Elementwise ops on 2x3x4 tensors, the second operand broadcast over the batch.
std::string binary(const std::string &op, const std::string &in, const std::string &out,
                   const std::string &extraOperand = "", const std::string &extraType = "") {
  std::string a = "tensor<2x3x4x" + in + ">", b = "tensor<1x3x4x" + in + ">";
  std::string r = "tensor<2x3x4x" + out + ">";
  std::string extra = extraOperand.empty() ? "" : ", %shift";
  std::string extraTypes = extraOperand.empty() ? "" : ", tensor<1xi8>";
  return graph("%a: " + a + ", %b: " + b, r,
               extraOperand + "  %r = tosa." + op + " %a, %b" + extra + " : (" + a + ", " + b +
                   extraTypes + ") -> " + r);
}

/// A [1, k, n] constant literal with small varied values (eighths for floats).
std::string weights(int k, int n, bool isFloat) {
  std::string text = "[[";
  for (int i = 0; i < k; ++i) {
    text += i ? ", [" : "[";
    for (int j = 0; j < n; ++j) {
      int v = (i * 7 + j * 3) % 11 - 5;
      text += (j ? ", " : "") + (isFloat ? std::to_string(v / 8.0) : std::to_string(v));
    }
    text += "]";
  }
  return text + "]]";
}

std::vector<Case> cases() {
  std::vector<Case> all;
  const std::string t = "2x3x4x";
  // MATMUL: int8 with zero points (i32 accumulator), int16 (i48), fp16 and fp32; the
  // right-hand side is a constant, as the weights of a layer are.
  for (auto [name, in, acc, zp] :
       {std::tuple("int8", "i8", "i32", std::pair("-3", "2")),
        std::tuple("int16", "i16", "i48", std::pair("0", "0")),
        std::tuple("fp16", "f16", "f32", std::pair("0.0", "0.0")),
        std::tuple("fp32", "f32", "f32", std::pair("0.0", "0.0"))}) {
    std::string a = std::string("tensor<1x3x4x") + in + ">", b = std::string("tensor<1x4x5x") + in + ">";
    std::string r = std::string("tensor<1x3x5x") + acc + ">";
    std::string z = std::string("tensor<1x") + in + ">";
    all.push_back({std::string("matmul_") + name,
                   graph("%a: " + a, r,
                         "  %b = \"tosa.const\"() <{values = dense<" +
                             weights(4, 5, std::string(in).front() == 'f') + "> : " + b +
                             "}> : () -> " + b + "\n" + scalar("%azp", zp.first, in) +
                             scalar("%bzp", zp.second, in) +
                             "  %r = tosa.matmul %a, %b, %azp, %bzp : (" + a + ", " + b + ", " +
                             z + ", " + z + ") -> " + r)});
  }
  // RESCALE: int8 -> int8 with zero points, int16 -> int16 (16-bit multiplier),
  // int32 -> int8 per channel.
  auto rescale = [&](const std::string &name, const std::string &in, const std::string &out,
                     const std::string &params, const std::string &multType, int channels,
                     bool scale32, bool perChannel) {
    std::string c = std::to_string(channels);
    std::string x = "tensor<" + t + in + ">", r = "tensor<" + t + out + ">";
    std::string mt = "tensor<" + c + "x" + multType + ">", st = "tensor<" + c + "xi8>";
    all.push_back({"rescale_" + name,
                   graph("%x: " + x, r,
                         params + "  %r = tosa.rescale %x, %mult, %shift, %izp, %ozp {input_unsigned = false, "
                                  "output_unsigned = false, per_channel = " +
                             (perChannel ? "true" : "false") +
                             ", rounding_mode = SINGLE_ROUND, scale32 = " + (scale32 ? "true" : "false") +
                             "} : (" + x + ", " + mt + ", " + st + ", tensor<1x" + in + ">, tensor<1x" +
                             out + ">) -> " + r)});
  };
  auto consts = [](const std::string &mult, const std::string &multType, const std::string &shift,
                   int channels, const std::string &izp, const std::string &in,
                   const std::string &ozp, const std::string &out) {
    std::string c = std::to_string(channels);
    return "  %mult = \"tosa.const\"() <{values = dense<" + mult + "> : tensor<" + c + "x" + multType +
           ">}> : () -> tensor<" + c + "x" + multType + ">\n  %shift = \"tosa.const\"() <{values = dense<" +
           shift + "> : tensor<" + c + "xi8>}> : () -> tensor<" + c + "xi8>\n" + scalar("%izp", izp, in) +
           scalar("%ozp", ozp, out);
  };
  rescale("int8", "i8", "i8", consts("1518500250", "i32", "31", 1, "-5", "i8", "7", "i8"), "i32", 1,
          true, false);
  rescale("int16", "i16", "i16", consts("20000", "i16", "15", 1, "0", "i16", "0", "i16"), "i16", 1,
          false, false);
  rescale("int32", "i32", "i8",
          consts("[1073741824, 1518500250, 2000000000, 1234567890]", "i32", "[35, 36, 37, 38]", 4, "0",
                 "i32", "-3", "i8"),
          "i32", 4, true, true);
  // CLAMP: int8, int16, fp16, fp32 (TOSA 1.0 has no int32 CLAMP).
  for (auto [name, type, lo, hi] : {std::tuple("int8", "i8", "-50", "60"),
                                    std::tuple("int16", "i16", "-1000", "1000"),
                                    std::tuple("fp16", "f16", "-1.5", "2.0"),
                                    std::tuple("fp32", "f32", "-1.5", "2.0")}) {
    std::string x = "tensor<" + t + type + ">";
    all.push_back({std::string("clamp_") + name,
                   graph("%x: " + x, x,
                         std::string("  %r = tosa.clamp %x {max_val = ") + hi + " : " + type +
                             ", min_val = " + lo + " : " + type + "} : (" + x + ") -> " + x)});
  }
  // CAST from each dtype.
  for (auto [name, in, out] : {std::tuple("int8", "i8", "i32"), std::tuple("int16", "i16", "i8"),
                               std::tuple("int32", "i32", "f32"), std::tuple("fp16", "f16", "f32"),
                               std::tuple("fp32", "f32", "i8"), std::tuple("fp32_fp16", "f32", "f16")}) {
    std::string x = "tensor<" + t + in + ">", r = "tensor<" + t + out + ">";
    all.push_back({std::string("cast_") + name,
                   graph("%x: " + x, r, "  %r = tosa.cast %x : (" + x + ") -> " + r)});
  }
  // ADD: int32, fp16, fp32 (TOSA 1.0 adds no narrower integers).
  for (auto [name, type] : {std::pair("int32", "i32"), std::pair("fp16", "f16"), std::pair("fp32", "f32")})
    all.push_back({std::string("add_") + name, binary("add", type, type)});
  // MUL: int8 and int16 widen to int32; int32 with a rounding shift; fp16, fp32.
  for (auto [name, in, out, shift] :
       {std::tuple("int8", "i8", "i32", "0"), std::tuple("int16", "i16", "i32", "0"),
        std::tuple("int32", "i32", "i32", "2"), std::tuple("fp16", "f16", "f16", "0"),
        std::tuple("fp32", "f32", "f32", "0")})
    all.push_back({std::string("mul_") + name, binary("mul", in, out, scalar("%shift", shift, "i8"))});
  // RESHAPE and TRANSPOSE of every dtype.
  for (auto [name, type] : {std::pair("int8", "i8"), std::pair("int16", "i16"), std::pair("int32", "i32"),
                            std::pair("fp16", "f16"), std::pair("fp32", "f32")}) {
    std::string x = "tensor<" + t + type + ">";
    std::string flat = std::string("tensor<6x4x") + type + ">";
    all.push_back({std::string("reshape_") + name,
                   graph("%x: " + x, flat,
                         "  %s = tosa.const_shape {values = dense<[6, 4]> : tensor<2xindex>} : () -> "
                         "!tosa.shape<2>\n  %r = tosa.reshape %x, %s : (" + x +
                             ", !tosa.shape<2>) -> " + flat)});
    std::string perm = std::string("tensor<4x2x3x") + type + ">";
    all.push_back({std::string("transpose_") + name,
                   graph("%x: " + x, perm,
                         "  %r = tosa.transpose %x {perms = array<i32: 2, 0, 1>} : (" + x + ") -> " +
                             perm)});
  }
  return all;
}

/// Seeded random values that every op above accepts: full range for int8/int16,
/// |x| <= 30000 for int32 (ADD and MUL must not overflow), and multiples of 1/128 in
/// [-4, 4) for floats (exact in fp16).
kiln::ref::Tensor randomTensor(Type type, std::mt19937 &rng) {
  auto shaped = cast<RankedTensorType>(type);
  kiln::ref::ElementType element = *kiln::ref::elementTypeOf(shaped.getElementType());
  kiln::ref::Tensor tensor(element, std::vector<int64_t>(shaped.getShape().begin(),
                                                         shaped.getShape().end()));
  for (int64_t i = 0; i < tensor.numElements(); ++i) {
    if (tensor.isFloat()) {
      tensor.setFloat(i, std::uniform_int_distribution<int>(-512, 511)(rng) / 128.0);
    } else {
      int64_t bound = std::min<int64_t>(kiln::ref::intMax(element), 30000);
      int64_t low = std::max<int64_t>(kiln::ref::intMin(element), -bound);
      tensor.setInt(i, std::uniform_int_distribution<int64_t>(low, bound)(rng));
    }
  }
  return tensor;
}

std::string join(const std::string &dir, const std::string &file) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, file);
  return path.str().str();
}

/// Writes one case's directory; returns false after printing why.
bool writeCase(const Case &c, const std::string &dir, MLIRContext &context, std::mt19937 &rng) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(c.function, &context);
  if (!module)
    return false;
  auto func = *module->getOps<func::FuncOp>().begin();
  std::vector<kiln::ref::Tensor> inputs;
  for (Type type : func.getArgumentTypes())
    inputs.push_back(randomTensor(type, rng));
  FailureOr<std::vector<kiln::ref::Tensor>> outputs = kiln::ref::evaluate(func, inputs);
  FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(*module);
  if (failed(outputs) || failed(bytes))
    return false;
  if (std::error_code ec = llvm::sys::fs::create_directories(dir)) {
    llvm::errs() << dir << ": " << ec.message() << "\n";
    return false;
  }
  std::vector<kiln::Status> statuses;
  statuses.push_back(kiln::writeFileAtomically(join(dir, "model.tosa"), bytes->data(), bytes->size()));
  std::string json;
  llvm::raw_string_ostream os(json);
  llvm::json::OStream desc(os, 2);
  desc.object([&] {
    desc.attribute("tosa_file", "model.tosa");
    auto files = [&](const char *key, const char *prefix, const std::vector<kiln::ref::Tensor> &tensors) {
      desc.attributeArray(key, [&] {
        for (size_t i = 0; i < tensors.size(); ++i) {
          std::string file = prefix + std::to_string(i) + ".npy";
          desc.value(file);
          statuses.push_back(kiln::rt::writeNpy(join(dir, file), kiln::ref::toNpy(tensors[i])));
        }
      });
    };
    desc.attributeArray("ifm_name", [&] {
      for (size_t i = 0; i < inputs.size(); ++i)
        desc.value("input-" + std::to_string(i));
    });
    files("ifm_file", "input-", inputs);
    files("expected_result_file", "expected-", *outputs);
    desc.attribute("expected_failure", false);
  });
  os << "\n";
  statuses.push_back(kiln::writeFileAtomically(join(dir, "desc.json"), json.data(), json.size()));
  for (const kiln::Status &status : statuses)
    if (!status.isOk()) {
      llvm::errs() << status.message() << "\n";
      return false;
    }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    llvm::errs() << "usage: kiln-conformance-gen DIR\n";
    return 2;
  }
  std::string root = argv[1];
  // Stale cases from an older generator must not linger in the walked directory.
  llvm::sys::fs::remove_directories(root);
  MLIRContext context;
  context.loadDialect<tosa::TosaDialect, func::FuncDialect>();
  std::mt19937 rng(20251123);
  unsigned written = 0;
  for (const Case &c : cases()) {
    if (!writeCase(c, join(root, c.name), context, rng)) {
      llvm::errs() << "kiln-conformance-gen: error: cannot generate " << c.name << "\n";
      return 1;
    }
    ++written;
  }
  llvm::outs() << "wrote " << written << " tests to " << root << "\n";
  return 0;
}
