// kiln/runtime/VulkanInterop.h: a session on a device the test creates itself, as an
// application embedding Kiln would, with the application's buffers bound as the
// model's input and output. Validation layer on throughout.

#include "TestModels.h"

#include "kiln/runtime/VulkanInterop.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

namespace kiln::rt {
namespace {

using test::kCount;

/// What an application owns: instance, device, queue and host-visible buffers.
class AppDevice {
public:
  /// Creates the device with `features12` (its pNext is overwritten) as its only
  /// feature struct.
  explicit AppDevice(VkPhysicalDeviceVulkan12Features features12) {
    const char *layer = "VK_LAYER_KHRONOS_validation";
    const char *extension = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
    VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
    app.apiVersion = VK_API_VERSION_1_2;
    VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
    instanceInfo.pApplicationInfo = &app;
    instanceInfo.enabledLayerCount = 1;
    instanceInfo.ppEnabledLayerNames = &layer;
    instanceInfo.enabledExtensionCount = 1;
    instanceInfo.ppEnabledExtensionNames = &extension;
    EXPECT_EQ(vkCreateInstance(&instanceInfo, nullptr, &handles.instance), VK_SUCCESS);
    uint32_t count = 1;
    vkEnumeratePhysicalDevices(handles.instance, &count, &handles.physicalDevice);
    EXPECT_EQ(count, 1u);

    float priority = 1;
    VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queue.queueFamilyIndex = 0; // lavapipe's only family: graphics, compute, transfer
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    features = features12;
    features.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES;
    features.pNext = nullptr;
    VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    deviceInfo.pNext = &features;
    deviceInfo.queueCreateInfoCount = 1;
    deviceInfo.pQueueCreateInfos = &queue;
    EXPECT_EQ(vkCreateDevice(handles.physicalDevice, &deviceInfo, nullptr, &handles.device), VK_SUCCESS);
    vkGetDeviceQueue(handles.device, 0, 0, &handles.queue);
    handles.enabledFeatureChain = &features;
  }

  ~AppDevice() {
    for (auto [buffer, memory] : buffers) {
      vkDestroyBuffer(handles.device, buffer, nullptr);
      vkFreeMemory(handles.device, memory, nullptr);
    }
    vkDestroyDevice(handles.device, nullptr);
    vkDestroyInstance(handles.instance, nullptr);
  }

  /// A host-visible, coherent storage buffer (also usable by `extraUsage`), mapped
  /// into `*mapped`.
  VkBuffer createBuffer(VkDeviceSize size, void **mapped, VkBufferUsageFlags extraUsage = 0) {
    VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
    info.size = size;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | extraUsage;
    VkBuffer buffer;
    EXPECT_EQ(vkCreateBuffer(handles.device, &info, nullptr, &buffer), VK_SUCCESS);
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(handles.device, buffer, &req);
    VkPhysicalDeviceMemoryProperties props;
    vkGetPhysicalDeviceMemoryProperties(handles.physicalDevice, &props);
    VkMemoryPropertyFlags wanted = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
    alloc.allocationSize = req.size;
    while (!((req.memoryTypeBits >> alloc.memoryTypeIndex) & 1) ||
           (props.memoryTypes[alloc.memoryTypeIndex].propertyFlags & wanted) != wanted)
      ++alloc.memoryTypeIndex;
    VkDeviceMemory memory;
    EXPECT_EQ(vkAllocateMemory(handles.device, &alloc, nullptr, &memory), VK_SUCCESS);
    EXPECT_EQ(vkBindBufferMemory(handles.device, buffer, memory, 0), VK_SUCCESS);
    EXPECT_EQ(vkMapMemory(handles.device, memory, 0, VK_WHOLE_SIZE, 0, mapped), VK_SUCCESS);
    buffers.push_back({buffer, memory});
    return buffer;
  }

  VulkanDevice handles;
  VkPhysicalDeviceVulkan12Features features{};
  std::vector<std::pair<VkBuffer, VkDeviceMemory>> buffers;
};

VkPhysicalDeviceVulkan12Features noFeatures() {
  return {VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
}

DeviceOptions validated() {
  DeviceOptions options;
  options.validation = true;
  return options;
}

TEST(VulkanInteropTest, RunsOnTheApplicationsDeviceAndBuffers) {
  AppDevice app(noFeatures());
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::addConstantModel()), app.handles, validated());
  ASSERT_TRUE(session.hasValue()) << session.status().message();
  Session &s = **session;
  void *in = nullptr, *out = nullptr;
  size_t bytes = kCount * sizeof(float);
  // The input sits at an offset inside a larger application buffer.
  VkDeviceSize offset = 256;
  VkBuffer input = app.createBuffer(offset + bytes, &in);
  VkBuffer output = app.createBuffer(bytes, &out);
  ASSERT_TRUE(bindInputBuffer(s, 0, input, offset).isOk());
  ASSERT_TRUE(bindOutputBuffer(s, 0, output).isOk());

  std::vector<float> c = test::constantValues();
  for (float base : {1.f, -3.f}) {
    auto *x = reinterpret_cast<float *>(static_cast<uint8_t *>(in) + offset);
    for (uint32_t i = 0; i < kCount; ++i)
      x[i] = base * float(i);
    Status ran = s.run();
    ASSERT_TRUE(ran.isOk()) << ran.message();
    const auto *y = static_cast<const float *>(out);
    for (uint32_t i = 0; i < kCount; ++i)
      ASSERT_EQ(y[i], base * float(i) + c[i]) << "at " << i;
  }

  std::vector<float> host(kCount);
  Status status = s.setInput(0, host.data(), bytes);
  EXPECT_EQ(status.code(), StatusCode::InvalidArgument);
  EXPECT_EQ(status.message(),
            "input 0 'x' is bound to an application VkBuffer; access that buffer instead");
  status = bindInputBuffer(s, 0, input, 3);
  EXPECT_NE(status.message().find("input 0 'x': offset 3 is not a multiple of "
                                  "minStorageBufferOffsetAlignment"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(bindOutputBuffer(s, 1, output).message(), "output 1 out of range: the model has 1 output(s)");
}

/// Records `record` into a fresh command buffer of the application's queue family,
/// submits it and waits.
void submitAndWait(AppDevice &app, const std::function<void(VkCommandBuffer)> &record) {
  VkDevice device = app.handles.device;
  VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  poolInfo.queueFamilyIndex = app.handles.queueFamily;
  VkCommandPool pool;
  ASSERT_EQ(vkCreateCommandPool(device, &poolInfo, nullptr, &pool), VK_SUCCESS);
  VkCommandBufferAllocateInfo allocInfo{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  allocInfo.commandPool = pool;
  allocInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  allocInfo.commandBufferCount = 1;
  VkCommandBuffer cmd;
  ASSERT_EQ(vkAllocateCommandBuffers(device, &allocInfo, &cmd), VK_SUCCESS);
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  ASSERT_EQ(vkBeginCommandBuffer(cmd, &begin), VK_SUCCESS);
  record(cmd);
  ASSERT_EQ(vkEndCommandBuffer(cmd), VK_SUCCESS);
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  ASSERT_EQ(vkQueueSubmit(app.handles.queue, 1, &submit, VK_NULL_HANDLE), VK_SUCCESS);
  ASSERT_EQ(vkQueueWaitIdle(app.handles.queue), VK_SUCCESS);
  vkDestroyCommandPool(device, pool, nullptr);
}

TEST(VulkanInteropTest, RecordsTheModelBetweenTheApplicationsCommands) {
  AppDevice app(noFeatures());
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::addConstantModel()), app.handles, validated());
  ASSERT_TRUE(session.hasValue()) << session.status().message();
  Session &s = **session;
  size_t bytes = kCount * sizeof(float);
  void *in = nullptr, *out = nullptr, *copied = nullptr;
  VkBuffer input = app.createBuffer(bytes, &in, VK_BUFFER_USAGE_TRANSFER_DST_BIT);
  VkBuffer output = app.createBuffer(bytes, &out, VK_BUFFER_USAGE_TRANSFER_SRC_BIT);
  VkBuffer result = app.createBuffer(bytes, &copied, VK_BUFFER_USAGE_TRANSFER_DST_BIT);
  ASSERT_TRUE(bindInputBuffer(s, 0, input).isOk());
  ASSERT_TRUE(bindOutputBuffer(s, 0, output).isOk());

  // One command buffer: the application writes the input (2.5f everywhere), Kiln's
  // commands run the model, the application copies the output out. Only Kiln's own
  // barriers order the three.
  const float fill = 2.5f;
  uint32_t fillBits;
  std::memcpy(&fillBits, &fill, 4);
  submitAndWait(app, [&](VkCommandBuffer cmd) {
    vkCmdFillBuffer(cmd, input, 0, VK_WHOLE_SIZE, fillBits);
    ASSERT_TRUE(recordInto(s, cmd).isOk());
    VkBufferCopy region{0, 0, bytes};
    vkCmdCopyBuffer(cmd, output, result, 1, &region);
  });
  std::vector<float> c = test::constantValues();
  const auto *y = static_cast<const float *>(copied);
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(y[i], fill + c[i]) << "at " << i;

  // The session's own runs still work, and surface any validation error the recorded
  // commands raised on the application's submission.
  auto *x = static_cast<float *>(in);
  for (uint32_t i = 0; i < kCount; ++i)
    x[i] = float(i);
  Status ran = s.run();
  ASSERT_TRUE(ran.isOk()) << ran.message();
  for (uint32_t i = 0; i < kCount; ++i)
    ASSERT_EQ(static_cast<const float *>(out)[i], float(i) + c[i]) << "at " << i;
  EXPECT_EQ(recordInto(s, VK_NULL_HANDLE).message(), "recordInto: the VkCommandBuffer is VK_NULL_HANDLE");
}

TEST(VulkanInteropTest, RunsThePortableModuleWhenFloat16IsNotEnabled) {
  AppDevice app(noFeatures());
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::variantModel()), app.handles, validated());
  ASSERT_TRUE(session.hasValue()) << session.status().message();
  std::vector<float> x(kCount, 5.f), y(kCount);
  ASSERT_TRUE((*session)->setInput(0, x.data(), x.size() * 4).isOk());
  Status ran = (*session)->run();
  ASSERT_TRUE(ran.isOk()) << ran.message();
  ASSERT_TRUE((*session)->readOutput(0, y.data(), y.size() * 4).isOk());
  EXPECT_EQ(y[0], 6.f); // x + 1: the portable module
}

TEST(VulkanInteropTest, RejectsAModuleNeedingADisabledFeature) {
  AppDevice app(noFeatures());
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::int8Model()), app.handles, validated());
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::Unavailable);
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(app.handles.physicalDevice, &props);
  EXPECT_EQ(session.status().message(),
            "segment 0 'mul3': module 0 'mul3_i8' needs storageBuffer8BitAccess, which Vulkan "
            "device '" + std::string(props.deviceName) + "' does not have enabled");
}

TEST(VulkanInteropTest, RunsAnInt8ModuleWhenTheFeatureIsEnabled) {
  VkPhysicalDeviceVulkan12Features features = noFeatures();
  features.storageBuffer8BitAccess = VK_TRUE;
  AppDevice app(features);
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::int8Model()), app.handles, validated());
  ASSERT_TRUE(session.hasValue()) << session.status().message();
  std::vector<int8_t> x(kCount, -7);
  std::vector<int32_t> y(kCount);
  ASSERT_TRUE((*session)->setInput(0, x.data(), x.size()).isOk());
  Status ran = (*session)->run();
  ASSERT_TRUE(ran.isOk()) << ran.message();
  ASSERT_TRUE((*session)->readOutput(0, y.data(), y.size() * 4).isOk());
  EXPECT_EQ(y[kCount - 1], -21);
}

TEST(VulkanInteropTest, ReportsValidationErrors) {
  // The application claims 8-bit storage but created its device without it: the
  // validation layer rejects the shader module and the open fails with its message.
  AppDevice app(noFeatures());
  VkPhysicalDeviceVulkan12Features claimed = noFeatures();
  claimed.storageBuffer8BitAccess = VK_TRUE;
  app.handles.enabledFeatureChain = &claimed;
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::int8Model()), app.handles, validated());
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().message().rfind("Vulkan validation error while loading: ", 0), 0u)
      << session.status().message();
  EXPECT_NE(session.status().message().find("VUID-VkShaderModuleCreateInfo-pCode-01091"),
            std::string::npos)
      << session.status().message();
}

TEST(VulkanInteropTest, RejectsMissingHandles) {
  VulkanDevice none;
  Expected<std::unique_ptr<Session>> session =
      openBytesOnDevice(test::encode(test::addConstantModel()), none);
  ASSERT_FALSE(session.hasValue());
  EXPECT_EQ(session.status().code(), StatusCode::InvalidArgument);
}

} // namespace
} // namespace kiln::rt
