// Run-time loading of the Vulkan loader (libvulkan.so.1, libvulkan.1.dylib, vulkan-1.dll). The addon never
// links it, so it loads on machines without Vulkan and can say what is missing instead of failing in require().
#pragma once
#include <vulkan/vulkan.h>
#include <string>
#include <vector>

#define OC_VK_GLOBAL(X) \
  X(vkCreateInstance) X(vkEnumerateInstanceExtensionProperties) X(vkEnumerateInstanceLayerProperties)

#define OC_VK_INSTANCE(X) \
  X(vkDestroyInstance) X(vkEnumeratePhysicalDevices) X(vkGetPhysicalDeviceProperties) \
  X(vkGetPhysicalDeviceProperties2) X(vkGetPhysicalDeviceFeatures2) X(vkGetPhysicalDeviceMemoryProperties) \
  X(vkGetPhysicalDeviceQueueFamilyProperties) X(vkCreateDevice) X(vkEnumerateDeviceExtensionProperties) \
  X(vkDestroyDevice) X(vkGetDeviceQueue) X(vkCreateBuffer) X(vkDestroyBuffer) X(vkGetBufferMemoryRequirements) \
  X(vkAllocateMemory) X(vkFreeMemory) X(vkBindBufferMemory) X(vkMapMemory) X(vkUnmapMemory) \
  X(vkCreateShaderModule) X(vkDestroyShaderModule) X(vkCreateDescriptorSetLayout) X(vkDestroyDescriptorSetLayout) \
  X(vkCreatePipelineLayout) X(vkDestroyPipelineLayout) X(vkCreateComputePipelines) X(vkDestroyPipeline) \
  X(vkCreateDescriptorPool) X(vkDestroyDescriptorPool) X(vkResetDescriptorPool) X(vkAllocateDescriptorSets) \
  X(vkUpdateDescriptorSets) X(vkCreateCommandPool) X(vkDestroyCommandPool) X(vkAllocateCommandBuffers) \
  X(vkFreeCommandBuffers) X(vkResetCommandBuffer) X(vkBeginCommandBuffer) X(vkEndCommandBuffer) \
  X(vkCmdBindPipeline) X(vkCmdBindDescriptorSets) X(vkCmdPushConstants) X(vkCmdDispatch) X(vkCmdCopyBuffer) \
  X(vkCmdFillBuffer) X(vkCmdPipelineBarrier) X(vkQueueSubmit) X(vkQueueWaitIdle) X(vkDeviceWaitIdle) \
  X(vkCreateFence) X(vkDestroyFence) X(vkResetFences) X(vkWaitForFences) X(vkGetFenceStatus)

// Optional (VK_EXT_debug_utils): null when the extension is absent.
#define OC_VK_DEBUG(X) X(vkCreateDebugUtilsMessengerEXT) X(vkDestroyDebugUtilsMessengerEXT)

namespace oc {
struct VkFns {
#define OC_DECL(name) PFN_##name name = nullptr;
  PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
  OC_VK_GLOBAL(OC_DECL)
  OC_VK_INSTANCE(OC_DECL)
  OC_VK_DEBUG(OC_DECL)
#undef OC_DECL
};
// Written only while no Vulkan object exists (under the loader's lock); read-only afterwards.
extern VkFns vk;

// Node's name of the platform the addon was built for: "linux", "darwin", "win32", ...
const char* buildPlatform();
// The file names of the Vulkan loader on `platform` (Node's names), in the order they are tried.
std::vector<std::string> loaderNames(const std::string& platform);

// Loads the first of `names` that is a working Vulkan loader. All or nothing: on any failure nothing stays
// loaded and `vk` is all null, `error` says why (every time it is called) and what to install; the next
// call tries again. Once one is loaded, later calls return true whatever the names. Thread-safe.
bool loadVulkanLoader(const std::vector<std::string>& names, std::string& error);
inline bool loadVulkanLoader(std::string& error) { return loadVulkanLoader(loaderNames(buildPlatform()), error); }
// Resolves the instance-level (and, through the loader's trampolines, device-level) entry points; all or
// nothing as well. Called once, under the instance's lock.
bool loadInstanceFunctions(VkInstance instance, std::string& error);
}  // namespace oc
