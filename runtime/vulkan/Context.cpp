#include "Context.h"

#include "Features.h"

#include "kiln/support/Files.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

namespace kiln::rt::vk {
namespace {

const char *kValidationLayer = "VK_LAYER_KHRONOS_validation";

bool envFlag(const char *name) {
  const char *value = std::getenv(name);
  return value && std::string(value) == "1";
}

std::string envString(const char *name) {
  const char *value = std::getenv(name);
  return value ? value : "";
}

std::string hex(uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof(text), "%x", value);
  return text;
}

/// The loader reads only the ICD manifests VK_ICD_FILENAMES names when it is set, the
/// usual reason a machine with a driver finds no device.
std::string icdHint() {
  std::string files = envString("VK_ICD_FILENAMES");
  return files.empty() ? "check VK_ICD_FILENAMES" : "VK_ICD_FILENAMES=" + files;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// Discrete first, then integrated, virtual, other, and CPU implementations last.
int typeRank(VkPhysicalDeviceType type) {
  switch (type) {
  case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 0;
  case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 1;
  case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
  case VK_PHYSICAL_DEVICE_TYPE_CPU: return 4;
  default: return 3;
  }
}

/// The VkResult codes the calls Kiln makes can return (Vulkan spec, "Return Codes").
std::string resultName(VkResult result) {
  switch (result) {
  case VK_NOT_READY: return "VK_NOT_READY";
  case VK_TIMEOUT: return "VK_TIMEOUT";
  case VK_INCOMPLETE: return "VK_INCOMPLETE";
  case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
  case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
  case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
  case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
  case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
  case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
  case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
  case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
  case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
  case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
  case VK_ERROR_FRAGMENTED_POOL: return "VK_ERROR_FRAGMENTED_POOL";
  case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
  case VK_ERROR_INVALID_SHADER_NV: return "VK_ERROR_INVALID_SHADER_NV";
  case VK_PIPELINE_COMPILE_REQUIRED: return "VK_PIPELINE_COMPILE_REQUIRED";
  default: return "VkResult " + std::to_string(result);
  }
}

VKAPI_ATTR VkBool32 VKAPI_CALL onValidationMessage(
    VkDebugUtilsMessageSeverityFlagBitsEXT severity, VkDebugUtilsMessageTypeFlagsEXT,
    const VkDebugUtilsMessengerCallbackDataEXT *data, void *user) {
  auto *log = static_cast<Context::ValidationLog *>(user);
  if (!(severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT))
    return VK_FALSE;
  if (log->errors++ == 0)
    log->first = data->pMessage ? data->pMessage : "(no message)";
  return VK_FALSE;
}

VkDebugUtilsMessengerCreateInfoEXT messengerInfo(Context::ValidationLog *log) {
  VkDebugUtilsMessengerCreateInfoEXT info{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT |
                         VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
  info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                     VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
  info.pfnUserCallback = onValidationMessage;
  info.pUserData = log;
  return info;
}

bool hasLayer(const char *name) {
  uint32_t count = 0;
  vkEnumerateInstanceLayerProperties(&count, nullptr);
  std::vector<VkLayerProperties> layers(count);
  vkEnumerateInstanceLayerProperties(&count, layers.data());
  return std::any_of(layers.begin(), layers.end(),
                     [&](const VkLayerProperties &l) { return std::string(l.layerName) == name; });
}

bool hasDeviceExtension(VkPhysicalDevice physical, const char *name) {
  uint32_t count = 0;
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> extensions(count);
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, extensions.data());
  return std::any_of(extensions.begin(), extensions.end(), [&](const VkExtensionProperties &e) {
    return std::string(e.extensionName) == name;
  });
}

} // namespace

Status check(VkResult result, const char *what) {
  if (result == VK_SUCCESS)
    return Status::ok();
  StatusCode code = StatusCode::Internal;
  if (result == VK_ERROR_OUT_OF_HOST_MEMORY || result == VK_ERROR_OUT_OF_DEVICE_MEMORY)
    code = StatusCode::OutOfMemory;
  else if (result == VK_ERROR_DEVICE_LOST)
    code = StatusCode::DeviceLost;
  return Status(code, std::string("Vulkan: ") + what + " failed with " + resultName(result));
}

Expected<std::unique_ptr<Context>> Context::create(const DeviceOptions &options) {
  std::unique_ptr<Context> context(new Context());
  KILN_RETURN_IF_ERROR(context->createInstance(options.validation ||
                                               envFlag("KILN_VULKAN_VALIDATION")));
  std::string selector = options.device.empty() ? envString("KILN_VULKAN_DEVICE") : options.device;
  KILN_RETURN_IF_ERROR(context->pickPhysicalDevice(selector));
  KILN_RETURN_IF_ERROR(context->chooseQueueFamily(-1));
  KILN_RETURN_IF_ERROR(context->createDevice());
  context->loadPipelineCache(options.pipelineCacheDir.empty()
                                 ? envString("KILN_PIPELINE_CACHE_DIR")
                                 : options.pipelineCacheDir);
  return context;
}

Expected<std::unique_ptr<Context>> Context::adopt(const VulkanDevice &device,
                                                  const DeviceOptions &options) {
  if (!device.instance || !device.physicalDevice || !device.device || !device.queue)
    return invalidArgument("adopting a Vulkan device needs its instance, physical device, "
                           "device and queue handles (one is VK_NULL_HANDLE)");
  std::unique_ptr<Context> context(new Context());
  context->owned_ = false;
  context->instance_ = device.instance;
  context->physical_ = device.physicalDevice;
  context->device_ = device.device;
  context->queue_ = device.queue;
  KILN_RETURN_IF_ERROR(context->describePhysicalDevice());
  KILN_RETURN_IF_ERROR(context->chooseQueueFamily(static_cast<int>(device.queueFamily)));
  context->features_ = featuresOfChain(device.enabledFeatureChain, device.enabledFeatures);
  if (options.validation || envFlag("KILN_VULKAN_VALIDATION"))
    KILN_RETURN_IF_ERROR(context->installMessenger());
  context->loadPipelineCache(options.pipelineCacheDir.empty()
                                 ? envString("KILN_PIPELINE_CACHE_DIR")
                                 : options.pipelineCacheDir);
  return context;
}

Status Context::createInstance(bool validation) {
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "kiln";
  app.apiVersion = VK_API_VERSION_1_2;
  uint32_t loaderVersion = VK_API_VERSION_1_0;
  vkEnumerateInstanceVersion(&loaderVersion);
  if (loaderVersion >= VK_API_VERSION_1_3)
    app.apiVersion = VK_API_VERSION_1_3;
  instanceVersion_ = app.apiVersion;

  std::vector<const char *> layers, extensions;
  if (validation) {
    if (!hasLayer(kValidationLayer))
      return Status(StatusCode::Unsupported,
                    "Vulkan validation requested but VK_LAYER_KHRONOS_validation is not "
                    "installed (Debian: vulkan-validationlayers)");
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  }
  VkDebugUtilsMessengerCreateInfoEXT messenger = messengerInfo(&validation_);

  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  info.enabledLayerCount = static_cast<uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  if (validation)
    info.pNext = &messenger; // also covers instance creation itself
  VkResult result = vkCreateInstance(&info, nullptr, &instance_);
  if (result == VK_ERROR_INCOMPATIBLE_DRIVER)
    return Status(StatusCode::Unavailable,
                  "no Vulkan driver found (is a Vulkan ICD installed? Debian: "
                  "mesa-vulkan-drivers; " + icdHint() + ")");
  KILN_RETURN_IF_ERROR(check(result, "vkCreateInstance"));
  return validation ? installMessenger() : Status::ok();
}

Status Context::installMessenger() {
  auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
      vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
  if (!create)
    return unsupported("Vulkan validation requested but VK_EXT_debug_utils is not enabled on "
                       "the instance");
  VkDebugUtilsMessengerCreateInfoEXT info = messengerInfo(&validation_);
  return check(create(instance_, &info, nullptr, &messenger_), "vkCreateDebugUtilsMessengerEXT");
}

Status Context::pickPhysicalDevice(const std::string &selector) {
  uint32_t count = 0;
  vkEnumeratePhysicalDevices(instance_, &count, nullptr);
  std::vector<VkPhysicalDevice> devices(count);
  vkEnumeratePhysicalDevices(instance_, &count, devices.data());
  if (devices.empty())
    return Status(StatusCode::Unavailable,
                  "no Vulkan device found (is a Vulkan driver installed? Debian: "
                  "mesa-vulkan-drivers; " + icdHint() + ")");
  std::vector<VkPhysicalDeviceProperties> props(count);
  std::string names;
  for (uint32_t i = 0; i < count; ++i) {
    vkGetPhysicalDeviceProperties(devices[i], &props[i]);
    names += (i ? ", " : "") + std::to_string(i) + ": " + props[i].deviceName;
  }

  int chosen = -1;
  if (!selector.empty()) {
    bool isIndex = std::all_of(selector.begin(), selector.end(),
                               [](unsigned char c) { return std::isdigit(c); });
    for (uint32_t i = 0; i < count && chosen < 0; ++i)
      if (isIndex ? std::to_string(i) == selector
                  : lower(props[i].deviceName).find(lower(selector)) != std::string::npos)
        chosen = static_cast<int>(i);
    if (chosen < 0)
      return invalidArgument("no Vulkan device matches '" + selector + "' (devices: " + names + ")");
  } else {
    for (uint32_t i = 0; i < count; ++i)
      if (chosen < 0 || typeRank(props[i].deviceType) < typeRank(props[chosen].deviceType))
        chosen = static_cast<int>(i);
  }
  physical_ = devices[chosen];
  return describePhysicalDevice();
}

Status Context::describePhysicalDevice() {
  VkPhysicalDeviceProperties p;
  vkGetPhysicalDeviceProperties(physical_, &p);
  deviceName_ = p.deviceName;
  apiVersion_ = p.apiVersion;
  limits_ = p.limits;
  if (p.apiVersion < VK_API_VERSION_1_2)
    return Status(StatusCode::Unavailable, "Vulkan device '" + deviceName_ +
                                               "' supports only Vulkan " +
                                               std::to_string(VK_API_VERSION_MAJOR(p.apiVersion)) +
                                               "." + std::to_string(VK_API_VERSION_MINOR(p.apiVersion)) +
                                               "; Kiln needs 1.2");
  return Status::ok();
}

Status Context::chooseQueueFamily(int family) {
  uint32_t familyCount = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, nullptr);
  std::vector<VkQueueFamilyProperties> families(familyCount);
  vkGetPhysicalDeviceQueueFamilyProperties(physical_, &familyCount, families.data());
  auto computes = [&](uint32_t i) { return (families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) != 0; };
  if (family >= 0) {
    if (static_cast<uint32_t>(family) >= familyCount || !computes(family))
      return invalidArgument("queue family " + std::to_string(family) + " of Vulkan device '" +
                             deviceName_ + "' does not support compute");
    queueFamily_ = static_cast<uint32_t>(family);
  } else {
    uint32_t i = 0;
    while (i < familyCount && !computes(i))
      ++i;
    if (i == familyCount)
      return Status(StatusCode::Unavailable,
                    "Vulkan device '" + deviceName_ + "' has no compute queue");
    queueFamily_ = i;
  }
  timestampValidBits_ = families[queueFamily_].timestampValidBits;
  return Status::ok();
}

Status Context::createDevice() {

  // Every feature a Kiln module may use is enabled when the device has it; a module
  // that needs a missing one is rejected at load, naming the feature and the segment.
  // Vulkan 1.3 structs are valid only when both the instance and the device are 1.3;
  // a 1.2 device may still offer integer dot product as VK_KHR_shader_integer_dot_product.
  DotProductSource dot = DotProductSource::None;
  std::vector<const char *> extensions;
  if (std::min(apiVersion_, instanceVersion_) >= VK_API_VERSION_1_3) {
    dot = DotProductSource::Core13;
  } else if (hasDeviceExtension(physical_, VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME)) {
    dot = DotProductSource::Extension;
    extensions.push_back(VK_KHR_SHADER_INTEGER_DOT_PRODUCT_EXTENSION_NAME);
  }
  features_ = supportedFeatures(physical_, dot);
  FeatureChain use;
  const void *chain = use.build(features_, dot);

  float priority = 1.0f;
  VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
  queue.queueFamilyIndex = queueFamily_;
  queue.queueCount = 1;
  queue.pQueuePriorities = &priority;
  VkDeviceCreateInfo info{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
  info.pNext = chain;
  info.queueCreateInfoCount = 1;
  info.pQueueCreateInfos = &queue;
  info.enabledExtensionCount = static_cast<uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  KILN_RETURN_IF_ERROR(check(vkCreateDevice(physical_, &info, nullptr, &device_), "vkCreateDevice"));
  vkGetDeviceQueue(device_, queueFamily_, 0, &queue_);
  return Status::ok();
}

void Context::loadPipelineCache(const std::string &directory) {
  std::vector<char> initial;
  if (!directory.empty()) {
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(physical_, &props);
    std::string uuid;
    static const char *hex = "0123456789abcdef";
    for (uint8_t byte : props.pipelineCacheUUID) {
      uuid += hex[byte >> 4];
      uuid += hex[byte & 15];
    }
    pipelineCachePath_ = directory + "/kiln-" + uuid + "-" + std::to_string(props.driverVersion) +
                         ".pipeline-cache";
    std::ifstream in(pipelineCachePath_, std::ios::binary);
    initial.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  VkPipelineCacheCreateInfo info{VK_STRUCTURE_TYPE_PIPELINE_CACHE_CREATE_INFO};
  info.initialDataSize = initial.size();
  info.pInitialData = initial.empty() ? nullptr : initial.data();
  // A stale or foreign cache is ignored by the driver (its header names the device).
  if (vkCreatePipelineCache(device_, &info, nullptr, &pipelineCache_) != VK_SUCCESS) {
    info.initialDataSize = 0;
    info.pInitialData = nullptr;
    vkCreatePipelineCache(device_, &info, nullptr, &pipelineCache_);
  }
}

Status Context::savePipelineCache() const {
  if (pipelineCachePath_.empty() || pipelineCache_ == VK_NULL_HANDLE)
    return Status::ok();
  size_t size = 0;
  KILN_RETURN_IF_ERROR(check(vkGetPipelineCacheData(device_, pipelineCache_, &size, nullptr),
                             "vkGetPipelineCacheData"));
  std::vector<char> data(size);
  KILN_RETURN_IF_ERROR(check(vkGetPipelineCacheData(device_, pipelineCache_, &size, data.data()),
                             "vkGetPipelineCacheData"));
  return writeFileAtomically(pipelineCachePath_, data.data(), size);
}

Expected<uint32_t> Context::memoryType(uint32_t typeBits, VkMemoryPropertyFlags required,
                                       VkMemoryPropertyFlags preferred) const {
  VkPhysicalDeviceMemoryProperties memory;
  vkGetPhysicalDeviceMemoryProperties(physical_, &memory);
  int fallback = -1;
  for (uint32_t i = 0; i < memory.memoryTypeCount; ++i) {
    VkMemoryPropertyFlags flags = memory.memoryTypes[i].propertyFlags;
    if (!(typeBits & (1u << i)) || (flags & required) != required)
      continue;
    if ((flags & preferred) == preferred)
      return i;
    if (fallback < 0)
      fallback = static_cast<int>(i);
  }
  if (fallback < 0)
    return Status(StatusCode::Unsupported,
                  "Vulkan device '" + deviceName_ + "' has no memory type with property flags 0x" +
                      hex(required) + " for a buffer (allowed types 0x" + hex(typeBits) + ")");
  return static_cast<uint32_t>(fallback);
}

std::string Context::takeValidationError() {
  std::string error = std::move(validation_.first);
  if (validation_.errors > 1)
    error += " (and " + std::to_string(validation_.errors - 1) + " more validation error(s))";
  validation_ = {};
  return error;
}

Context::~Context() {
  if (device_) {
    if (owned_) // an application's device may be busy on its other queues
      vkDeviceWaitIdle(device_);
    (void)savePipelineCache();
    if (pipelineCache_)
      vkDestroyPipelineCache(device_, pipelineCache_, nullptr);
    if (owned_)
      vkDestroyDevice(device_, nullptr);
  }
  if (messenger_) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy)
      destroy(instance_, messenger_, nullptr);
  }
  if (instance_ && owned_)
    vkDestroyInstance(instance_, nullptr);
}

} // namespace kiln::rt::vk
