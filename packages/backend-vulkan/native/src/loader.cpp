#include "loader.h"
#include <dlfcn.h>

namespace oc {
VkFns vk;

bool loadVulkanLoader(std::string& error) {
  static void* lib = nullptr;
  static std::string lastError;
  if (lib) return true;
  if (!lastError.empty()) {
    error = lastError;
    return false;
  }
  // RTLD_LOCAL: keep Vulkan's symbols out of the process namespace (other addons may ship their own).
  lib = dlopen("libvulkan.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!lib) {
    const char* why = dlerror();
    lastError = std::string("Vulkan loader libvulkan.so.1 not found (") + (why ? why : "dlopen failed") +
                "): apt-get install libvulkan1 mesa-vulkan-drivers";
    error = lastError;
    return false;
  }
  vk.vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(lib, "vkGetInstanceProcAddr"));
  if (!vk.vkGetInstanceProcAddr) {
    lastError = "libvulkan.so.1 has no vkGetInstanceProcAddr: reinstall libvulkan1";
    error = lastError;
    dlclose(lib);
    lib = nullptr;
    return false;
  }
#define OC_LOAD(name) vk.name = reinterpret_cast<PFN_##name>(vk.vkGetInstanceProcAddr(nullptr, #name));
  OC_VK_GLOBAL(OC_LOAD)
#undef OC_LOAD
  if (!vk.vkCreateInstance || !vk.vkEnumerateInstanceExtensionProperties || !vk.vkEnumerateInstanceLayerProperties) {
    lastError = "libvulkan.so.1 lacks the global Vulkan entry points: reinstall libvulkan1";
    error = lastError;
    return false;
  }
  return true;
}

bool loadInstanceFunctions(VkInstance instance, std::string& error) {
#define OC_LOAD(name)                                                                            \
  vk.name = reinterpret_cast<PFN_##name>(vk.vkGetInstanceProcAddr(instance, #name));            \
  if (!vk.name) {                                                                                \
    error = "the Vulkan loader does not provide " #name " (Vulkan 1.1 is required)";             \
    return false;                                                                                \
  }
  OC_VK_INSTANCE(OC_LOAD)
#undef OC_LOAD
#define OC_LOAD_OPT(name) vk.name = reinterpret_cast<PFN_##name>(vk.vkGetInstanceProcAddr(instance, #name));
  OC_VK_DEBUG(OC_LOAD_OPT)
#undef OC_LOAD_OPT
  return true;
}
}  // namespace oc
