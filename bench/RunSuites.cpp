// runSuites(): compiles each case in process, then times it on every requested
// backend and thread count next to the baselines of the same shape.

#include "Baselines.h"
#include "Compile.h"
#include "KilnRunners.h"
#include "NaiveVulkan.h"
#include "Suites.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>

namespace kiln::bench {

namespace {

using Shape = std::tuple<int64_t, int64_t, int64_t>; // m, n, k

std::vector<uint8_t> floatBytes(const std::vector<float> &values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

std::string threadsText(unsigned threads) {
  return std::to_string(threads) + (threads == 1 ? " thread" : " threads");
}

class SuiteRun {
public:
  SuiteRun(const RunOptions &options, Report &report) : options_(options), report_(report) {
    for (const Suite *suite : options.suites)
      total_ += int(suite->gemms.size()) + (suite->decodeStack ? 3 : 0);
  }

  Status gemmCase(const GemmCase &c) {
    std::string name = c.group + " " + std::to_string(c.m) + "x" + std::to_string(c.n) + "x" +
                       std::to_string(c.k) + " " + c.scheme;
    if (skipped(name))
      return Status::ok();
    step("compiling " + name);
    ModelSpec spec;
    spec.model = c.model;
    spec.scheme = c.scheme;
    spec.batch = c.m;
    if (c.model == "mlp")
      spec.sizes = {c.k, c.n};
    Expected<CompiledModel> compiled = compileModel(spec);
    if (!compiled)
      return compiled.status();
    std::vector<uint8_t> input = floatBytes(gaussian(size_t(c.m * c.k), 1));

    ModelResult model;
    model.name = c.model == "mlp" ? "mlp " + std::to_string(c.k) + "x" + std::to_string(c.n)
                                  : c.model;
    model.scheme = c.scheme;
    model.batch = c.m;
    model.compileMilliseconds = compiled->compileMilliseconds;
    model.vgfBytes = compiled->vgf.size();

    if (options_.cpu) {
      for (unsigned threads : options_.threads) {
        bool first = threads == options_.threads.front();
        if (first) {
          resetPeakRss();
          model.rssBeforeLoadBytes = currentRssBytes();
        }
        progress(prefix() + name + ": cpu, " + threadsText(threads));
        Expected<std::unique_ptr<KilnRunner>> runner = openCpu(compiled->vgf, threads);
        if (!runner)
          return runner.status();
        CaseResult result = caseFor(c, "kiln", "cpu", threads, (*runner)->load());
        KILN_RETURN_IF_ERROR(time(**runner, input, result, options_.measure));
        if (first) {
          model.peakRssBytes = peakRssBytes();
          model.cpuLoadMilliseconds = (*runner)->load().loadMilliseconds;
          model.cpuPackedBytes = (*runner)->load().weightBytes;
        }
        report_.cases.push_back(result);
        if (options_.baselines)
          KILN_RETURN_IF_ERROR(baselines(c, threads));
      }
    }
    if (options_.vulkan) {
      progress(prefix() + name + ": vulkan");
      Expected<std::unique_ptr<KilnRunner>> runner = openVulkan(compiled->vgf);
      if (!runner)
        return runner.status();
      report_.vulkanDevice = (*runner)->load().device;
      model.vulkanLoadMilliseconds = (*runner)->load().loadMilliseconds;
      CaseResult result = caseFor(c, "kiln", "vulkan", 0, (*runner)->load());
      KILN_RETURN_IF_ERROR(time(**runner, input, result, options_.measure));
      report_.cases.push_back(result);
      KILN_RETURN_IF_ERROR(naive(c, name));
    }
    report_.models.push_back(model);
    return Status::ok();
  }

  /// 16 distinct weight copies (8 of 2048→8192, 8 of 8192→2048, each its own CPU
  /// model) chained at M=1: 16 layers of weights that no cache holds, as in decoding.
  /// The schemes' stacks are timed in turn, one pass of each per round, since the
  /// targets are their ratios and this VM's bandwidth moves within minutes.
  Status decodeStack() {
    struct Stack {
      const char *scheme;
      std::vector<CompiledModel> halves; ///< 2048→8192 and 8192→2048
    };
    std::vector<Stack> stacks;
    for (const char *scheme : {"pf32", "qp8_f32_qc8w", "qp8_f32_qb4w"}) {
      std::string name = std::string("decode 16x(2048x8192) ") + scheme;
      if (skipped(name))
        continue;
      step("compiling " + name);
      stacks.push_back({scheme, {}});
      for (std::vector<int64_t> sizes : {std::vector<int64_t>{2048, 8192}, {8192, 2048}}) {
        ModelSpec spec;
        spec.scheme = scheme;
        spec.sizes = sizes;
        Expected<CompiledModel> compiled = compileModel(spec);
        if (!compiled)
          return compiled.status();
        stacks.back().halves.push_back(std::move(*compiled));
      }
    }
    if (!options_.cpu || stacks.empty())
      return Status::ok();
    const std::vector<uint8_t> x = floatBytes(gaussian(2048, 1));
    for (unsigned threads : options_.threads) {
      std::vector<std::vector<std::unique_ptr<KilnRunner>>> layers(stacks.size());
      std::vector<CaseResult> results;
      for (size_t s = 0; s < stacks.size(); ++s) {
        progress(prefix() + "decode stack " + stacks[s].scheme + ": loading 16 layers, " +
                 threadsText(threads));
        LoadInfo load;
        for (int layer = 0; layer < 16; ++layer) {
          Expected<std::unique_ptr<KilnRunner>> runner =
              openCpu(stacks[s].halves[layer % 2].vgf, threads);
          if (!runner)
            return runner.status();
          load.weightBytes += (*runner)->load().weightBytes;
          load.device = (*runner)->load().device;
          layers[s].push_back(std::move(*runner));
        }
        GemmCase c{"decode", "mlp", stacks[s].scheme, 1, 8192, 2048};
        results.push_back(caseFor(c, "kiln", "cpu", threads, load));
        results.back().layers = 16;
      }
      progress(prefix() + "decode stacks in turn: cpu, " + threadsText(threads));
      std::vector<uint8_t> current, y;
      Status failure;
      std::vector<std::function<bool()>> passes;
      for (std::vector<std::unique_ptr<KilnRunner>> &stack : layers)
        passes.push_back([&, stack = &stack] {
          current = x;
          for (std::unique_ptr<KilnRunner> &layer : *stack) {
            failure = layer->run(current, &y);
            if (!failure.isOk())
              return false;
            std::swap(current, y);
          }
          return true;
        });
      std::vector<Latency> latencies = measureInterleaved(passes, options_.measure);
      KILN_RETURN_IF_ERROR(failure);
      for (size_t s = 0; s < stacks.size(); ++s) {
        results[s].latency = latencies[s];
        report_.cases.push_back(results[s]);
      }
    }
    return Status::ok();
  }

private:
  bool skipped(const std::string &name) {
    if (options_.filter.empty() || name.find(options_.filter) != std::string::npos)
      return false;
    ++step_;
    return true;
  }
  std::string prefix() const {
    return "[" + std::to_string(step_) + "/" + std::to_string(total_) + "] ";
  }
  void step(const std::string &what) {
    ++step_;
    progress(prefix() + what);
  }

  static CaseResult caseFor(const GemmCase &c, const std::string &impl, const std::string &backend,
                            unsigned threads, const LoadInfo &load) {
    CaseResult r;
    r.group = c.group;
    r.scheme = c.scheme;
    r.impl = impl;
    r.backend = backend;
    r.device = load.device;
    r.threads = threads;
    r.m = c.m;
    r.n = c.n;
    r.k = c.k;
    r.weightBytes = load.weightBytes;
    return r;
  }

  /// Times `runner` on `input` into `result`, with the median GEMM device time.
  static Status time(KilnRunner &runner, const std::vector<uint8_t> &input, CaseResult &result,
                     const MeasureOptions &measureOptions) {
    Status failure;
    std::vector<double> device;
    result.latency = measure(
        [&] {
          failure = runner.run(input);
          device.push_back(runner.gemmDeviceMicroseconds());
          return failure.isOk();
        },
        measureOptions);
    KILN_RETURN_IF_ERROR(failure);
    device.erase(device.begin(), device.begin() + std::min<size_t>(device.size(), measureOptions.warmup));
    if (!device.empty())
      result.deviceMicroseconds = median(device);
    return Status::ok();
  }

  /// Every baseline on the case's shape and thread count, once; one this CPU cannot
  /// run (Unsupported) is left out of the report.
  Status baselines(const GemmCase &c, unsigned threads) {
    if (!measuredBaselines_.insert({c.group, c.m, c.n, c.k, threads}).second)
      return Status::ok();
    GemmProblem problem = makeProblem(c.m, c.n, c.k, 1);
    setBaselineThreads(threads);
    struct Baseline {
      const char *impl, *scheme;
      Expected<std::unique_ptr<BaselineGemm>> (*make)(const GemmProblem &);
    };
    for (Baseline b : {Baseline{"oneDNN", "fp32", makeOneDnnF32},
                       Baseline{"oneDNN", "int8", makeOneDnnInt8},
                       Baseline{"OpenBLAS", "fp32", makeOpenBlasSgemm},
                       Baseline{"XNNPACK", "fp32", makeXnnpackF32},
                       Baseline{"XNNPACK", "fp16", makeXnnpackF16},
                       Baseline{"XNNPACK", "int8 static", makeXnnpackQc8}}) {
      progress(prefix() + c.group + " " + std::to_string(c.m) + "x" + std::to_string(c.n) + "x" +
               std::to_string(c.k) + ": " + b.impl + " " + b.scheme + ", " + threadsText(threads));
      Expected<std::unique_ptr<BaselineGemm>> gemm = b.make(problem);
      if (!gemm && gemm.status().code() == StatusCode::Unsupported)
        continue;
      if (!gemm)
        return gemm.status();
      LoadInfo load;
      load.device = "cpu, " + threadsText(threads);
      load.weightBytes = (*gemm)->weightBytes();
      GemmCase shape = c;
      shape.scheme = b.scheme;
      CaseResult result = caseFor(shape, b.impl, "cpu", threads, load);
      Status failure;
      result.latency = measure(
          [&] {
            failure = (*gemm)->run();
            return failure.isOk();
          },
          options_.measure);
      KILN_RETURN_IF_ERROR(failure);
      report_.cases.push_back(result);
    }
    return Status::ok();
  }

  /// The untiled Vulkan kernel on the case's shape and operand types, once.
  Status naive(const GemmCase &c, const std::string &name) {
    NaiveOperands operands = naiveOperandsFor(c.scheme);
    if (!measuredNaive_.insert({c.group, c.m, c.n, c.k, int(operands)}).second)
      return Status::ok();
    progress(prefix() + name + ": naive vulkan kernel");
    uint64_t inputBytes = 0;
    Expected<std::vector<uint8_t>> vgf = buildNaiveGemm(operands, c.m, c.n, c.k, &inputBytes);
    if (!vgf)
      return vgf.status();
    Expected<std::unique_ptr<KilnRunner>> runner = openVulkan(*vgf);
    if (!runner)
      return runner.status();
    GemmCase shape = c;
    shape.scheme = operands == NaiveOperands::F32 ? "fp32" : operands == NaiveOperands::I8 ? "int8" : "int4";
    CaseResult result = caseFor(shape, "naive", "vulkan", 0, (*runner)->load());
    // The naive kernel takes seconds per run at M=128: a few runs suffice.
    MeasureOptions few;
    few.warmup = 1;
    few.minRuns = 2;
    few.minSeconds = 0;
    KILN_RETURN_IF_ERROR(time(**runner, std::vector<uint8_t>(inputBytes, 1), result, few));
    report_.cases.push_back(result);
    return Status::ok();
  }

  const RunOptions &options_;
  Report &report_;
  int step_ = 0, total_ = 0;
  std::set<std::tuple<std::string, int64_t, int64_t, int64_t, unsigned>> measuredBaselines_;
  std::set<std::tuple<std::string, int64_t, int64_t, int64_t, int>> measuredNaive_;
};

} // namespace

Status runSuites(const RunOptions &options, Report &report) {
  unsigned most = *std::max_element(options.threads.begin(), options.threads.end());
  progress("measuring this machine's peak and memory bandwidth (1 thread)");
  report.limits.push_back(measureLimits(1));
  if (most > 1) {
    progress("measuring this machine's peak and memory bandwidth (" + threadsText(most) + ")");
    report.limits.push_back(measureLimits(most));
  }
  if (options.baselines) {
    report.oneDnn = oneDnnVersion();
    report.openBlas = openBlasVersion();
    report.xnnpack = xnnpackVersion();
  }
  SuiteRun run(options, report);
  std::set<std::tuple<std::string, std::string, int64_t, int64_t, int64_t>> done;
  for (const Suite *suite : options.suites) {
    for (const GemmCase &c : suite->gemms)
      if (done.insert({c.model, c.scheme, c.m, c.n, c.k}).second)
        KILN_RETURN_IF_ERROR(run.gemmCase(c));
    if (suite->decodeStack)
      KILN_RETURN_IF_ERROR(run.decodeStack());
  }
  endProgress();
  return Status::ok();
}

} // namespace kiln::bench
