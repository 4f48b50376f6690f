#include "RunVgf.h"

#include "kiln/cpu/Executor.h"
#include "kiln/runtime/Session.h"
#include "kiln/support/Files.h"
#include "kiln/vgf/Decoder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

namespace kiln::tools {
namespace {

std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

/// Reads one .npy per model input and checks its dtype and shape.
Expected<std::vector<rt::NpyArray>> readInputs(const std::vector<rt::TensorInfo> &inputs,
                                               const std::vector<std::string> &paths) {
  if (paths.size() != inputs.size())
    return invalidArgument("the model takes " + std::to_string(inputs.size()) + " input(s), got " +
                           std::to_string(paths.size()) + " --input file(s)");
  std::vector<rt::NpyArray> arrays;
  for (size_t i = 0; i < paths.size(); ++i) {
    Expected<rt::NpyArray> array = rt::readNpy(paths[i]);
    if (!array)
      return array.takeStatus().withContext("input " + std::to_string(i) + ": ");
    const rt::TensorInfo &info = inputs[i];
    if (array->dtype != info.dtype || array->shape != info.shape)
      return invalidArgument(paths[i] + ": input " + std::to_string(i) + " '" + info.name +
                             "' expects " + rt::dtypeName(info.dtype) + " " + shapeText(info.shape) +
                             ", got " + rt::dtypeName(array->dtype) + " " + shapeText(array->shape));
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

rt::NpyArray toArray(const rt::TensorInfo &info, std::vector<uint8_t> bytes) {
  rt::NpyArray array;
  array.dtype = info.dtype;
  array.shape = info.shape;
  array.data = std::move(bytes);
  return array;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void printProfile(const rt::RunStats &stats) {
  std::printf("%-24s %12s %10s %10s\n", "segment", "time (us)", "GFLOP/s", "GB/s");
  for (const rt::SegmentTiming &s : stats.segments) {
    double seconds = s.microseconds * 1e-6;
    std::string gflops = s.operations && seconds > 0
                             ? std::to_string(double(s.operations) / seconds * 1e-9).substr(0, 7)
                             : "-";
    std::string gbs = seconds > 0 ? std::to_string(double(s.bytes) / seconds * 1e-9).substr(0, 7) : "-";
    std::printf("%-24s %12.1f %10s %10s\n", s.name.c_str(), s.microseconds, gflops.c_str(),
                gbs.c_str());
  }
}

/// Chrome trace-event JSON (also read by Perfetto): one complete event per dispatch at
/// its GPU timestamps, relative to the first dispatch.
Status writeTrace(const std::string &path, const rt::RunStats &stats, const std::string &device) {
  std::ostringstream json;
  json << "{\"traceEvents\": [\n";
  json << "  {\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"args\": {\"name\": \"" << device
       << "\"}}";
  for (const rt::SegmentTiming &s : stats.segments)
    json << ",\n  {\"name\": \"" << s.name << "\", \"cat\": \"dispatch\", \"ph\": \"X\", \"pid\": 1, "
         << "\"tid\": 1, \"ts\": " << s.startMicroseconds << ", \"dur\": " << s.microseconds
         << ", \"args\": {\"operations\": " << s.operations << ", \"bytes\": " << s.bytes << "}}";
  json << "\n], \"displayTimeUnit\": \"ns\"}\n";
  std::string text = json.str();
  return writeFileAtomically(path, text.data(), text.size());
}

void printLatency(const std::vector<double> &wall, const std::string &where, const char *extra) {
  std::printf("latency over %zu runs on %s: median %.1f us, min %.1f us%s\n", wall.size(),
              where.c_str(), median(wall), *std::min_element(wall.begin(), wall.end()), extra);
}

Expected<std::vector<rt::NpyArray>> runOnVulkan(const VgfRunOptions &options) {
  rt::DeviceOptions device;
  device.device = options.device;
  device.validation = options.validation;
  Expected<std::unique_ptr<rt::Session>> session = rt::Session::open(options.path, device);
  if (!session)
    return session.takeStatus();
  rt::Session &s = **session;
  Expected<std::vector<rt::NpyArray>> inputs = readInputs(s.inputs(), options.inputPaths);
  if (!inputs)
    return inputs.takeStatus();
  for (size_t i = 0; i < inputs->size(); ++i)
    KILN_RETURN_IF_ERROR(s.setInput(i, (*inputs)[i].data.data(), (*inputs)[i].data.size()));

  rt::RunStats stats;
  KILN_RETURN_IF_ERROR(s.run(&stats)); // the warm-up run (pipeline JIT on some drivers)
  if (options.repeat > 0) {
    std::vector<double> wall, device;
    for (int i = 0; i < options.repeat; ++i) {
      KILN_RETURN_IF_ERROR(s.run(&stats));
      wall.push_back(stats.wallMicroseconds);
      double sum = 0;
      for (const rt::SegmentTiming &t : stats.segments)
        sum += t.microseconds;
      device.push_back(sum);
    }
    char extra[64];
    std::snprintf(extra, sizeof(extra), " (device time: median %.1f us)", median(device));
    printLatency(wall, s.deviceName(), extra);
  }
  if (options.profile)
    printProfile(stats);
  if (!options.tracePath.empty())
    KILN_RETURN_IF_ERROR(writeTrace(options.tracePath, stats, s.deviceName()));

  std::vector<rt::NpyArray> outputs;
  for (size_t i = 0; i < s.outputs().size(); ++i) {
    const rt::TensorInfo &info = s.outputs()[i];
    std::vector<uint8_t> bytes(info.byteSize);
    KILN_RETURN_IF_ERROR(s.readOutput(i, bytes.data(), bytes.size()));
    outputs.push_back(toArray(info, std::move(bytes)));
  }
  return outputs;
}

Expected<std::vector<rt::NpyArray>> runOnCpu(const VgfRunOptions &options) {
  if (options.profile || !options.tracePath.empty())
    return invalidArgument("--profile and --trace need GPU timestamps: use --backend=vulkan");
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfFile(options.path);
  if (!decoded)
    return decoded.takeStatus();
  const vgf::Model &model = decoded->model;
  Expected<std::vector<rt::TensorInfo>> inputInfo = rt::modelInputs(model);
  if (!inputInfo)
    return inputInfo.takeStatus();
  Expected<std::vector<rt::TensorInfo>> outputInfo = rt::modelOutputs(model);
  if (!outputInfo)
    return outputInfo.takeStatus();
  Expected<std::vector<rt::NpyArray>> inputs = readInputs(*inputInfo, options.inputPaths);
  if (!inputs)
    return inputs.takeStatus();
  std::vector<std::vector<uint8_t>> bytes;
  for (rt::NpyArray &array : *inputs)
    bytes.push_back(std::move(array.data));

  // Weights are packed once here, so --repeat times the runs alone.
  Expected<std::unique_ptr<cpu::CpuModel>> prepared = cpu::CpuModel::prepare(model);
  if (!prepared)
    return prepared.takeStatus();
  cpu::CpuModel &cpuModel = **prepared;
  const cpu::PrepareStats &prep = cpuModel.stats();
  if (options.repeat > 0)
    std::printf("cpu: isa %s, %u thread(s); packed %u gemm(s), %.2f MiB, in %.1f ms\n",
                cpu::cpuIsaName(prep.isa), prep.threads, prep.packedGemms,
                double(prep.packedBytes) / (1 << 20), prep.packMicroseconds / 1000);
  std::vector<double> wall;
  Expected<std::vector<std::vector<uint8_t>>> results = cpuModel.run(bytes);
  for (int i = 0; i < options.repeat && results; ++i) {
    auto start = std::chrono::steady_clock::now();
    results = cpuModel.run(bytes);
    wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  if (!results)
    return results.takeStatus();
  if (!wall.empty())
    printLatency(wall, std::string("the CPU (") + cpu::cpuIsaName(prep.isa) + ")", "");
  std::vector<rt::NpyArray> outputs;
  for (size_t i = 0; i < results->size(); ++i)
    outputs.push_back(toArray((*outputInfo)[i], std::move((*results)[i])));
  return outputs;
}

} // namespace

Expected<std::vector<rt::NpyArray>> runVgf(const VgfRunOptions &options) {
  Expected<std::vector<rt::NpyArray>> outputs =
      options.backend == "cpu" ? runOnCpu(options) : runOnVulkan(options);
  if (!outputs && options.backend == "auto" && outputs.status().code() == StatusCode::Unavailable) {
    std::fprintf(stderr, "kiln-run: note: %s; running on the CPU instead\n",
                 outputs.status().message().c_str());
    outputs = runOnCpu(options);
  }
  // The caller prints through llvm::outs(); keep the report lines in order.
  std::fflush(stdout);
  return outputs;
}

} // namespace kiln::tools
