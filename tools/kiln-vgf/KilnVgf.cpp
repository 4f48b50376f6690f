// kiln-vgf: inspect and check VGF containers.
//
//   kiln-vgf dump <file.vgf> [--json] [--disassemble]
//   kiln-vgf validate <file.vgf>
//   kiln-vgf sample <out.vgf>      (a tiny valid container for tests and the fuzz corpus)
//
// Exit codes: 0 success, 1 invalid or unsupported file, 2 bad usage. Every failure is
// one line on stderr and nothing is written to stdout (or to the output file).

#include "Dump.h"
#include "SampleModel.h"
#include "Spirv.h"
#include "kiln/vgf/Decoder.h"
#include "kiln/vgf/Encoder.h"

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

namespace {

using namespace kiln;

constexpr int kExitInvalid = 1;
constexpr int kExitUsage = 2;

constexpr const char *kUsage =
    "usage: kiln-vgf dump <file.vgf> [--json] [--disassemble]\n"
    "       kiln-vgf validate <file.vgf>\n"
    "       kiln-vgf sample <out.vgf>\n";

int usageError(const std::string &message) {
  std::fprintf(stderr, "kiln-vgf: %s\n%s", message.c_str(), kUsage);
  return kExitUsage;
}

int failure(const Status &status) {
  std::fprintf(stderr, "kiln-vgf: error: %s\n", status.message().c_str());
  return status.code() == StatusCode::InvalidArgument ? kExitUsage : kExitInvalid;
}

struct Args {
  std::string command;
  std::string path;
  bool json = false;
  bool disassemble = false;
};

/// Parses argv; returns an error message, empty on success.
std::string parse(int argc, char **argv, Args &args) {
  if (argc < 2)
    return "missing command";
  args.command = argv[1];
  if (args.command != "dump" && args.command != "validate" && args.command != "sample")
    return "unknown command '" + args.command + "', expected dump, validate or sample";
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (args.command == "dump" && arg == "--json")
      args.json = true;
    else if (args.command == "dump" && arg == "--disassemble")
      args.disassemble = true;
    else if (arg.size() > 1 && arg[0] == '-')
      return "unknown option '" + arg + "' for '" + args.command + "'";
    else if (!args.path.empty())
      return "unexpected argument '" + arg + "', '" + args.command + "' takes one file";
    else
      args.path = arg;
  }
  if (args.path.empty())
    return "'" + args.command + "' needs a file argument";
  return "";
}

int run(const Args &args) {
  if (args.command == "sample") {
    Status status = vgf::writeVgfFile(args.path, vgf::buildSampleModel());
    return status.isOk() ? 0 : failure(status);
  }
  auto decoded = vgf::decodeVgfFile(args.path);
  if (!decoded)
    return failure(decoded.status());
  if (args.command == "validate") {
    const vgf::Model &model = decoded->model;
    for (size_t i = 0; i < model.modules.size(); ++i) {
      Status status = vgf::validateModule(model.modules[i], i);
      if (!status.isOk())
        return failure(std::move(status).withContext(args.path + ": "));
    }
    std::printf("%s: valid (%zu modules, %zu segments, %zu resources, %zu constants)\n",
                args.path.c_str(), model.modules.size(), model.segments.size(),
                model.resources.size(), model.constants.size());
    return 0;
  }
  auto text = args.json ? vgf::dumpJson(*decoded, args.disassemble)
                        : vgf::dumpText(*decoded, args.disassemble);
  if (!text)
    return failure(text.takeStatus().withContext(args.path + ": "));
  std::fwrite(text->data(), 1, text->size(), stdout);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Args args;
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::string error = parse(argc, argv, args);
  if (!error.empty())
    return usageError(error);
  // nlohmann::json may throw (for example on invalid UTF-8 in a name); report it as
  // one line rather than terminating.
  try {
    return run(args);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "kiln-vgf: error: %s: %s\n", args.path.c_str(), e.what());
    return kExitInvalid;
  }
}
