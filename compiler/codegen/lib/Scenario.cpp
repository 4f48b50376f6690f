//===- Scenario.cpp - Arm scenario-runner export of a weights-as-inputs VGF ===//
//
// The scenario JSON layout follows Arm's scenario runner (see docs/vgf.md): one
// `graph` resource for the .vgf, one `buffer` per model input/output (size in bytes,
// .npy src or dst), and one `dispatch_graph` binding them by the model-sequence
// binding ids.
//
//===----------------------------------------------------------------------===//

#include "kiln/codegen/EmitVgf.h"

#include "kiln/runtime/Npy.h"
#include "kiln/support/Files.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"

#include <sstream>

namespace kiln::codegen {
namespace {

rt::DType npyTypeOf(ElementType type) {
  switch (type) {
  case ElementType::F32: return rt::DType::F32;
  case ElementType::F16: return rt::DType::F16;
  case ElementType::I8: return rt::DType::I8;
  case ElementType::I32: return rt::DType::I32;
  }
  return rt::DType::U8;
}

/// Kiln's tensor names are identifiers with dots and underscores; anything else is
/// escaped so the JSON stays valid whatever a front end names things.
std::string jsonString(const std::string &text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      out += ' ';
      continue;
    }
    out += c;
  }
  return out + "\"";
}

struct Buffer {
  std::string uid;
  uint32_t binding;
  int64_t bytes;
  bool output;
  std::string npy; ///< relative to the scenario
};

} // namespace

Expected<std::string> writeScenario(const KernelGraph &graph, const vgf::Model &model,
                                    const std::string &vgfPath) {
  namespace path = llvm::sys::path;
  llvm::SmallString<256> stemPath(vgfPath);
  if (path::extension(stemPath) == ".vgf")
    path::replace_extension(stemPath, "");
  std::string stem = stemPath.str().str();
  llvm::SmallString<256> directoryPath = path::parent_path(vgfPath);
  if (!directoryPath.empty())
    directoryPath += path::get_separator();
  std::string directory = directoryPath.str().str();
  std::string prefix = path::filename(stem).str();

  std::vector<Buffer> buffers;
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    const GraphTensor &tensor = graph.tensors[model.inputs[i].mrtIndex];
    Buffer buffer{model.inputNames[i], model.inputs[i].binding, tensor.byteSize(), false,
                  tensor.name + ".npy"};
    if (tensor.category == vgf::ResourceCategory::Constant) {
      buffer.npy = prefix + "." + tensor.name + ".npy";
      rt::NpyArray array;
      array.dtype = npyTypeOf(tensor.type);
      array.shape = tensor.shape;
      array.data = *tensor.data;
      KILN_RETURN_IF_ERROR(rt::writeNpy(directory + buffer.npy, array));
    }
    buffers.push_back(std::move(buffer));
  }
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    const GraphTensor &tensor = graph.tensors[model.outputs[i].mrtIndex];
    buffers.push_back({model.outputNames[i], model.outputs[i].binding, tensor.byteSize(), true,
                       tensor.name + ".npy"});
  }

  std::ostringstream json;
  json << "{\n  \"resources\": [\n"
       << "    {\"graph\": {\"uid\": \"graph\", \"src\": " << jsonString(path::filename(vgfPath).str())
       << "}}";
  for (const Buffer &b : buffers)
    json << ",\n    {\"buffer\": {\"uid\": " << jsonString(b.uid) << ", \"size\": " << b.bytes
         << ", \"shader_access\": \"" << (b.output ? "writeonly" : "readonly") << "\", \""
         << (b.output ? "dst" : "src") << "\": " << jsonString(b.npy) << "}}";
  json << "\n  ],\n  \"commands\": [\n    {\"dispatch_graph\": {\"graph_ref\": \"graph\", "
          "\"bindings\": [";
  for (size_t i = 0; i < buffers.size(); ++i)
    json << (i ? ", " : "") << "{\"set\": 0, \"id\": " << buffers[i].binding
         << ", \"resource_ref\": " << jsonString(buffers[i].uid) << "}";
  json << "]}}\n  ]\n}\n";

  std::string scenarioPath = stem + ".scenario.json";
  std::string text = json.str();
  KILN_RETURN_IF_ERROR(writeFileAtomically(scenarioPath, text.data(), text.size()));
  return scenarioPath;
}

} // namespace kiln::codegen
