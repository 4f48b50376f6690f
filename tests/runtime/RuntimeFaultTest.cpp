// Device faults through the C++ and C APIs, injected by the test layer
// VK_LAYER_KILN_fault_injection (faults/FaultLayer.cpp): device memory running out
// while a session loads, and a device lost while it runs. Each is a clear error
// with its own status code; a failed open leaves nothing behind (the sanitizer build
// checks for leaks) and the next open works; a session whose device was lost fails
// every later run the same way and can still be destroyed. Validation layer on.

#include "TestModels.h"

#include "kiln/kiln.h"
#include "kiln/runtime/Session.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace kiln::rt {
namespace {

using test::kCount;

/// Sets an environment variable for one scope (the loader and the layer read them
/// when an instance or device is created).
class ScopedEnv {
public:
  ScopedEnv(const char *name, const std::string &value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_); }

private:
  const char *name_;
};

/// Enables the fault layer for sessions opened in this scope.
class FaultLayer {
  ScopedEnv path_{"VK_ADD_LAYER_PATH", KILN_FAULT_LAYER_DIR}; // beside the system layers
  ScopedEnv layers_{"VK_INSTANCE_LAYERS", "VK_LAYER_KILN_fault_injection"};
};

DeviceOptions validated() {
  DeviceOptions options;
  options.validation = true;
  return options;
}

/// Opens the y = x + c model and checks one run's result.
void expectRunsCorrectly(Session &s) {
  std::vector<float> x(kCount, 1.f), y(kCount), c = test::constantValues();
  ASSERT_TRUE(s.setInput(0, x.data(), x.size() * 4).isOk());
  Status ran = s.run();
  ASSERT_TRUE(ran.isOk()) << ran.message();
  ASSERT_TRUE(s.readOutput(0, y.data(), y.size() * 4).isOk());
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], 1.f + c[i]) << "at " << i;
}

TEST(RuntimeFaultTest, OpenFailsCleanlyWhenDeviceMemoryRunsOut) {
  FaultLayer layer;
  std::vector<uint8_t> vgf = test::encode(test::chainModel());
  // 1 byte: the first buffer fails; 1 KiB: a few buffers exist when one fails, and
  // are released with the half-built session.
  for (const char *limit : {"1", "1024"}) {
    ScopedEnv memory("KILN_FAULT_MEMORY_LIMIT", limit);
    Expected<std::unique_ptr<Session>> session = Session::openBytes(vgf, validated());
    ASSERT_FALSE(session.hasValue()) << "limit " << limit;
    EXPECT_EQ(session.status().code(), StatusCode::OutOfMemory);
    EXPECT_EQ(session.status().message().rfind("out of device memory allocating ", 0), 0u)
        << session.status().message();
  }
  // Without the limit the same process opens and runs the model.
  Expected<std::unique_ptr<Session>> session =
      Session::openBytes(test::encode(test::addConstantModel()), validated());
  ASSERT_TRUE(session.hasValue()) << session.status().message();
  expectRunsCorrectly(**session);
}

TEST(RuntimeFaultTest, TheCApiReportsOutOfDeviceMemory) {
  FaultLayer layer;
  ScopedEnv memory("KILN_FAULT_MEMORY_LIMIT", "1");
  std::vector<uint8_t> vgf = test::encode(test::addConstantModel());
  kiln_device_options_t options = {};
  options.validation = 1;
  kiln_session_t *session = nullptr;
  EXPECT_EQ(kiln_session_create_from_memory(vgf.data(), vgf.size(), &options, &session),
            KILN_STATUS_OUT_OF_MEMORY);
  ASSERT_NE(session, nullptr); // the handle that carries the message
  EXPECT_EQ(std::string(kiln_status_message(session)).rfind("out of device memory allocating ", 0), 0u)
      << kiln_status_message(session);
  kiln_session_destroy(session);
}

TEST(RuntimeFaultTest, ALostDeviceFailsThisRunAndEveryLaterOne) {
  FaultLayer layer;
  // Loading submits nothing on lavapipe (its memory is host-visible, so constants
  // need no staging copy): submit 2 is the second run.
  ScopedEnv lose("KILN_FAULT_LOSE_DEVICE_AT_SUBMIT", "2");
  Expected<std::unique_ptr<Session>> opened =
      Session::openBytes(test::encode(test::addConstantModel()), validated());
  ASSERT_TRUE(opened.hasValue()) << opened.status().message();
  Session &s = **opened;
  expectRunsCorrectly(s);
  Status lost = s.run();
  EXPECT_EQ(lost.code(), StatusCode::DeviceLost);
  EXPECT_EQ(lost.message(), "Vulkan device '" + s.deviceName() +
                                "' was lost while running (Vulkan: vkQueueSubmit failed with "
                                "VK_ERROR_DEVICE_LOST)");
  Status again = s.run();
  EXPECT_EQ(again.code(), StatusCode::DeviceLost);
  EXPECT_EQ(again.message(), "Vulkan device '" + s.deviceName() +
                                 "' was lost earlier; this session cannot run again: open a new one");
}

TEST(RuntimeFaultTest, TheCApiReportsALostDevice) {
  FaultLayer layer;
  ScopedEnv lose("KILN_FAULT_LOSE_DEVICE_AT_SUBMIT", "1");
  std::vector<uint8_t> vgf = test::encode(test::addConstantModel());
  kiln_session_t *session = nullptr;
  ASSERT_EQ(kiln_session_create_from_memory(vgf.data(), vgf.size(), nullptr, &session), KILN_OK)
      << kiln_status_message(session);
  EXPECT_EQ(kiln_session_run(session), KILN_STATUS_DEVICE_LOST);
  EXPECT_NE(std::string(kiln_status_message(session)).find("was lost while running"), std::string::npos)
      << kiln_status_message(session);
  EXPECT_EQ(kiln_session_run(session), KILN_STATUS_DEVICE_LOST);
  kiln_session_destroy(session);
}

} // namespace
} // namespace kiln::rt
