#pragma once
/// Timing one benchmark case: warm-up runs, then timed runs until both a minimum count
/// and a minimum time are reached; the median and the minimum of the samples.
/// Also the process's resident memory, for the whole-model numbers.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kiln::bench {

struct MeasureOptions {
  int warmup = 2;
  int minRuns = 5;
  int maxRuns = 1000;
  double minSeconds = 1.0;
};

struct Latency {
  double medianMicroseconds = 0;
  double minMicroseconds = 0;
  int runs = 0;
};

/// Calls `once` warmup times, then times it until minRuns calls and minSeconds have
/// passed (or maxRuns). `once` returns false to stop early (its error is its own).
Latency measure(const std::function<bool()> &once, const MeasureOptions &options);

/// The same for several cases in turn, one call of each per round, so that cases whose
/// ratio is the result see the same machine: this VM's memory bandwidth moves by 2x
/// within minutes. Stops after minRuns rounds once every case has had minSeconds (or
/// maxRuns rounds); on a false from any case, returns empty latencies.
std::vector<Latency> measureInterleaved(const std::vector<std::function<bool()>> &cases,
                                        const MeasureOptions &options);

/// Median of a non-empty sample (sorted in place).
double median(std::vector<double> &samples);

/// Resets the kernel's peak-RSS counter of this process (/proc/self/clear_refs),
/// so that peakRssBytes() then reports the peak since this call. False where the
/// kernel does not support it.
bool resetPeakRss();
uint64_t currentRssBytes();
uint64_t peakRssBytes();

/// The progress line: rewritten in place on a terminal, one line per update otherwise.
void progress(const std::string &line);
/// Ends the progress line so the next output starts on a fresh line.
void endProgress();

} // namespace kiln::bench
