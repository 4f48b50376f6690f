#include "Suites.h"

namespace kiln::bench {

namespace {

std::vector<GemmCase> demoCases() {
  std::vector<GemmCase> cases;
  for (const char *scheme : {"pf32", "pf16", "pqs8_qc8w", "qp8_f32_qc8w", "qp8_f32_qb4w"})
    cases.push_back({"demo", "demo-linear", scheme, 1, 256, 256});
  return cases;
}

/// Llama-3.2-1B's linear shapes (K×N): attention projections, MLP up and down.
std::vector<GemmCase> llamaCases() {
  std::vector<GemmCase> cases;
  const int64_t shapes[3][2] = {{2048, 2048}, {2048, 8192}, {8192, 2048}};
  for (int64_t m : {1, 128})
    for (const auto &kn : shapes)
      for (const char *scheme : {"pf32", "qp8_f32_qc8w", "qp8_f32_qb4w", "pqs8_qc8w"})
        cases.push_back({"llama", "mlp", scheme, m, kn[1], kn[0]});
  return cases;
}

} // namespace

const std::vector<Suite> &suites() {
  static const std::vector<Suite> all = [] {
    std::vector<Suite> s;
    s.push_back({"smoke", "DemoLinearModel in pf32 and qp8_f32_qc8w; a seconds-long check of the tool",
                 {{"demo", "demo-linear", "pf32", 1, 256, 256},
                  {"demo", "demo-linear", "qp8_f32_qc8w", 1, 256, 256}}});
    s.push_back({"demo", "DemoLinearModel (1x256x256) in all five schemes", demoCases()});
    s.push_back({"llama", "Llama-3.2-1B linear shapes at M=1 and M=128, four schemes", llamaCases()});
    s.push_back({"decode", "decode stack: 16 layers of 2048x8192 at M=1 (pf32, qc8w, qb4w)", {}, true});
    std::vector<GemmCase> everything = demoCases(), llama = llamaCases();
    everything.insert(everything.end(), llama.begin(), llama.end());
    s.push_back({"all", "demo, llama and decode", everything, true});
    return s;
  }();
  return all;
}

Expected<const Suite *> findSuite(const std::string &name) {
  std::string names;
  for (const Suite &suite : suites()) {
    if (suite.name == name)
      return &suite;
    names += (names.empty() ? "" : ", ") + suite.name;
  }
  return invalidArgument("unknown suite '" + name + "', expected one of " + names);
}

} // namespace kiln::bench
