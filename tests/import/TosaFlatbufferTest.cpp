//===- TosaFlatbufferTest.cpp - .tosa import/export and corruption tests ---===//

#include "kiln/import/TosaFlatbuffer.h"
#include "kiln/import/tosa_generated.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

namespace {

using namespace mlir;
namespace fb = kiln::tosafb;

/// A linear int8 layer plus the data movement and fp16/bf16/int4 constants, so that
/// one round trip covers every attribute and data layout the exporter writes.
constexpr char kModel[] = R"mlir(
func.func @forward(%x: tensor<1x4x8xi8>, %h: tensor<2xf16>) -> (tensor<2x8xi8>, tensor<8x2xi32>, tensor<2xf16>) {
  %w = "tosa.const"() <{values = dense<[[[1, -2, 3, -4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16], [1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3], [-128, 127, 0, 1]]]> : tensor<1x8x4xi8>}> : () -> tensor<1x8x4xi8>
  %x_zp = "tosa.const"() <{values = dense<-5> : tensor<1xi8>}> : () -> tensor<1xi8>
  %w_zp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %acc = tosa.matmul %x, %w, %x_zp, %w_zp : (tensor<1x4x8xi8>, tensor<1x8x4xi8>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4xi32>
  %mult = "tosa.const"() <{values = dense<[1073741824, 1073741823, 5, 7]> : tensor<4xi32>}> : () -> tensor<4xi32>
  %shift = "tosa.const"() <{values = dense<[31, 32, 10, 40]> : tensor<4xi8>}> : () -> tensor<4xi8>
  %in_zp = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
  %out_zp = "tosa.const"() <{values = dense<3> : tensor<1xi8>}> : () -> tensor<1xi8>
  %y = tosa.rescale %acc, %mult, %shift, %in_zp, %out_zp {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x4x4xi32>, tensor<4xi32>, tensor<4xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x4x4xi8>
  %c = tosa.clamp %y {max_val = 100 : i8, min_val = -100 : i8} : (tensor<1x4x4xi8>) -> tensor<1x4x4xi8>
  %s = tosa.const_shape  {values = dense<[8, 2]> : tensor<2xindex>} : () -> !tosa.shape<2>
  %r = tosa.reshape %c, %s : (tensor<1x4x4xi8>, !tosa.shape<2>) -> tensor<8x2xi8>
  %t = tosa.transpose %r {perms = array<i32: 1, 0>} : (tensor<8x2xi8>) -> tensor<2x8xi8>
  %zero = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %m = tosa.mul %r, %r, %zero : (tensor<8x2xi8>, tensor<8x2xi8>, tensor<1xi8>) -> tensor<8x2xi32>
  %q = "tosa.const"() <{values = dense<[1, -8, 7]> : tensor<3xi4>}> : () -> tensor<3xi4>
  %b = "tosa.const"() <{values = dense<[1.5, -2.0]> : tensor<2xbf16>}> : () -> tensor<2xbf16>
  %bc = tosa.cast %b : (tensor<2xbf16>) -> tensor<2xf16>
  %hs = tosa.add %h, %bc : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  %hm = tosa.clamp %hs {max_val = 1.000000e+00 : f16, min_val = -1.000000e+00 : f16, nan_mode = IGNORE} : (tensor<2xf16>) -> tensor<2xf16>
  return %t, %m, %hm : tensor<2x8xi8>, tensor<8x2xi32>, tensor<2xf16>
}
)mlir";

class TosaFlatbufferTest : public ::testing::Test {
protected:
  TosaFlatbufferTest() {
    context.loadDialect<tosa::TosaDialect, func::FuncDialect>();
    handler = std::make_unique<ScopedDiagnosticHandler>(&context, [this](Diagnostic &d) {
      messages.push_back(d.str());
      return success();
    });
  }

  /// Imports `bytes`; on failure returns the first error message.
  std::string importError(llvm::ArrayRef<uint8_t> bytes) {
    messages.clear();
    FailureOr<OwningOpRef<ModuleOp>> module =
        kiln::importTosaFlatbuffer(bytes, "test.tosa", context);
    if (succeeded(module))
      return "(imported)";
    return messages.empty() ? "(no diagnostic)" : messages.front();
  }

  MLIRContext context;
  std::vector<std::string> messages;
  std::unique_ptr<ScopedDiagnosticHandler> handler;
};

/// Prints the module's function only: the target attribute is derived on import.
std::string printFunction(ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  (*module.getOps<func::FuncOp>().begin()).print(os);
  return text;
}

/// A one-operator graph `out = OP(a, b)` on i32 [2] tensors, built field by field so a
/// test can corrupt exactly one thing.
std::vector<uint8_t> buildBinaryGraph(fb::Op op, fb::Attribute attributeType,
                                      const char *secondInput = "b",
                                      fb::DType inputType = fb::DType_INT32,
                                      std::vector<int32_t> shape = {2}) {
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<flatbuffers::Offset<fb::TosaTensor>> tensors = {
      fb::CreateTosaTensorDirect(fbb, "a", &shape, inputType),
      fb::CreateTosaTensorDirect(fbb, "b", &shape, fb::DType_INT32),
      fb::CreateTosaTensorDirect(fbb, "out", &shape, fb::DType_INT32)};
  std::vector<flatbuffers::Offset<flatbuffers::String>> inputs = {
      fbb.CreateString("a"), fbb.CreateString(secondInput)};
  std::vector<flatbuffers::Offset<flatbuffers::String>> outputs = {fbb.CreateString("out")};
  std::vector<flatbuffers::Offset<fb::TosaOperator>> operators = {fb::CreateTosaOperatorDirect(
      fbb, op, attributeType, fb::CreateAddAttribute(fbb).Union(), &inputs, &outputs)};
  std::vector<flatbuffers::Offset<flatbuffers::String>> blockInputs = {
      fbb.CreateString("a"), fbb.CreateString("b")};
  std::vector<flatbuffers::Offset<flatbuffers::String>> blockOutputs = {
      fbb.CreateString("out")};
  auto block = fb::CreateTosaBasicBlockDirect(fbb, "main", &operators, &tensors, &blockInputs,
                                              &blockOutputs);
  std::vector<flatbuffers::Offset<fb::TosaBasicBlock>> blocks = {block};
  std::vector<flatbuffers::Offset<fb::TosaRegion>> regions = {
      fb::CreateTosaRegionDirect(fbb, "main", &blocks)};
  fb::FinishTosaGraphBuffer(
      fbb, fb::CreateTosaGraphDirect(fbb, fb::CreateVersion(fbb, 1, 0, 0, false), &regions));
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

TEST_F(TosaFlatbufferTest, ReadsSixByteShapesAndFourByteBf16) {
  // The layouts of older reference serializers: SHAPE as INT48, BF16 as the fp32 value.
  flatbuffers::FlatBufferBuilder fbb;
  std::vector<int32_t> rank = {2};
  std::vector<uint8_t> shapeData = {4, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  float floats[] = {1.5f, -2.0f};
  std::vector<uint8_t> bf16Data(reinterpret_cast<uint8_t *>(floats),
                                reinterpret_cast<uint8_t *>(floats) + sizeof(floats));
  std::vector<flatbuffers::Offset<fb::TosaTensor>> tensors = {
      fb::CreateTosaTensorDirect(fbb, "s", &rank, fb::DType_SHAPE, &shapeData),
      fb::CreateTosaTensorDirect(fbb, "b", &rank, fb::DType_BF16, &bf16Data)};
  std::vector<flatbuffers::Offset<flatbuffers::String>> s = {fbb.CreateString("s")};
  std::vector<flatbuffers::Offset<flatbuffers::String>> b = {fbb.CreateString("b")};
  std::vector<flatbuffers::Offset<fb::TosaOperator>> operators = {
      fb::CreateTosaOperatorDirect(fbb, fb::Op_CONST_SHAPE, fb::Attribute_NONE, 0, nullptr, &s),
      fb::CreateTosaOperatorDirect(fbb, fb::Op_CONST, fb::Attribute_NONE, 0, nullptr, &b)};
  std::vector<flatbuffers::Offset<flatbuffers::String>> outputs = {fbb.CreateString("b")};
  auto block = fb::CreateTosaBasicBlockDirect(fbb, "main", &operators, &tensors, nullptr, &outputs);
  std::vector<flatbuffers::Offset<fb::TosaBasicBlock>> blocks = {block};
  std::vector<flatbuffers::Offset<fb::TosaRegion>> regions = {
      fb::CreateTosaRegionDirect(fbb, "main", &blocks)};
  fb::FinishTosaGraphBuffer(
      fbb, fb::CreateTosaGraphDirect(fbb, fb::CreateVersion(fbb, 1, 0, 0, false), &regions));
  FailureOr<OwningOpRef<ModuleOp>> module = kiln::importTosaFlatbuffer(
      llvm::ArrayRef(fbb.GetBufferPointer(), fbb.GetSize()), "test.tosa", context);
  ASSERT_TRUE(succeeded(module)) << (messages.empty() ? "" : messages.front());
  std::string text = printFunction(**module);
  EXPECT_NE(text.find("dense<[4, -1]> : tensor<2xindex>"), std::string::npos) << text;
  EXPECT_NE(text.find("dense<[1.500000e+00, -2.000000e+00]> : tensor<2xbf16>"),
            std::string::npos)
      << text;
}

TEST_F(TosaFlatbufferTest, RoundTripsToTheSameFunction) {
  OwningOpRef<ModuleOp> original = parseSourceString<ModuleOp>(kModel, &context);
  ASSERT_TRUE(original) << (messages.empty() ? "" : messages.front());
  FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(*original);
  ASSERT_TRUE(succeeded(bytes));
  EXPECT_TRUE(kiln::isTosaFlatbuffer(*bytes));
  FailureOr<OwningOpRef<ModuleOp>> imported =
      kiln::importTosaFlatbuffer(*bytes, "test.tosa", context);
  ASSERT_TRUE(succeeded(imported)) << (messages.empty() ? "" : messages.front());
  EXPECT_EQ(printFunction(**imported), printFunction(*original));
  // Export of the import gives the same bytes: nothing is lost either way.
  FailureOr<std::vector<uint8_t>> again = kiln::exportTosaFlatbuffer(**imported);
  ASSERT_TRUE(succeeded(again));
  EXPECT_EQ(*again, *bytes);
}

/// One function per remaining operator of the table, each round-tripped on its own.
constexpr const char *kOperatorModels[] = {
    R"mlir(func.func @conv(%x: tensor<1x2x2x4xi8>) -> tensor<1x2x2x3xi32> {
  %w = "tosa.const"() <{values = dense<[[[[1, -8, 7, 0]]], [[[2, 3, -1, -2]]], [[[0, 0, 5, 6]]]]> : tensor<3x1x1x4xi4>}> : () -> tensor<3x1x1x4xi4>
  %b = "tosa.const"() <{values = dense<[10, -20, 30]> : tensor<3xi32>}> : () -> tensor<3xi32>
  %xzp = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi4>}> : () -> tensor<1xi4>
  %y = tosa.conv2d %x, %w, %b, %xzp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x2x2x4xi8>, tensor<3x1x1x4xi4>, tensor<3xi32>, tensor<1xi8>, tensor<1xi4>) -> tensor<1x2x2x3xi32>
  return %y : tensor<1x2x2x3xi32>
})mlir",
    R"mlir(func.func @reduce(%x: tensor<2x3xf32>) -> (tensor<1x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>) {
  %s = tosa.reduce_sum %x {axis = 0 : i32} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  %m = tosa.reduce_max %x {axis = 1 : i32, nan_mode = IGNORE} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %n = tosa.reduce_min %x {axis = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return %s, %m, %n : tensor<1x3xf32>, tensor<2x1xf32>, tensor<2x1xf32>
})mlir",
    R"mlir(func.func @compare(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xi1>) {
  %g = tosa.greater %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %ge = tosa.greater_equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %e = tosa.equal %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
  %s = tosa.select %g, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %t = "tosa.const"() <{values = dense<[true, false, true, true]> : tensor<4xi1>}> : () -> tensor<4xi1>
  return %s, %ge, %t : tensor<4xf32>, tensor<4xi1>, tensor<4xi1>
})mlir",
    R"mlir(func.func @unary(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %a = tosa.abs %x : (tensor<4xf32>) -> tensor<4xf32>
  %r = tosa.reciprocal %a : (tensor<4xf32>) -> tensor<4xf32>
  %f = tosa.floor %r : (tensor<4xf32>) -> tensor<4xf32>
  %c = tosa.ceil %f : (tensor<4xf32>) -> tensor<4xf32>
  %m = tosa.minimum %c, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %d = tosa.sub %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %n = tosa.identity %d : (tensor<4xi32>) -> tensor<4xi32>
  return %m, %n : tensor<4xf32>, tensor<4xi32>
})mlir",
    R"mlir(func.func @custom(%x: tensor<1x2x8xf32>) -> (tensor<1x2x8xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>) {
  %q:3 = tosa.custom %x {domain_name = "kiln", implementation_attrs = "v1", operator_name = "quantize_rows_qai8dx"} : (tensor<1x2x8xf32>) -> (tensor<1x2x8xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>)
  return %q#0, %q#1, %q#2 : tensor<1x2x8xi8>, tensor<1x2x1xf32>, tensor<1x2x1xi32>
})mlir",
};

TEST_F(TosaFlatbufferTest, RoundTripsEveryOperator) {
  for (const char *text : kOperatorModels) {
    OwningOpRef<ModuleOp> original = parseSourceString<ModuleOp>(text, &context);
    ASSERT_TRUE(original) << (messages.empty() ? "" : messages.front());
    FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(*original);
    ASSERT_TRUE(succeeded(bytes)) << (messages.empty() ? "" : messages.front());
    FailureOr<OwningOpRef<ModuleOp>> imported =
        kiln::importTosaFlatbuffer(*bytes, "test.tosa", context);
    ASSERT_TRUE(succeeded(imported)) << (messages.empty() ? "" : messages.front());
    EXPECT_EQ(printFunction(**imported), printFunction(*original));
  }
}

TEST_F(TosaFlatbufferTest, DerivesTheTargetFromDtypesAndRoundingModes) {
  OwningOpRef<ModuleOp> original = parseSourceString<ModuleOp>(kModel, &context);
  ASSERT_TRUE(original);
  FailureOr<std::vector<uint8_t>> bytes = kiln::exportTosaFlatbuffer(*original);
  ASSERT_TRUE(succeeded(bytes));
  FailureOr<OwningOpRef<ModuleOp>> imported =
      kiln::importTosaFlatbuffer(*bytes, "test.tosa", context);
  ASSERT_TRUE(succeeded(imported));
  std::string target;
  llvm::raw_string_ostream(target) << (**imported)->getAttr("tosa.target_env");
  EXPECT_EQ(target, "#tosa.target_env<specification_version = \"1.0\", level = \"8k\", "
                    "profiles = [pro_int, pro_fp], extensions = [doubleround, int4, bf16]>");
}

TEST_F(TosaFlatbufferTest, ImportsAHandBuiltGraph) {
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute)),
            "(imported)");
}

TEST_F(TosaFlatbufferTest, RejectsBufferShorterThanHeader) {
  std::vector<uint8_t> bytes = {1, 2, 3, 4, 'T'};
  EXPECT_EQ(importError(bytes), "not a TOSA flatbuffer: expected at least 8 bytes, got 5");
}

TEST_F(TosaFlatbufferTest, RejectsWrongFileIdentifier) {
  std::vector<uint8_t> bytes = buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute);
  std::memcpy(bytes.data() + 4, "VGF\x01", 4);
  EXPECT_FALSE(kiln::isTosaFlatbuffer(bytes));
  EXPECT_EQ(importError(bytes), "not a TOSA flatbuffer: expected file identifier \"TOSA\" at "
                                "bytes 4..7, got \"VGF\\x01\"");
}

TEST_F(TosaFlatbufferTest, RejectsTruncatedBuffer) {
  std::vector<uint8_t> bytes = buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute);
  bytes.resize(bytes.size() / 2);
  EXPECT_EQ(importError(bytes),
            "corrupt TOSA flatbuffer: the FlatBuffers verifier rejected it (truncated, or "
            "an offset points outside the " +
                std::to_string(bytes.size()) + "-byte buffer)");
}

TEST_F(TosaFlatbufferTest, RejectsBadUnionTag) {
  // The verifier accepts union tags it does not know (forward compatibility), so the
  // importer must check the tag against the operator itself.
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute(200))),
            "operator 0 (ADD) in block 'main': attribute type 200 does not belong to the "
            "operator, expected AddAttribute (15)");
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_MatMulAttribute)),
            "operator 0 (ADD) in block 'main': attribute type 7 (MatMulAttribute) does not "
            "belong to the operator, expected AddAttribute (15)");
}

TEST_F(TosaFlatbufferTest, RejectsOutOfRangeTensorReference) {
  // Operators refer to tensors by name; a name outside the block's tensor list is the
  // format's out-of-range tensor index.
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute, "nope")),
            "operator 0 (ADD) in block 'main' input 1 names tensor 'nope', which is not in "
            "the tensor list of block 'main'");
}

TEST_F(TosaFlatbufferTest, RejectsTensorUsedBeforeItIsProduced) {
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute, "out")),
            "operator 0 (ADD) in block 'main' input 1: tensor 'out' is not produced by any "
            "earlier operator");
}

TEST_F(TosaFlatbufferTest, RejectsUnsupportedOperatorByPosition) {
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_POW, fb::Attribute_PowAttribute)),
            "operator 0 (POW) in block 'main': unsupported operator");
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op(99), fb::Attribute_NONE)),
            "operator 0 (#99) in block 'main': unsupported operator");
}

TEST_F(TosaFlatbufferTest, RejectsUnsupportedDtype) {
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute, "b",
                                         fb::DType_FP8E4M3)),
            "block 'main' input 0: tensor 'a' has dtype FP8E4M3, which Kiln does not "
            "support");
}

TEST_F(TosaFlatbufferTest, RejectsShapeWithTooManyElements) {
  EXPECT_EQ(importError(buildBinaryGraph(fb::Op_ADD, fb::Attribute_AddAttribute, "b",
                                         fb::DType_INT32, {65536, 65536, 2})),
            "block 'main' input 0: tensor 'a' has more than 4294967296 elements");
}

TEST_F(TosaFlatbufferTest, ExportRejectsOpWithoutFlatbufferForm) {
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(R"mlir(
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %y = tosa.exp %x : (tensor<2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
})mlir",
                                                             &context);
  ASSERT_TRUE(module);
  messages.clear();
  EXPECT_TRUE(failed(kiln::exportTosaFlatbuffer(*module)));
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages.front(), "cannot export 'tosa.exp' to a TOSA flatbuffer: Kiln has no "
                              "flatbuffer operator for it (docs/tosa-flatbuffer.md lists them)");
}

} // namespace
