#include "loader.h"

#include <mutex>

#ifdef _WIN32
#include <windows.h>
#else
#include <dlfcn.h>
#endif

namespace oc {
VkFns vk;

namespace {
#ifdef _WIN32
using Lib = HMODULE;
Lib openLib(const std::string& name, std::string& why) {
  Lib h = LoadLibraryA(name.c_str());
  if (!h) why = "LoadLibrary error " + std::to_string(GetLastError());
  return h;
}
void* symbol(Lib h, const char* name) { return reinterpret_cast<void*>(GetProcAddress(h, name)); }
void closeLib(Lib h) { FreeLibrary(h); }
#else
using Lib = void*;
Lib openLib(const std::string& name, std::string& why) {
  // RTLD_LOCAL: keep Vulkan's symbols out of the process namespace (other addons may ship their own).
  Lib h = dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    why = e ? e : "dlopen failed";
  }
  return h;
}
void* symbol(Lib h, const char* name) { return dlsym(h, name); }
void closeLib(Lib h) { dlclose(h); }
#endif

std::mutex gLoaderMu;  // workers load the addon too: one of them loads, the others see the result
Lib gLib = nullptr;

const char* installHint(const std::string& platform) {
  if (platform == "darwin") return "install the Vulkan SDK (vulkan.lunarg.com) or MoltenVK (brew install molten-vk)";
  if (platform == "win32") return "install your GPU's driver, which ships vulkan-1.dll (or the Vulkan Runtime)";
  return "apt-get install libvulkan1 mesa-vulkan-drivers";
}
}  // namespace

const char* buildPlatform() {
#if defined(_WIN32)
  return "win32";
#elif defined(__APPLE__)
  return "darwin";
#elif defined(__FreeBSD__)
  return "freebsd";
#else
  return "linux";
#endif
}

std::vector<std::string> loaderNames(const std::string& platform) {
  // The versioned name first: the unversioned one is a development symlink, absent without -dev packages.
  if (platform == "win32") return {"vulkan-1.dll"};
  // macOS: the LunarG SDK's loader, then MoltenVK itself (it exports vkGetInstanceProcAddr).
  if (platform == "darwin") return {"libvulkan.1.dylib", "libvulkan.dylib", "libMoltenVK.dylib"};
  return {"libvulkan.so.1", "libvulkan.so"};
}

bool loadVulkanLoader(const std::vector<std::string>& names, std::string& error) {
  std::lock_guard<std::mutex> lock(gLoaderMu);
  if (gLib) return true;
  std::string tried;
  for (const auto& name : names) {
    std::string why;
    Lib h = openLib(name, why);
    if (h) {
      VkFns fns;
      fns.vkGetInstanceProcAddr = reinterpret_cast<PFN_vkGetInstanceProcAddr>(symbol(h, "vkGetInstanceProcAddr"));
      if (fns.vkGetInstanceProcAddr) {
#define OC_LOAD(name) fns.name = reinterpret_cast<PFN_##name>(fns.vkGetInstanceProcAddr(nullptr, #name));
        OC_VK_GLOBAL(OC_LOAD)
#undef OC_LOAD
        if (fns.vkCreateInstance && fns.vkEnumerateInstanceExtensionProperties &&
            fns.vkEnumerateInstanceLayerProperties) {
          vk = fns;  // published only complete
          gLib = h;
          return true;
        }
        why = "it lacks the global Vulkan entry points (vkCreateInstance...)";
      } else {
        why = "it has no vkGetInstanceProcAddr";
      }
      closeLib(h);
    }
    tried += (tried.empty() ? "" : "; ") + name + ": " + why;
  }
  vk = VkFns{};
  const std::string first = names.empty() ? std::string("(no name given)") : names.front();
  error = "Vulkan loader " + first + " not found or unusable (" + (tried.empty() ? "no name to try" : tried) +
          "): " + installHint(buildPlatform());
  return false;
}

bool loadInstanceFunctions(VkInstance instance, std::string& error) {
  VkFns fns = vk;
#define OC_LOAD(name)                                                                            \
  fns.name = reinterpret_cast<PFN_##name>(vk.vkGetInstanceProcAddr(instance, #name));           \
  if (!fns.name) {                                                                               \
    error = "the Vulkan loader does not provide " #name " (Vulkan 1.1 is required)";             \
    return false;                                                                                \
  }
  OC_VK_INSTANCE(OC_LOAD)
#undef OC_LOAD
#define OC_LOAD_OPT(name) fns.name = reinterpret_cast<PFN_##name>(vk.vkGetInstanceProcAddr(instance, #name));
  OC_VK_DEBUG(OC_LOAD_OPT)
#undef OC_LOAD_OPT
  vk = fns;  // all instance entry points or none
  return true;
}
}  // namespace oc
