#pragma once
/// What one benchmark run measured, in the form the report prints and writes.

#include "Measure.h"
#include "Roofline.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiln::bench {

/// One timed implementation of one case.
struct CaseResult {
  std::string group;   ///< demo, llama, decode
  std::string scheme;  ///< a Kiln scheme; baselines: fp32 or int8
  std::string impl;    ///< kiln, oneDNN, OpenBLAS, naive
  std::string backend; ///< cpu or vulkan
  std::string device;
  unsigned threads = 1; ///< Vulkan: 0 (the driver's own)
  int64_t m = 1, n = 1, k = 1;
  int layers = 1;
  Latency latency;
  double deviceMicroseconds = 0; ///< Vulkan: GEMM dispatch time (timestamps) of a median run
  uint64_t weightBytes = 0;       ///< bytes of weights one run streams
  // Derived by finishReport().
  std::vector<std::pair<std::string, double>> speedups; ///< baseline median / this median
  double roofFraction = 0;
  std::string roof; ///< "memory", "fp32 peak", "int8 peak"

  double operations() const { return 2.0 * double(m) * double(n) * double(k) * layers; }
  double gops() const { return operations() / latency.medianMicroseconds / 1e3; }
  double weightGBs() const { return double(weightBytes) / latency.medianMicroseconds / 1e3; }
  std::string shape() const;
};

/// Whole-model numbers of one compiled container.
struct ModelResult {
  std::string name;   ///< "demo-linear", "mlp 2048x8192", ...
  std::string scheme;
  int64_t batch = 1;
  double compileMilliseconds = 0;
  uint64_t vgfBytes = 0;
  uint64_t fp32VgfBytes = 0;  ///< the pf32 container of the same model, when compiled
  double cpuLoadMilliseconds = 0;
  uint64_t cpuPackedBytes = 0;
  double vulkanLoadMilliseconds = 0;
  uint64_t peakRssBytes = 0;      ///< process peak while loading and running on the CPU
  uint64_t rssBeforeLoadBytes = 0;
};

/// One of issue 9's targets, judged on this run.
struct TargetResult {
  std::string target;
  std::string measured;
  bool met = false;
};

struct Report {
  std::string date, machine, load, suites;
  std::string oneDnn, openBlas, xnnpack, vulkanDevice;
  std::vector<MachineLimits> limits; ///< 1 thread, then all threads
  std::vector<CaseResult> cases;
  std::vector<ModelResult> models;
  std::vector<TargetResult> targets;
};

} // namespace kiln::bench
