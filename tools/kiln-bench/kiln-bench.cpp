//===- kiln-bench.cpp - Kiln next to oneDNN, OpenBLAS and XNNPACK ---------===//
//
// kiln-bench --suite=llama[,decode...] [--backends=cpu,vulkan] [--cpu-threads=1,2]
//            [--out=results/run] [--min-time=1] [--filter=text] [--list]
//
// Runs the named suites (bench/Suites.cpp), prints one table on stdout and, with
// --out, writes <out>.json and <out>.md. A progress line goes to stderr. How to read
// the numbers: bench/README.md.
//
//===----------------------------------------------------------------------===//

#include "Report.h"
#include "Suites.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <thread>

namespace {

namespace cl = llvm::cl;

cl::OptionCategory category("kiln-bench options");
cl::list<std::string> suiteNames("suite", cl::desc("suites to run (see --list)"),
                                 cl::CommaSeparated, cl::cat(category));
cl::list<std::string> backends("backends", cl::desc("cpu, vulkan (default: both)"),
                               cl::CommaSeparated, cl::cat(category));
cl::list<unsigned> threadCounts("cpu-threads",
                                cl::desc("CPU thread counts (default: 1 and every hardware thread)"),
                                cl::CommaSeparated, cl::cat(category));
cl::opt<std::string> outPrefix("out", cl::desc("write <prefix>.json and <prefix>.md"),
                               cl::value_desc("prefix"), cl::cat(category));
cl::opt<double> minTime("min-time", cl::desc("seconds of timed runs per case (default 1)"),
                        cl::init(1.0), cl::cat(category));
cl::opt<int> warmup("warmup", cl::desc("untimed runs before timing (default 2)"), cl::init(2),
                    cl::cat(category));
cl::opt<int> minRuns("min-runs", cl::desc("timed runs at least (default 5)"), cl::init(5),
                     cl::cat(category));
cl::opt<std::string> filter("filter",
                            cl::desc("run only the cases whose name contains this "
                                     "(e.g. '128x2048x8192 qp8', 'decode')"),
                            cl::cat(category));
cl::opt<bool> noBaselines("no-baselines", cl::desc("skip oneDNN, OpenBLAS and XNNPACK"), cl::cat(category));
cl::opt<bool> list("list", cl::desc("print the suites and exit"), cl::cat(category));

int fail(const std::string &message) {
  std::fprintf(stderr, "kiln-bench: error: %s\n", message.c_str());
  return 1;
}

std::string utcNow() {
  std::time_t now = std::time(nullptr);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return text;
}

std::string firstLine(const char *path, const std::string &prefix = "") {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (line.compare(0, prefix.size(), prefix) == 0)
      return line.substr(prefix.size());
  return "";
}

std::string machine() {
  std::string model = firstLine("/proc/cpuinfo", "model name\t: ");
  return (model.empty() ? std::string("unknown CPU") : model) + ", " +
         std::to_string(std::thread::hardware_concurrency()) + " hardware threads";
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "kiln-bench: Kiln's kernels next to oneDNN, OpenBLAS and XNNPACK\n");
  using namespace kiln::bench;

  if (list) {
    for (const Suite &suite : suites())
      std::printf("%-8s %s\n", suite.name.c_str(), suite.description.c_str());
    return 0;
  }
  if (suiteNames.empty())
    return fail("expected --suite=<name>[,<name>...] (see --list)");
  RunOptions options;
  for (const std::string &name : suiteNames) {
    kiln::Expected<const Suite *> suite = findSuite(name);
    if (!suite)
      return fail(suite.status().message());
    options.suites.push_back(*suite);
  }
  if (!backends.empty()) {
    options.cpu = options.vulkan = false;
    for (const std::string &b : backends) {
      if (b == "cpu")
        options.cpu = true;
      else if (b == "vulkan")
        options.vulkan = true;
      else
        return fail("unknown backend '" + b + "' in --backends, expected cpu or vulkan");
    }
  }
  unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  options.threads.assign(threadCounts.begin(), threadCounts.end());
  if (options.threads.empty()) {
    options.threads.push_back(1);
    if (hardware > 1)
      options.threads.push_back(hardware);
  }
  for (unsigned t : options.threads)
    if (t < 1 || t > 1024)
      return fail("expected --cpu-threads in [1, 1024], got " + std::to_string(t));
  if (!(minTime >= 0) || warmup < 0 || minRuns < 1)
    return fail("expected --min-time >= 0, --warmup >= 0 and --min-runs >= 1");
  options.measure.minSeconds = minTime;
  options.measure.warmup = warmup;
  options.measure.minRuns = minRuns;
  options.baselines = !noBaselines;
  options.filter = filter;

  // Fail before a long run, not after it, when the report cannot be written.
  if (!outPrefix.empty()) {
    std::string probe = outPrefix + ".json.tmp";
    bool writable = bool(std::ofstream(probe));
    std::remove(probe.c_str());
    if (!writable)
      return fail("cannot write " + outPrefix + ".json (does the directory exist?)");
  }

  Report report;
  report.date = utcNow();
  report.machine = machine();
  for (size_t i = 0; i < suiteNames.size(); ++i)
    report.suites += (i ? "," : "") + suiteNames[i];
  std::string loadBefore = firstLine("/proc/loadavg");
  kiln::Status status = runSuites(options, report);
  if (!status.isOk())
    return fail(status.message());
  report.load = "before " + loadBefore + "; after " + firstLine("/proc/loadavg");
  finishReport(report);
  printTable(report, std::cout);
  if (!outPrefix.empty()) {
    kiln::Status written = writeReport(report, outPrefix);
    if (!written.isOk())
      return fail(written.message());
  }
  return 0;
}
