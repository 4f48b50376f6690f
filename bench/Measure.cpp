#include "Measure.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <unistd.h>
#include <vector>

namespace kiln::bench {

double median(std::vector<double> &samples) {
  std::sort(samples.begin(), samples.end());
  size_t n = samples.size();
  return n % 2 ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
}

Latency measure(const std::function<bool()> &once, const MeasureOptions &options) {
  return measureInterleaved({once}, options).front();
}

std::vector<Latency> measureInterleaved(const std::vector<std::function<bool()>> &cases,
                                        const MeasureOptions &options) {
  using Clock = std::chrono::steady_clock;
  std::vector<Latency> latencies(cases.size());
  for (int i = 0; i < options.warmup; ++i)
    for (const std::function<bool()> &once : cases)
      if (!once())
        return latencies;
  std::vector<std::vector<double>> samples(cases.size());
  Clock::time_point begin = Clock::now();
  for (int round = 1; round <= options.maxRuns; ++round) {
    for (size_t c = 0; c < cases.size(); ++c) {
      Clock::time_point start = Clock::now();
      if (!cases[c]())
        return latencies;
      samples[c].push_back(
          std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
    if (round >= options.minRuns && elapsed >= options.minSeconds * double(cases.size()))
      break;
  }
  for (size_t c = 0; c < cases.size(); ++c) {
    latencies[c].runs = int(samples[c].size());
    latencies[c].minMicroseconds = *std::min_element(samples[c].begin(), samples[c].end());
    latencies[c].medianMicroseconds = median(samples[c]);
  }
  return latencies;
}

namespace {

/// A "Vm...:   123 kB" field of /proc/self/status, in bytes; 0 if absent.
uint64_t statusField(const std::string &field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.compare(0, field.size(), field) == 0)
      return std::stoull(line.substr(field.size() + 1)) * 1024;
  return 0;
}

bool isTerminal() {
  static const bool terminal = isatty(fileno(stderr));
  return terminal;
}

} // namespace

bool resetPeakRss() {
  // "5" resets VmHWM to the current RSS (proc(5), Linux 4.0+).
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return bool(clear);
}

uint64_t currentRssBytes() { return statusField("VmRSS:"); }
uint64_t peakRssBytes() { return statusField("VmHWM:"); }

void progress(const std::string &line) {
  if (isTerminal())
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  else
    std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

void endProgress() {
  if (isTerminal())
    std::fprintf(stderr, "\r\033[K");
}

} // namespace kiln::bench
