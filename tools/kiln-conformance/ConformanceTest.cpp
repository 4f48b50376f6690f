//===- ConformanceTest.cpp - desc.json of the TOSA conformance layout ------===//

#include "ConformanceTest.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace kiln::conformance {

namespace {

std::string joinPath(const std::string &dir, llvm::StringRef file) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, file);
  return path.str().str();
}

/// The string array at `key`, each entry made a path under `dir`.
Expected<std::vector<std::string>> pathList(const llvm::json::Object &desc, llvm::StringRef key,
                                            const std::string &dir, const std::string &file) {
  const llvm::json::Array *array = desc.getArray(key);
  if (!array)
    return invalidFile(file + ": expected \"" + key.str() + "\" to be an array of file names");
  std::vector<std::string> paths;
  for (const llvm::json::Value &entry : *array) {
    std::optional<llvm::StringRef> name = entry.getAsString();
    if (!name)
      return invalidFile(file + ": expected every entry of \"" + key.str() + "\" to be a string");
    paths.push_back(joinPath(dir, *name));
  }
  return paths;
}

} // namespace

Expected<ConformanceTest> readTest(const std::string &dir, const std::string &name) {
  std::string file = joinPath(dir, "desc.json");
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer = llvm::MemoryBuffer::getFile(file);
  if (!buffer)
    return invalidFile(file + ": cannot read: " + buffer.getError().message());
  llvm::Expected<llvm::json::Value> json = llvm::json::parse((*buffer)->getBuffer());
  if (!json)
    return invalidFile(file + ": not valid JSON: " + llvm::toString(json.takeError()));
  const llvm::json::Object *desc = json->getAsObject();
  if (!desc)
    return invalidFile(file + ": expected a JSON object");

  ConformanceTest test;
  test.name = name;
  std::optional<llvm::StringRef> tosa = desc->getString("tosa_file");
  if (!tosa)
    return invalidFile(file + ": expected \"tosa_file\" to name the .tosa graph");
  test.tosaFile = joinPath(dir, *tosa);
  Expected<std::vector<std::string>> inputs = pathList(*desc, "ifm_file", dir, file);
  if (!inputs)
    return inputs.takeStatus();
  test.inputFiles = std::move(*inputs);
  test.expectedFailure = desc->getBoolean("expected_failure").value_or(false);
  if (test.expectedFailure)
    return test;
  Expected<std::vector<std::string>> expected =
      pathList(*desc, desc->get("expected_result_file") ? "expected_result_file" : "ofm_file",
               dir, file);
  if (!expected)
    return expected.takeStatus();
  test.expectedFiles = std::move(*expected);
  return test;
}

Expected<std::vector<std::string>> findTestDirs(const std::string &root) {
  if (!llvm::sys::fs::is_directory(root))
    return invalidArgument(root + ": not a directory");
  std::vector<std::string> dirs;
  if (llvm::sys::fs::exists(joinPath(root, "desc.json")))
    dirs.push_back(root);
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(root, ec), end; it != end && !ec;
       it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::directory_file &&
        llvm::sys::fs::exists(joinPath(it->path(), "desc.json")))
      dirs.push_back(it->path());
  if (ec)
    return invalidFile(root + ": cannot walk the directory: " + ec.message());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

} // namespace kiln::conformance
