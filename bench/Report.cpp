#include "Report.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace kiln::bench {

std::string CaseResult::shape() const {
  std::string s = std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
  return layers > 1 ? std::to_string(layers) + " layers " + s : s;
}

namespace {

bool isFloatScheme(const std::string &scheme) {
  return scheme == "pf32" || scheme == "pf16" || scheme == "fp32";
}

bool sameShape(const CaseResult &a, const CaseResult &b) {
  return a.group == b.group && a.m == b.m && a.n == b.n && a.k == b.k && a.layers == b.layers;
}

const CaseResult *find(const Report &report, const std::string &group, const std::string &impl,
                       const std::string &scheme, const std::string &backend, unsigned threads,
                       int64_t m, int64_t n, int64_t k) {
  for (const CaseResult &c : report.cases)
    if (c.group == group && c.impl == impl && c.scheme == scheme && c.backend == backend &&
        c.threads == threads && c.m == m && c.n == n && c.k == k)
      return &c;
  return nullptr;
}

unsigned mostThreads(const Report &report) { return report.limits.back().threads; }

const MachineLimits &limitsFor(const Report &report, unsigned threads) {
  // Vulkan (threads 0) on lavapipe runs on every core.
  return threads == 1 ? report.limits.front() : report.limits.back();
}

std::string fixed(double v, int digits) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

/// Three significant digits, the precision these measurements have.
std::string sig(double v) {
  if (v == 0)
    return "0";
  int digits = std::max(0, 2 - int(std::floor(std::log10(std::fabs(v)))));
  return fixed(v, digits);
}

std::string mib(uint64_t bytes) { return sig(double(bytes) / (1 << 20)) + " MiB"; }

std::string threadsLabel(const CaseResult &c) {
  return c.backend == "vulkan" ? "-" : std::to_string(c.threads);
}

void addTarget(Report &report, std::string target, std::string measured, bool met) {
  report.targets.push_back({std::move(target), std::move(measured), met});
}

void judgeTargets(Report &report) {
  unsigned all = mostThreads(report);
  double bandwidth = report.limits.back().readGBs;
  auto stack = [&](const char *scheme) {
    return find(report, "decode", "kiln", scheme, "cpu", all, 1, 8192, 2048);
  };
  const CaseResult *qb4 = stack("qp8_f32_qb4w"), *qc8 = stack("qp8_f32_qc8w"),
                   *f32 = stack("pf32");
  if (qb4 && bandwidth > 0) {
    double fraction = qb4->weightGBs() / bandwidth;
    addTarget(report, "decode stack qp8_f32_qb4w >= 70% of measured memory bandwidth",
              sig(qb4->weightGBs()) + " of " + sig(bandwidth) + " GB/s = " +
                  fixed(100 * fraction, 0) + "%",
              fraction >= 0.70);
  }
  auto speedup = [&](const CaseResult *fast, const CaseResult *slow, const std::string &what,
                     double goal) {
    if (!fast || !slow)
      return;
    double ratio = slow->latency.medianMicroseconds / fast->latency.medianMicroseconds;
    addTarget(report, what, fixed(ratio, 2) + "x", ratio >= goal);
  };
  speedup(qb4, qc8, "decode stack qp8_f32_qb4w >= 1.7x faster than qp8_f32_qc8w", 1.7);
  speedup(qc8, f32, "decode stack qp8_f32_qc8w >= 1.7x faster than pf32", 1.7);

  for (const CaseResult &c : report.cases) {
    if (c.group != "llama" || c.impl != "kiln")
      continue;
    std::string at = " at " + c.shape();
    if (c.backend == "cpu" && c.threads == all && c.m == 128) {
      if (c.scheme == "qp8_f32_qc8w")
        speedup(&c, find(report, "llama", "oneDNN", "int8", "cpu", all, c.m, c.n, c.k),
                "cpu qp8_f32_qc8w >= 1.0x oneDNN int8" + at, 1.0);
      if (c.scheme == "pf32")
        speedup(&c, find(report, "llama", "oneDNN", "fp32", "cpu", all, c.m, c.n, c.k),
                "cpu pf32 >= 0.9x oneDNN fp32" + at, 0.9);
    }
    if (c.backend == "vulkan") {
      if (const CaseResult *cpu = find(report, "llama", "kiln", c.scheme, "cpu", all, c.m, c.n, c.k)) {
        double ratio = c.latency.medianMicroseconds / cpu->latency.medianMicroseconds;
        addTarget(report, "vulkan " + c.scheme + " within 3x of the cpu backend" + at,
                  fixed(ratio, 2) + "x the cpu time", ratio <= 3.0);
      }
      if (const CaseResult *naive = find(report, "llama", "naive",
                                         isFloatScheme(c.scheme) ? "fp32"
                                         : c.scheme == "qp8_f32_qb4w" ? "int4" : "int8",
                                         "vulkan", 0, c.m, c.n, c.k)) {
        double ratio = naive->deviceMicroseconds / c.deviceMicroseconds;
        addTarget(report, "vulkan " + c.scheme + " >= 10x the naive kernel" + at,
                  fixed(ratio, 1) + "x (GEMM device time)", ratio >= 10.0);
      }
    }
  }
}

} // namespace

void finishReport(Report &report) {
  for (ModelResult &m : report.models)
    for (const ModelResult &f : report.models)
      if (f.scheme == "pf32" && f.name == m.name && f.batch == m.batch)
        m.fp32VgfBytes = f.vgfBytes;
  for (CaseResult &c : report.cases) {
    // Kiln against every baseline of its shape and thread count; Vulkan against the
    // CPU backend (all threads) and the naive kernel.
    for (const CaseResult &b : report.cases) {
      if (&b == &c || !sameShape(b, c))
        continue;
      // A float scheme against the fp32 libraries (and pf16 against fp16); an integer
      // one against the int8 libraries, its like, and the fp32 ones, which show what
      // quantizing bought.
      bool like = isFloatScheme(c.scheme)
                      ? b.scheme == "fp32" || (c.scheme == "pf16" && b.scheme == "fp16")
                      : b.scheme != "fp16";
      bool baseline = c.impl == "kiln" && c.backend == "cpu" && b.backend == "cpu" &&
                      b.impl != "kiln" && b.threads == c.threads && like;
      bool vulkanVsCpu = c.impl == "kiln" && c.backend == "vulkan" && b.impl == "kiln" &&
                         b.backend == "cpu" && b.scheme == c.scheme &&
                         b.threads == mostThreads(report);
      bool vulkanVsNaive = c.impl == "kiln" && c.backend == "vulkan" && b.impl == "naive" &&
                           (isFloatScheme(c.scheme) == isFloatScheme(b.scheme)) &&
                           ((c.scheme == "qp8_f32_qb4w") == (b.scheme == "int4"));
      if (baseline || vulkanVsCpu)
        c.speedups.push_back({b.impl == "kiln" ? "kiln cpu" : b.impl + " " + b.scheme,
                              b.latency.medianMicroseconds / c.latency.medianMicroseconds});
      if (vulkanVsNaive && c.deviceMicroseconds > 0)
        c.speedups.push_back({"naive (device)", b.deviceMicroseconds / c.deviceMicroseconds});
    }
    // Roofline: attainable = min(peak, intensity x bandwidth), intensity = ops per
    // weight byte (the activations are small next to the weights at these shapes).
    const MachineLimits &limits = limitsFor(report, c.threads);
    double peak = isFloatScheme(c.scheme) ? limits.f32Gflops : limits.int8Gops;
    double memoryRoof = c.weightBytes ? c.operations() / double(c.weightBytes) * limits.readGBs : 0;
    if (peak > 0 && memoryRoof > 0) {
      c.roof = memoryRoof < peak ? "memory" : isFloatScheme(c.scheme) ? "fp32 peak" : "int8 peak";
      c.roofFraction = c.gops() / std::min(peak, memoryRoof);
    }
  }
  judgeTargets(report);
}

void printTable(const Report &report, std::ostream &os) {
  os << "kiln-bench " << report.date << " on " << report.machine << "\n";
  os << "load average: " << report.load << "\n";
  for (const MachineLimits &l : report.limits)
    os << "roofline, " << l.threads << (l.threads == 1 ? " thread" : " threads")
       << ": fp32 " << sig(l.f32Gflops) << " GFLOP/s, int8 " << sig(l.int8Gops)
       << " GOP/s (" << l.isa << "), streaming read " << sig(l.readGBs) << " GB/s\n";
  if (!report.vulkanDevice.empty())
    os << "vulkan device: " << report.vulkanDevice << "\n";
  os << "\n";
  char line[512];
  std::snprintf(line, sizeof line, "%-7s %-24s %-13s %-8s %-7s %3s %11s %11s %8s %7s %6s  %s\n",
                "group", "shape", "scheme", "impl", "backend", "thr", "median us", "min us",
                "GOP/s", "GB/s", "roof%", "speedup vs baselines");
  os << line;
  for (const CaseResult &c : report.cases) {
    std::string speedups;
    for (const auto &[name, ratio] : c.speedups)
      speedups += (speedups.empty() ? "" : ", ") + name + " " + fixed(ratio, 2) + "x";
    std::snprintf(line, sizeof line, "%-7s %-24s %-13s %-8s %-7s %3s %11s %11s %8s %7s %6s  %s\n",
                  c.group.c_str(), c.shape().c_str(), c.scheme.c_str(), c.impl.c_str(),
                  c.backend.c_str(), threadsLabel(c).c_str(),
                  sig(c.latency.medianMicroseconds).c_str(), sig(c.latency.minMicroseconds).c_str(),
                  sig(c.gops()).c_str(), sig(c.weightGBs()).c_str(),
                  c.roof.empty() ? "-" : fixed(100 * c.roofFraction, 0).c_str(), speedups.c_str());
    os << line;
  }
  for (const CaseResult &c : report.cases)
    if (c.layers > 1 && c.impl == "kiln")
      os << "decode stack " << c.scheme << ", " << threadsLabel(c) << " thread(s): "
         << sig(1e6 / c.latency.medianMicroseconds) << " tokens/s\n";
  if (!report.models.empty()) {
    os << "\n";
    std::snprintf(line, sizeof line, "%-16s %-13s %5s %11s %11s %9s %11s %11s %11s %11s\n", "model",
                  "scheme", "M", "compile ms", ".vgf", "vs fp32", "cpu load ms", "cpu weights",
                  "vk load ms", "peak RSS");
    os << line;
    for (const ModelResult &m : report.models) {
      std::snprintf(line, sizeof line, "%-16s %-13s %5lld %11s %11s %9s %11s %11s %11s %11s\n",
                    m.name.c_str(), m.scheme.c_str(), (long long)m.batch,
                    sig(m.compileMilliseconds).c_str(), mib(m.vgfBytes).c_str(),
                    m.fp32VgfBytes ? fixed(double(m.vgfBytes) / m.fp32VgfBytes, 3).c_str() : "-",
                    sig(m.cpuLoadMilliseconds).c_str(), mib(m.cpuPackedBytes).c_str(),
                    m.vulkanLoadMilliseconds ? sig(m.vulkanLoadMilliseconds).c_str() : "-",
                    m.peakRssBytes ? mib(m.peakRssBytes).c_str() : "-");
      os << line;
    }
  }
  if (!report.targets.empty()) {
    os << "\ntargets (issue 9):\n";
    for (const TargetResult &t : report.targets)
      os << (t.met ? "  met     " : "  MISSED  ") << t.target << ": " << t.measured << "\n";
  }
}

namespace {

nlohmann::json toJson(const Report &report) {
  using nlohmann::json;
  json j;
  j["date"] = report.date;
  j["machine"] = report.machine;
  j["load"] = report.load;
  j["suites"] = report.suites;
  j["baselines"] = {
      {"oneDNN", report.oneDnn}, {"OpenBLAS", report.openBlas}, {"XNNPACK", report.xnnpack}};
  j["vulkanDevice"] = report.vulkanDevice;
  for (const MachineLimits &l : report.limits)
    j["roofline"].push_back({{"threads", l.threads},
                             {"fp32GFlops", l.f32Gflops},
                             {"int8GOps", l.int8Gops},
                             {"readGBs", l.readGBs},
                             {"isa", l.isa}});
  j["cases"] = json::array();
  for (const CaseResult &c : report.cases) {
    json speedups = json::object();
    for (const auto &[name, ratio] : c.speedups)
      speedups[name] = ratio;
    j["cases"].push_back({{"group", c.group},
                          {"scheme", c.scheme},
                          {"impl", c.impl},
                          {"backend", c.backend},
                          {"device", c.device},
                          {"threads", c.threads},
                          {"m", c.m},
                          {"n", c.n},
                          {"k", c.k},
                          {"layers", c.layers},
                          {"runs", c.latency.runs},
                          {"medianUs", c.latency.medianMicroseconds},
                          {"minUs", c.latency.minMicroseconds},
                          {"deviceUs", c.deviceMicroseconds},
                          {"gops", c.gops()},
                          {"weightBytes", c.weightBytes},
                          {"weightGBs", c.weightGBs()},
                          {"roof", c.roof},
                          {"roofFraction", c.roofFraction},
                          {"speedups", speedups}});
  }
  j["models"] = json::array();
  for (const ModelResult &m : report.models)
    j["models"].push_back({{"name", m.name},
                           {"scheme", m.scheme},
                           {"batch", m.batch},
                           {"compileMs", m.compileMilliseconds},
                           {"vgfBytes", m.vgfBytes},
                           {"fp32VgfBytes", m.fp32VgfBytes},
                           {"cpuLoadMs", m.cpuLoadMilliseconds},
                           {"cpuPackedBytes", m.cpuPackedBytes},
                           {"vulkanLoadMs", m.vulkanLoadMilliseconds},
                           {"rssBeforeLoadBytes", m.rssBeforeLoadBytes},
                           {"peakRssBytes", m.peakRssBytes}});
  j["targets"] = json::array();
  for (const TargetResult &t : report.targets)
    j["targets"].push_back({{"target", t.target}, {"measured", t.measured}, {"met", t.met}});
  return j;
}

std::string toMarkdown(const Report &report) {
  std::ostringstream md;
  md << "# kiln-bench results\n\n";
  md << "- date: " << report.date << "\n- machine: " << report.machine
     << "\n- load average: " << report.load << "\n- suites: " << report.suites << "\n";
  if (!report.oneDnn.empty())
    md << "- baselines: " << report.oneDnn << "; " << report.openBlas << "; " << report.xnnpack
       << "\n";
  if (!report.vulkanDevice.empty())
    md << "- vulkan device: " << report.vulkanDevice << "\n";
  md << "\n| roofline | fp32 GFLOP/s | int8 GOP/s | read GB/s |\n|---|---|---|---|\n";
  for (const MachineLimits &l : report.limits)
    md << "| " << l.threads << " thread(s) | " << sig(l.f32Gflops) << " | " << sig(l.int8Gops)
       << " | " << sig(l.readGBs) << " |\n";
  md << "\n| group | shape | scheme | impl | backend | threads | median µs | min µs | GOP/s | "
        "GB/s | roof | speedup |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const CaseResult &c : report.cases) {
    std::string speedups;
    for (const auto &[name, ratio] : c.speedups)
      speedups += (speedups.empty() ? "" : ", ") + name + " " + fixed(ratio, 2) + "×";
    md << "| " << c.group << " | " << c.shape() << " | " << c.scheme << " | " << c.impl << " | "
       << c.backend << " | " << threadsLabel(c) << " | " << sig(c.latency.medianMicroseconds)
       << " | " << sig(c.latency.minMicroseconds) << " | " << sig(c.gops()) << " | "
       << sig(c.weightGBs()) << " | "
       << (c.roof.empty() ? "-" : fixed(100 * c.roofFraction, 0) + "% " + c.roof) << " | "
       << speedups << " |\n";
  }
  if (!report.models.empty()) {
    md << "\n| model | scheme | M | compile ms | .vgf | vs fp32 | cpu load ms | cpu weights | "
          "vulkan load ms | peak RSS |\n|---|---|---|---|---|---|---|---|---|---|\n";
    for (const ModelResult &m : report.models)
      md << "| " << m.name << " | " << m.scheme << " | " << m.batch << " | "
         << sig(m.compileMilliseconds) << " | " << mib(m.vgfBytes) << " | "
         << (m.fp32VgfBytes ? fixed(double(m.vgfBytes) / m.fp32VgfBytes, 3) : "-") << " | "
         << sig(m.cpuLoadMilliseconds) << " | " << mib(m.cpuPackedBytes) << " | "
         << (m.vulkanLoadMilliseconds ? sig(m.vulkanLoadMilliseconds) : "-") << " | "
         << (m.peakRssBytes ? mib(m.peakRssBytes) : "-") << " |\n";
  }
  if (!report.targets.empty()) {
    md << "\n| target | measured | |\n|---|---|---|\n";
    for (const TargetResult &t : report.targets)
      md << "| " << t.target << " | " << t.measured << " | " << (t.met ? "met" : "**missed**")
         << " |\n";
  }
  return md.str();
}

Status writeAtomically(const std::string &path, const std::string &text) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    out << text;
    out.flush();
    if (!out) {
      std::remove(temporary.c_str());
      return invalidArgument("cannot write " + path);
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return invalidArgument("cannot write " + path);
  }
  return Status::ok();
}

} // namespace

Status writeReport(const Report &report, const std::string &prefix) {
  KILN_RETURN_IF_ERROR(writeAtomically(prefix + ".json", toJson(report).dump(2) + "\n"));
  return writeAtomically(prefix + ".md", toMarkdown(report));
}

} // namespace kiln::bench
