#include "KilnRunners.h"

#include "kiln/cpu/Executor.h"
#include "kiln/runtime/Interface.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Decoder.h"

#include <chrono>
#include <cstdlib>

namespace kiln::bench {

namespace {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

class CpuRunner : public KilnRunner {
public:
  Status open(const std::vector<uint8_t> &vgf, unsigned threads) {
    auto start = std::chrono::steady_clock::now();
    Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(vgf.data(), vgf.size());
    if (!decoded)
      return decoded.status();
    decoded_ = std::move(*decoded);
    std::string count = std::to_string(threads);
    setenv("KILN_CPU_THREADS", count.c_str(), 1);
    Expected<std::unique_ptr<cpu::CpuModel>> model = cpu::CpuModel::prepare(decoded_.model);
    unsetenv("KILN_CPU_THREADS");
    if (!model)
      return model.status();
    model_ = std::move(*model);
    const vgf::Model &m = decoded_.model;
    if (!m.outputs.empty())
      outputBytes_ = rt::resourceBytes(m.resources[m.outputs[0].mrtIndex]);
    load_.loadMilliseconds = millisecondsSince(start);
    const cpu::PrepareStats &stats = model_->stats();
    load_.weightBytes = stats.packedBytes ? stats.packedBytes : constantBytes(vgf);
    load_.device = std::string("cpu ") + cpu::cpuIsaName(stats.isa) + ", " +
                   std::to_string(stats.threads) + (stats.threads == 1 ? " thread" : " threads");
    return Status::ok();
  }

  /// Through the model's own buffers, as the Vulkan runner does through its session's:
  /// no allocation per run.
  Status run(const std::vector<uint8_t> &input, std::vector<uint8_t> *output) override {
    KILN_RETURN_IF_ERROR(model_->setInput(0, input.data(), input.size()));
    KILN_RETURN_IF_ERROR(model_->run());
    if (!output)
      return Status::ok();
    output->resize(outputBytes_);
    return model_->readOutput(0, output->data(), output->size());
  }

private:
  vgf::DecodedVgf decoded_;
  std::unique_ptr<cpu::CpuModel> model_;
  size_t outputBytes_ = 0;
};

class VulkanRunner : public KilnRunner {
public:
  Status open(const std::vector<uint8_t> &vgf) {
    auto start = std::chrono::steady_clock::now();
    Expected<std::unique_ptr<rt::Session>> session = rt::Session::openBytes(vgf);
    if (!session)
      return session.status();
    session_ = std::move(*session);
    load_.loadMilliseconds = millisecondsSince(start);
    load_.weightBytes = constantBytes(vgf);
    load_.device = session_->deviceName();
    return Status::ok();
  }

  Status run(const std::vector<uint8_t> &input, std::vector<uint8_t> *output) override {
    KILN_RETURN_IF_ERROR(session_->setInput(0, input.data(), input.size()));
    rt::RunStats stats;
    KILN_RETURN_IF_ERROR(session_->run(&stats));
    // GEMM descriptors report operations; a container without descriptors (the
    // naive baseline) counts every segment.
    double gemm = 0, all = 0;
    for (const rt::SegmentTiming &segment : stats.segments) {
      all += segment.microseconds;
      if (segment.operations > 0)
        gemm += segment.microseconds;
    }
    gemmMicroseconds_ = gemm > 0 ? gemm : all;
    if (output) {
      output->resize(session_->outputs()[0].byteSize);
      KILN_RETURN_IF_ERROR(session_->readOutput(0, output->data(), output->size()));
    }
    return Status::ok();
  }

  double gemmDeviceMicroseconds() const override { return gemmMicroseconds_; }

private:
  std::unique_ptr<rt::Session> session_;
  double gemmMicroseconds_ = 0;
};

} // namespace

uint64_t constantBytes(const std::vector<uint8_t> &vgf) {
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfCopy(vgf.data(), vgf.size());
  uint64_t total = 0;
  if (decoded)
    for (const vgf::Constant &c : decoded->model.constants)
      total += c.size;
  return total;
}

Expected<std::unique_ptr<KilnRunner>> openCpu(const std::vector<uint8_t> &vgf, unsigned threads) {
  auto runner = std::make_unique<CpuRunner>();
  KILN_RETURN_IF_ERROR(runner->open(vgf, threads));
  return std::unique_ptr<KilnRunner>(std::move(runner));
}

Expected<std::unique_ptr<KilnRunner>> openVulkan(const std::vector<uint8_t> &vgf) {
  auto runner = std::make_unique<VulkanRunner>();
  KILN_RETURN_IF_ERROR(runner->open(vgf));
  return std::unique_ptr<KilnRunner>(std::move(runner));
}

} // namespace kiln::bench
