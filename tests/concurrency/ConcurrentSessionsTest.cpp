// Several sessions of one model, each opened and run on its own thread at the same
// time, produce exactly the bytes one session produces on one thread. The runtime
// promises independent sessions share nothing mutable (docs/runtime.md): this is the
// test of that promise, and under -DKILN_SANITIZE=thread the race detector checks it
// too. A session itself is not thread-safe, so each thread owns its sessions.

#include "../cpu/CpuTestUtil.h"

#include "kiln/cpu/Executor.h"
#include "kiln/runtime/Session.h"
#include "kiln/vgf/Decoder.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace kiln {
namespace {

constexpr int kThreads = 4;
constexpr int kRunsPerThread = 3;

using Bytes = std::vector<uint8_t>;
/// One input set: a byte buffer per model input.
using Inputs = std::vector<Bytes>;
/// The outputs of each run, in order: a byte buffer per model output.
using Outputs = std::vector<std::vector<Bytes>>;
/// What a backend runs on one thread: every input set in order.
using RunAll = std::function<Expected<Outputs>(const std::vector<Inputs> &)>;

std::string modelPath(const std::string &scheme) {
  return std::string(KILN_CONCURRENCY_MODEL_DIR) + "/mlp_" + scheme + ".vgf";
}

/// kThreads * kRunsPerThread distinct input sets of normal fp32 values (every model
/// input of these MLPs is fp32).
std::vector<Inputs> makeInputs(const std::vector<rt::TensorInfo> &infos) {
  std::mt19937 rng(cpu::test::testSeed());
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<Inputs> sets(kThreads * kRunsPerThread);
  for (Inputs &set : sets) {
    for (const rt::TensorInfo &info : infos) {
      std::vector<float> values(info.byteSize / sizeof(float));
      for (float &v : values)
        v = normal(rng);
      Bytes bytes(info.byteSize);
      std::memcpy(bytes.data(), values.data(), bytes.size());
      set.push_back(std::move(bytes));
    }
  }
  return sets;
}

/// Runs `runAll` once on one thread over every input set, then on kThreads threads at
/// once, thread t taking sets t, t + kThreads, ...; the outputs must be identical.
void expectThreadsMatchOneThread(const RunAll &runAll, const std::vector<Inputs> &sets) {
  Expected<Outputs> serial = runAll(sets);
  ASSERT_TRUE(serial) << serial.status().message();

  std::vector<Expected<Outputs>> results(kThreads, Outputs());
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::vector<Inputs> mine;
      for (int r = 0; r < kRunsPerThread; ++r)
        mine.push_back(sets[t + r * kThreads]);
      results[t] = runAll(mine);
    });
  }
  for (std::thread &thread : threads)
    thread.join();

  for (int t = 0; t < kThreads; ++t) {
    ASSERT_TRUE(results[t]) << "thread " << t << ": " << results[t].status().message();
    for (int r = 0; r < kRunsPerThread; ++r)
      EXPECT_EQ((*results[t])[r], (*serial)[t + r * kThreads])
          << "thread " << t << ", run " << r << " differs from the one-thread run";
  }
}

/// One Vulkan session on lavapipe, run once per input set.
Expected<Outputs> runVulkan(const std::string &path, const std::vector<Inputs> &sets) {
  Expected<std::unique_ptr<rt::Session>> session = rt::Session::open(path);
  if (!session)
    return session.status();
  rt::Session &s = **session;
  Outputs outputs;
  for (const Inputs &set : sets) {
    for (size_t i = 0; i < set.size(); ++i)
      KILN_RETURN_IF_ERROR(s.setInput(i, set[i].data(), set[i].size()));
    KILN_RETURN_IF_ERROR(s.run());
    std::vector<Bytes> run;
    for (size_t o = 0; o < s.outputs().size(); ++o) {
      Bytes bytes(s.outputs()[o].byteSize);
      KILN_RETURN_IF_ERROR(s.readOutput(o, bytes.data(), bytes.size()));
      run.push_back(std::move(bytes));
    }
    outputs.push_back(std::move(run));
  }
  return outputs;
}

class ConcurrentSessionsTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ConcurrentSessionsTest, VulkanSessionsOnThreadsMatchOneThread) {
  std::string path = modelPath(GetParam());
  Expected<std::unique_ptr<rt::Session>> probe = rt::Session::open(path);
  ASSERT_TRUE(probe) << probe.status().message();
  std::vector<Inputs> sets = makeInputs((*probe)->inputs());
  probe->reset();
  expectThreadsMatchOneThread(
      [&](const std::vector<Inputs> &mine) { return runVulkan(path, mine); }, sets);
}

TEST_P(ConcurrentSessionsTest, CpuModelsOnThreadsMatchOneThread) {
  // One decoded container shared read-only by every thread, one CpuModel (buffers,
  // packed weights, thread pool) per thread.
  Expected<vgf::DecodedVgf> decoded = vgf::decodeVgfFile(modelPath(GetParam()));
  ASSERT_TRUE(decoded) << decoded.status().message();
  Expected<std::vector<rt::TensorInfo>> infos = rt::modelInputs(decoded->model);
  ASSERT_TRUE(infos) << infos.status().message();
  std::vector<Inputs> sets = makeInputs(*infos);
  expectThreadsMatchOneThread(
      [&](const std::vector<Inputs> &mine) -> Expected<Outputs> {
        Expected<std::unique_ptr<cpu::CpuModel>> model = cpu::CpuModel::prepare(decoded->model);
        if (!model)
          return model.status();
        Outputs outputs;
        for (const Inputs &set : mine) {
          Expected<std::vector<Bytes>> run = (*model)->run(set);
          if (!run)
            return run.status();
          outputs.push_back(std::move(*run));
        }
        return outputs;
      },
      sets);
}

INSTANTIATE_TEST_SUITE_P(Mlp, ConcurrentSessionsTest, ::testing::Values("pf32", "qp8_f32_qb4w"),
                         [](const ::testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

} // namespace
} // namespace kiln
