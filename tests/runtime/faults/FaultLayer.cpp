//===- FaultLayer.cpp - a Vulkan layer that injects device faults ---------===//
//
// VK_LAYER_KILN_fault_injection, for the runtime-fault tests: device memory that
// runs out and a device that gets lost, faults lavapipe never produces by itself.
// Enabled by VK_INSTANCE_LAYERS with VK_LAYER_PATH pointing at its manifest; each
// device reads its faults from the environment when it is created:
//   KILN_FAULT_MEMORY_LIMIT=<bytes>   vkAllocateMemory fails with
//                                     VK_ERROR_OUT_OF_DEVICE_MEMORY once the device's
//                                     live allocations would exceed it
//   KILN_FAULT_LOSE_DEVICE_AT_SUBMIT=<n>  the n-th vkQueueSubmit (1-based) and every
//                                     later submit or wait return VK_ERROR_DEVICE_LOST
// Everything else passes through to the next layer or the driver.
//
//===----------------------------------------------------------------------===//

#include <vulkan/vk_layer.h>
#include <vulkan/vulkan.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace {

/// A device and its queues share the loader's dispatch table pointer, stored in their
/// first word: the key of a device's state. Instances are keyed by their handle,
/// which the loader passes unchanged to every layer (their dispatch pointer is only
/// set after the layer chain's vkCreateInstance returns).
void *dispatchKey(const void *handle) { return *static_cast<void *const *>(handle); }

struct InstanceState {
  PFN_vkGetInstanceProcAddr next = nullptr;
  /// Resolved right after creation, as the loader expects of a layer: resolving it
  /// at destroy time gets the loader's trampoline back, which re-enters this layer.
  PFN_vkDestroyInstance destroyInstance = nullptr;
};

struct DeviceState {
  PFN_vkGetDeviceProcAddr next = nullptr;
  PFN_vkAllocateMemory allocateMemory = nullptr;
  PFN_vkFreeMemory freeMemory = nullptr;
  PFN_vkQueueSubmit queueSubmit = nullptr;
  PFN_vkWaitForFences waitForFences = nullptr;
  PFN_vkQueueWaitIdle queueWaitIdle = nullptr;
  PFN_vkDeviceWaitIdle deviceWaitIdle = nullptr;
  PFN_vkDestroyDevice destroyDevice = nullptr;
  uint64_t memoryLimit = 0; ///< 0: no limit
  uint64_t liveBytes = 0;
  std::unordered_map<VkDeviceMemory, VkDeviceSize> allocations;
  uint64_t loseAtSubmit = 0; ///< 0: never
  uint64_t submits = 0;
  bool lost = false;
};

std::mutex mutex;
std::unordered_map<VkInstance, InstanceState> instances;
std::unordered_map<void *, DeviceState> devices;

uint64_t envNumber(const char *name) {
  const char *value = std::getenv(name);
  return value ? std::strtoull(value, nullptr, 10) : 0;
}

DeviceState &deviceOf(const void *handle) {
  std::lock_guard<std::mutex> lock(mutex);
  return devices.at(dispatchKey(handle));
}

template <typename Info>
Info *findLinkInfo(const void *pNext, VkStructureType type) {
  for (auto *s = static_cast<const VkBaseInStructure *>(pNext); s; s = s->pNext) {
    auto *info = reinterpret_cast<Info *>(const_cast<VkBaseInStructure *>(s));
    if (s->sType == type && info->function == VK_LAYER_LINK_INFO)
      return info;
  }
  return nullptr;
}

VKAPI_ATTR VkResult VKAPI_CALL CreateInstance(const VkInstanceCreateInfo *info,
                                              const VkAllocationCallbacks *allocator,
                                              VkInstance *instance) {
  auto *link = findLinkInfo<VkLayerInstanceCreateInfo>(
      info->pNext, VK_STRUCTURE_TYPE_LOADER_INSTANCE_CREATE_INFO);
  if (!link)
    return VK_ERROR_INITIALIZATION_FAILED;
  PFN_vkGetInstanceProcAddr next = link->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  link->u.pLayerInfo = link->u.pLayerInfo->pNext; // the next layer's link
  auto create = reinterpret_cast<PFN_vkCreateInstance>(next(VK_NULL_HANDLE, "vkCreateInstance"));
  VkResult result = create(info, allocator, instance);
  if (result == VK_SUCCESS) {
    std::lock_guard<std::mutex> lock(mutex);
    InstanceState &state = instances[*instance];
    state.next = next;
    state.destroyInstance = reinterpret_cast<PFN_vkDestroyInstance>(next(*instance, "vkDestroyInstance"));
  }
  return result;
}

VKAPI_ATTR void VKAPI_CALL DestroyInstance(VkInstance instance, const VkAllocationCallbacks *allocator) {
  PFN_vkDestroyInstance destroy;
  {
    std::lock_guard<std::mutex> lock(mutex);
    destroy = instances.at(instance).destroyInstance;
    instances.erase(instance);
  }
  destroy(instance, allocator);
}

VKAPI_ATTR VkResult VKAPI_CALL CreateDevice(VkPhysicalDevice physical, const VkDeviceCreateInfo *info,
                                            const VkAllocationCallbacks *allocator, VkDevice *device) {
  auto *link = findLinkInfo<VkLayerDeviceCreateInfo>(info->pNext,
                                                           VK_STRUCTURE_TYPE_LOADER_DEVICE_CREATE_INFO);
  if (!link)
    return VK_ERROR_INITIALIZATION_FAILED;
  PFN_vkGetInstanceProcAddr nextInstance = link->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  PFN_vkGetDeviceProcAddr nextDevice = link->u.pLayerInfo->pfnNextGetDeviceProcAddr;
  link->u.pLayerInfo = link->u.pLayerInfo->pNext;
  auto create = reinterpret_cast<PFN_vkCreateDevice>(nextInstance(VK_NULL_HANDLE, "vkCreateDevice"));
  VkResult result = create(physical, info, allocator, device);
  if (result != VK_SUCCESS)
    return result;
  DeviceState state;
  state.next = nextDevice;
  auto get = [&](const char *name) { return nextDevice(*device, name); };
  state.allocateMemory = reinterpret_cast<PFN_vkAllocateMemory>(get("vkAllocateMemory"));
  state.freeMemory = reinterpret_cast<PFN_vkFreeMemory>(get("vkFreeMemory"));
  state.queueSubmit = reinterpret_cast<PFN_vkQueueSubmit>(get("vkQueueSubmit"));
  state.waitForFences = reinterpret_cast<PFN_vkWaitForFences>(get("vkWaitForFences"));
  state.queueWaitIdle = reinterpret_cast<PFN_vkQueueWaitIdle>(get("vkQueueWaitIdle"));
  state.deviceWaitIdle = reinterpret_cast<PFN_vkDeviceWaitIdle>(get("vkDeviceWaitIdle"));
  state.destroyDevice = reinterpret_cast<PFN_vkDestroyDevice>(get("vkDestroyDevice"));
  state.memoryLimit = envNumber("KILN_FAULT_MEMORY_LIMIT");
  state.loseAtSubmit = envNumber("KILN_FAULT_LOSE_DEVICE_AT_SUBMIT");
  std::lock_guard<std::mutex> lock(mutex);
  devices[dispatchKey(*device)] = std::move(state);
  return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL DestroyDevice(VkDevice device, const VkAllocationCallbacks *allocator) {
  PFN_vkDestroyDevice destroy = deviceOf(device).destroyDevice;
  {
    std::lock_guard<std::mutex> lock(mutex);
    devices.erase(dispatchKey(device));
  }
  destroy(device, allocator);
}

VKAPI_ATTR VkResult VKAPI_CALL AllocateMemory(VkDevice device, const VkMemoryAllocateInfo *info,
                                              const VkAllocationCallbacks *allocator,
                                              VkDeviceMemory *memory) {
  DeviceState &state = deviceOf(device);
  if (state.memoryLimit && state.liveBytes + info->allocationSize > state.memoryLimit)
    return VK_ERROR_OUT_OF_DEVICE_MEMORY;
  VkResult result = state.allocateMemory(device, info, allocator, memory);
  if (result == VK_SUCCESS) {
    std::lock_guard<std::mutex> lock(mutex);
    state.liveBytes += info->allocationSize;
    state.allocations[*memory] = info->allocationSize;
  }
  return result;
}

VKAPI_ATTR void VKAPI_CALL FreeMemory(VkDevice device, VkDeviceMemory memory,
                                      const VkAllocationCallbacks *allocator) {
  DeviceState &state = deviceOf(device);
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = state.allocations.find(memory);
    if (it != state.allocations.end()) {
      state.liveBytes -= it->second;
      state.allocations.erase(it);
    }
  }
  state.freeMemory(device, memory, allocator);
}

VKAPI_ATTR VkResult VKAPI_CALL QueueSubmit(VkQueue queue, uint32_t count, const VkSubmitInfo *submits,
                                           VkFence fence) {
  DeviceState &state = deviceOf(queue);
  if (state.loseAtSubmit && ++state.submits >= state.loseAtSubmit)
    state.lost = true;
  return state.lost ? VK_ERROR_DEVICE_LOST : state.queueSubmit(queue, count, submits, fence);
}

VKAPI_ATTR VkResult VKAPI_CALL WaitForFences(VkDevice device, uint32_t count, const VkFence *fences,
                                             VkBool32 waitAll, uint64_t timeout) {
  DeviceState &state = deviceOf(device);
  return state.lost ? VK_ERROR_DEVICE_LOST : state.waitForFences(device, count, fences, waitAll, timeout);
}

VKAPI_ATTR VkResult VKAPI_CALL QueueWaitIdle(VkQueue queue) {
  DeviceState &state = deviceOf(queue);
  return state.lost ? VK_ERROR_DEVICE_LOST : state.queueWaitIdle(queue);
}

VKAPI_ATTR VkResult VKAPI_CALL DeviceWaitIdle(VkDevice device) {
  DeviceState &state = deviceOf(device);
  return state.lost ? VK_ERROR_DEVICE_LOST : state.deviceWaitIdle(device);
}

/// The device-level functions this layer intercepts, or null.
PFN_vkVoidFunction interceptedDeviceFunction(const char *name) {
  struct Entry {
    const char *name;
    PFN_vkVoidFunction function;
  };
  static const Entry entries[] = {
      {"vkDestroyDevice", reinterpret_cast<PFN_vkVoidFunction>(DestroyDevice)},
      {"vkAllocateMemory", reinterpret_cast<PFN_vkVoidFunction>(AllocateMemory)},
      {"vkFreeMemory", reinterpret_cast<PFN_vkVoidFunction>(FreeMemory)},
      {"vkQueueSubmit", reinterpret_cast<PFN_vkVoidFunction>(QueueSubmit)},
      {"vkWaitForFences", reinterpret_cast<PFN_vkVoidFunction>(WaitForFences)},
      {"vkQueueWaitIdle", reinterpret_cast<PFN_vkVoidFunction>(QueueWaitIdle)},
      {"vkDeviceWaitIdle", reinterpret_cast<PFN_vkVoidFunction>(DeviceWaitIdle)},
  };
  for (const Entry &e : entries)
    if (std::strcmp(name, e.name) == 0)
      return e.function;
  return nullptr;
}

} // namespace

extern "C" {

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL KilnFault_GetDeviceProcAddr(VkDevice device, const char *name);

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL KilnFault_GetInstanceProcAddr(VkInstance instance,
                                                                        const char *name) {
  if (std::strcmp(name, "vkGetInstanceProcAddr") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(KilnFault_GetInstanceProcAddr);
  if (std::strcmp(name, "vkGetDeviceProcAddr") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(KilnFault_GetDeviceProcAddr);
  if (std::strcmp(name, "vkCreateInstance") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(CreateInstance);
  if (std::strcmp(name, "vkDestroyInstance") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(DestroyInstance);
  if (std::strcmp(name, "vkCreateDevice") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(CreateDevice);
  if (PFN_vkVoidFunction f = interceptedDeviceFunction(name))
    return f;
  if (!instance)
    return nullptr;
  PFN_vkGetInstanceProcAddr next;
  {
    std::lock_guard<std::mutex> lock(mutex);
    next = instances.at(instance).next;
  }
  return next(instance, name);
}

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL KilnFault_GetDeviceProcAddr(VkDevice device, const char *name) {
  if (std::strcmp(name, "vkGetDeviceProcAddr") == 0)
    return reinterpret_cast<PFN_vkVoidFunction>(KilnFault_GetDeviceProcAddr);
  if (PFN_vkVoidFunction f = interceptedDeviceFunction(name))
    return f;
  return deviceOf(device).next(device, name);
}

} // extern "C"
