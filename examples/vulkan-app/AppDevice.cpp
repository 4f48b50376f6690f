#include "AppDevice.h"

#include <stdexcept>

void check(VkResult result, const char *what) {
  if (result < 0)
    throw std::runtime_error(std::string(what) + " failed with VkResult " + std::to_string(result));
}

AppDevice::AppDevice(const std::string &nameSubstring) {
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "kiln-vulkan-app";
  app.apiVersion = VK_API_VERSION_1_3;
  VkInstanceCreateInfo instanceInfo{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  instanceInfo.pApplicationInfo = &app;
  check(vkCreateInstance(&instanceInfo, nullptr, &instance_), "vkCreateInstance");

  uint32_t count = 0;
  check(vkEnumeratePhysicalDevices(instance_, &count, nullptr), "vkEnumeratePhysicalDevices");
  std::vector<VkPhysicalDevice> physicals(count);
  check(vkEnumeratePhysicalDevices(instance_, &count, physicals.data()), "vkEnumeratePhysicalDevices");
  uint32_t apiVersion = 0;
  for (VkPhysicalDevice candidate : physicals) {
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(candidate, &props);
    if (std::string(props.deviceName).find(nameSubstring) != std::string::npos) {
      physical_ = candidate;
      apiVersion = props.apiVersion;
      break;
    }
  }
  if (!physical_)
    throw std::runtime_error("no Vulkan device whose name contains '" + nameSubstring + "'");
  if (apiVersion < VK_API_VERSION_1_2)
    throw std::runtime_error("Kiln needs Vulkan 1.2, the device has " +
                             std::to_string(VK_API_VERSION_MAJOR(apiVersion)) + "." +
                             std::to_string(VK_API_VERSION_MINOR(apiVersion)));

  uint32_t families = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &families, nullptr);
  std::vector<VkQueueFamilyProperties> familyProps(families);
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &families, familyProps.data());
  while (queueFamily_ < families && !(familyProps[queueFamily_].queueFlags & VK_QUEUE_COMPUTE_BIT))
    ++queueFamily_;
  if (queueFamily_ == families)
    throw std::runtime_error("the Vulkan device has no compute queue");

  // What the device supports; the 1.3 struct only where the device is 1.3.
  VkPhysicalDeviceFeatures2 supported{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  VkPhysicalDeviceVulkan11Features supported11{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES};
  VkPhysicalDeviceVulkan12Features supported12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceVulkan13Features supported13{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_3_FEATURES};
  bool is13 = apiVersion >= VK_API_VERSION_1_3;
  supported.pNext = &supported11;
  supported11.pNext = &supported12;
  supported12.pNext = is13 ? &supported13 : nullptr;
  vkGetPhysicalDeviceFeatures2(physical_, &supported);

  // Enable the subset Kiln's modules may need (docs/runtime.md, section 2.7).
  features2_.pNext = &features11_;
  features11_.pNext = &features12_;
  features12_.pNext = is13 ? &features13_ : nullptr;
  features2_.features.shaderInt16 = supported.features.shaderInt16;
  features11_.storageBuffer16BitAccess = supported11.storageBuffer16BitAccess;
  features12_.shaderInt8 = supported12.shaderInt8;
  features12_.shaderFloat16 = supported12.shaderFloat16;
  features12_.storageBuffer8BitAccess = supported12.storageBuffer8BitAccess;
  features12_.vulkanMemoryModel = supported12.vulkanMemoryModel;
  features13_.shaderIntegerDotProduct = supported13.shaderIntegerDotProduct;

  float priority = 1;
  VkDeviceQueueCreateInfo queueInfo{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queueInfo.queueFamilyIndex = queueFamily_;
  queueInfo.queueCount = 1;
  queueInfo.pQueuePriorities = &priority;
  VkDeviceCreateInfo deviceInfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  deviceInfo.pNext = &features2_;
  deviceInfo.queueCreateInfoCount = 1;
  deviceInfo.pQueueCreateInfos = &queueInfo;
  check(vkCreateDevice(physical_, &deviceInfo, nullptr, &device_), "vkCreateDevice");
  vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);

  VkCommandPoolCreateInfo poolInfo{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  poolInfo.queueFamilyIndex = queueFamily_;
  check(vkCreateCommandPool(device_, &poolInfo, nullptr, &pool_), "vkCreateCommandPool");
}

AppDevice::~AppDevice() {
  vkDeviceWaitIdle(device_);
  for (AppBuffer &b : buffers_) {
    vkDestroyBuffer(device_, b.buffer, nullptr);
    vkFreeMemory(device_, b.memory, nullptr);
  }
  vkDestroyCommandPool(device_, pool_, nullptr);
  vkDestroyDevice(device_, nullptr);
  vkDestroyInstance(instance_, nullptr);
}

kiln::rt::VulkanDevice AppDevice::kilnDevice() const {
  kiln::rt::VulkanDevice handles;
  handles.instance = instance_;
  handles.physicalDevice = physical_;
  handles.device = device_;
  handles.queue = queue_;
  handles.queueFamily = queueFamily_;
  handles.enabledFeatureChain = &features2_;
  return handles;
}

std::string AppDevice::name() const {
  VkPhysicalDeviceProperties props;
  vkGetPhysicalDeviceProperties(physical_, &props);
  return props.deviceName;
}

uint32_t AppDevice::memoryType(uint32_t allowed, VkMemoryPropertyFlags wanted) const {
  VkPhysicalDeviceMemoryProperties props;
  vkGetPhysicalDeviceMemoryProperties(physical_, &props);
  for (uint32_t i = 0; i < props.memoryTypeCount; ++i)
    if ((allowed >> i & 1) && (props.memoryTypes[i].propertyFlags & wanted) == wanted)
      return i;
  return UINT32_MAX;
}

AppBuffer AppDevice::createBuffer(VkDeviceSize size, VkBufferUsageFlags usage, bool hostVisible) {
  AppBuffer b;
  b.size = size;
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = size;
  info.usage = usage;
  check(vkCreateBuffer(device_, &info, nullptr, &b.buffer), "vkCreateBuffer");
  VkMemoryRequirements req;
  vkGetBufferMemoryRequirements(device_, b.buffer, &req);
  VkMemoryAllocateInfo alloc{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  alloc.allocationSize = req.size;
  alloc.memoryTypeIndex =
      hostVisible ? memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                       VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)
                  : memoryType(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  if (!hostVisible && alloc.memoryTypeIndex == UINT32_MAX)
    alloc.memoryTypeIndex = memoryType(req.memoryTypeBits, 0);
  if (alloc.memoryTypeIndex == UINT32_MAX)
    throw std::runtime_error("no host-visible coherent memory type for a buffer");
  check(vkAllocateMemory(device_, &alloc, nullptr, &b.memory), "vkAllocateMemory");
  buffers_.push_back(b);
  check(vkBindBufferMemory(device_, b.buffer, b.memory, 0), "vkBindBufferMemory");
  if (hostVisible)
    check(vkMapMemory(device_, b.memory, 0, VK_WHOLE_SIZE, 0, &b.mapped), "vkMapMemory");
  return b;
}

void AppDevice::submit(const std::function<void(VkCommandBuffer)> &record) {
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = pool_;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  VkCommandBuffer cmd;
  check(vkAllocateCommandBuffers(device_, &alloc, &cmd), "vkAllocateCommandBuffers");
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  check(vkBeginCommandBuffer(cmd, &begin), "vkBeginCommandBuffer");
  record(cmd);
  check(vkEndCommandBuffer(cmd), "vkEndCommandBuffer");
  VkSubmitInfo submitInfo{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submitInfo.commandBufferCount = 1;
  submitInfo.pCommandBuffers = &cmd;
  // The pool frees its command buffers when it is destroyed, after waitIdle.
  check(vkQueueSubmit(queue_, 1, &submitInfo, VK_NULL_HANDLE), "vkQueueSubmit");
}

void AppDevice::waitIdle() { check(vkQueueWaitIdle(queue_), "vkQueueWaitIdle"); }
