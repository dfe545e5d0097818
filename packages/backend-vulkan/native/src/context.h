// The Vulkan side of @ocellus/backend-vulkan, free of Node: the process-wide instance (with the optional
// Khronos validation layer and a counting debug-utils messenger), device discovery, and one Context per
// opened device (its own VkDevice, queue, command pool, buffer pool, staging and pipelines).
#pragma once
#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "loader.h"

namespace oc {

// Every error the addon raises on purpose carries a stable ERR_OCELLUS_* code (turned into a JS Error).
struct Failure {
  std::string code;
  std::string message;
};
[[noreturn]] void fail(const char* code, const std::string& message);
const char* vkResultName(VkResult r);

// Live Vulkan objects of the whole process, by kind: the leak tests compare them before and after.
enum ObjKind {
  OBJ_INSTANCE, OBJ_MESSENGER, OBJ_DEVICE, OBJ_BUFFER, OBJ_MEMORY, OBJ_SHADER_MODULE, OBJ_SET_LAYOUT,
  OBJ_PIPELINE_LAYOUT, OBJ_PIPELINE, OBJ_DESCRIPTOR_POOL, OBJ_COMMAND_POOL, OBJ_FENCE, OBJ_KINDS
};
extern std::atomic<int64_t> gObjects[OBJ_KINDS];
extern const char* const kObjNames[OBJ_KINDS];

// Atomics and a lock: the messenger may be called on any thread, and workers read it while the instance is made.
struct ValidationState {
  std::atomic<bool> requested{false};  // OCELLUS_VULKAN_VALIDATION=1 at instance creation
  std::atomic<bool> enabled{false};    // the layer was found and enabled
  std::atomic<bool> messenger{false};  // a debug-utils messenger counts messages
  std::atomic<int64_t> errors{0};       // validation-type messages of error severity
  std::atomic<int64_t> warnings{0};     // validation-type warnings
  std::atomic<int64_t> otherErrors{0};  // error severity, general/performance type (loader, driver)
  std::mutex mu;
  std::deque<std::string> messages;  // the last 32 warnings and errors, for failure reports
};
extern ValidationState gValidation;

struct DeviceFacts {
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  std::string name, type, vendor, driver, apiVersion;
  uint32_t vendorId = 0, deviceId = 0, queueFamily = 0;
  uint64_t deviceLocalBytes = 0, largestHeap = 0, maxAllocation = 0, maxStorageBufferRange = 0;
  std::vector<std::pair<uint64_t, bool>> heaps;  // size, device-local
  uint32_t maxWorkgroupSize[3] = {0, 0, 0}, maxWorkgroupCount[3] = {0, 0, 0};
  uint32_t maxInvocations = 0, subgroupSize = 0, minStorageOffsetAlign = 16, maxPushConstants = 0;
  bool float16 = false, int8 = false, storage8 = false, storage16 = false;
};

// The process-wide VkInstance, created on first use by whichever thread (main or worker) asks first.
// `error` says why (and what to install) on failure.
struct Instance {
  VkInstance instance = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger = VK_NULL_HANDLE;
  std::vector<DeviceFacts> devices;
  std::string noDeviceReason;
  static Instance* get(std::string& error);
};

struct Buf {
  VkBuffer buffer = VK_NULL_HANDLE;
  VkDeviceMemory memory = VK_NULL_HANDLE;
  VkDeviceSize size = 0;      // bytes of the VkBuffer (the request rounded up)
  uint64_t requested = 0;     // bytes the caller asked for
  uint8_t* mapped = nullptr;  // host buffers only: persistently mapped, host-coherent
  uint64_t lastUse = 0;       // pooled buffers: the last batch serial that may use it
};

struct Kernel {
  std::string name;
  VkShaderModule module = VK_NULL_HANDLE;
  VkDescriptorSetLayout setLayout = VK_NULL_HANDLE;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  VkPipeline pipeline = VK_NULL_HANDLE;
  uint32_t bindings = 0;   // storage buffers, bindings 0..n-1 of set 0
  uint32_t pushBytes = 0;  // push-constant bytes (compute stage)
};

// Commands recorded between two submissions, with everything they use that must outlive them.
struct Batch {
  VkCommandBuffer cmd = VK_NULL_HANDLE;
  VkFence fence = VK_NULL_HANDLE;
  uint64_t serial = 0;
  std::vector<Buf> arenas;  // host staging/parameter memory, sub-allocated front to back
  VkDeviceSize arenaUsed = 0;
  std::vector<VkDescriptorPool> pools;
  uint32_t setsLeft = 0;
  uint32_t commands = 0;
  uint64_t stagedBytes = 0;
  int waiters = 0;  // JS promises waiting on `fence`: never recycled while > 0
};

struct Stats {
  uint64_t allocatedBytes = 0, peakBytes = 0, pooledBytes = 0, liveBuffers = 0;
  uint64_t uploads = 0, downloads = 0, uploadBytes = 0, downloadBytes = 0, kernelRuns = 0;
  uint64_t submits = 0, deviceMemoryBytes = 0, hostMemoryBytes = 0;
};

class Context {
 public:
  Context(Instance* inst, uint32_t index);
  ~Context();
  const DeviceFacts& facts() const { return *facts_; }
  bool closed() const { return closed_; }

  uint32_t alloc(uint64_t bytes);
  void free(uint32_t id);
  uint64_t sizeOf(uint32_t id);
  void upload(uint32_t id, uint64_t offset, const uint8_t* data, uint64_t bytes);
  void fill(uint32_t id, uint64_t offset, uint64_t bytes, uint32_t value);
  void copy(uint32_t src, uint64_t srcOffset, uint32_t dst, uint64_t dstOffset, uint64_t bytes);
  int builtinKernel(const std::string& name);
  int createKernel(const std::string& name, const uint32_t* words, size_t bytes, uint32_t bindings, uint32_t pushBytes);
  void dispatch(int kernel, const uint8_t* params, size_t paramBytes, const std::vector<uint32_t>& ids,
                const uint8_t* push, size_t pushBytes, uint32_t gx, uint32_t gy, uint32_t gz);
  void countKernelRun() { stats_.kernelRuns++; }

  // Downloads: record a copy into a dedicated host buffer and submit; the caller waits on the batch.
  struct Download {
    Buf host;
    uint64_t serial = 0;
    uint64_t length = 0;
  };
  Download beginDownload(uint32_t id, uint64_t offset, uint64_t length);
  void endDownload(Download& d, uint8_t* out);  // after the batch completed: copy out, recycle

  void flush();      // submit the recording batch now (downloads, sync: they need its fence)
  // Submit unless kMaxInflight batches are in flight; then keep recording into the same batch (`deferred()`),
  // submitted by afterDrain() once one completes. Never waits: the JS thread must not block on the device.
  void autoFlush();
  bool deferred() const { return deferred_ && rec_; }
  std::vector<VkFence> fencesToWait(uint64_t upToSerial);  // takes a waiter on each in-flight batch <= serial
  void releaseWaiters(uint64_t upToSerial);
  // The oldest in-flight batch's serial (a waiter taken on it, and its fence in `fences`); 0 when none.
  uint64_t oldestInflight(std::vector<VkFence>& fences);
  void afterDrain();  // a batch completed: recycle, submit the deferred batch if there is room now
  void collect();     // recycle completed batches (non-blocking)
  // Closing in two steps so the wait can run off the JS thread: beginClose() submits what is recorded, refuses
  // new work and returns the fences to wait for; finishClose() destroys every object once they signalled.
  std::vector<VkFence> beginClose();
  void finishClose();  // idempotent
  void close();        // both, waiting here: only for threads other than the JS thread
  Stats stats() const;
  VkDevice device() const { return device_; }
  int pending = 0;  // waits (downloads, syncs, drains) queued on worker threads; JS thread only

  static const size_t kMaxInflight = 8;  // bounds host staging memory held by submitted batches

 private:
  Batch* recording();
  void barrier(VkCommandBuffer cmd);
  Buf createBuffer(VkDeviceSize size, bool host);
  void destroyBuffer(Buf& b);
  Buf hostBuffer(VkDeviceSize size);
  void releaseHost(Buf b);
  VkDeviceSize stage(Batch* b, VkDeviceSize bytes, VkDeviceSize align, Buf** where);
  VkDescriptorSet descriptorSet(Batch* b, VkDescriptorSetLayout layout);
  void recycle(Batch* b);
  void destroyKernel(Kernel& k);
  Buf& live(uint32_t id);
  uint32_t memoryType(uint32_t bits, bool host);

  const DeviceFacts* facts_;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  VkCommandPool commandPool_ = VK_NULL_HANDLE;
  VkPhysicalDeviceMemoryProperties memProps_{};
  bool closed_ = false;

  uint32_t nextId_ = 1;
  std::unordered_map<uint32_t, Buf> live_;
  std::multimap<VkDeviceSize, Buf> pool_;  // freed device buffers by VkBuffer size
  std::vector<std::pair<uint64_t, Buf>> graveyard_;  // destroyed once the batch of that serial completed
  std::multimap<VkDeviceSize, Buf> hostPool_;
  uint64_t hostPooled_ = 0;

  std::vector<Kernel> kernels_;
  std::unordered_map<std::string, int> kernelByName_;
  std::vector<Batch*> free_;    // recycled batches
  std::deque<Batch*> inflight_; // submitted, in submission order
  Batch* rec_ = nullptr;
  std::vector<VkDescriptorPool> freePools_;
  uint64_t nextSerial_ = 1, completed_ = 0;
  bool deferred_ = false;  // autoFlush() found kMaxInflight batches in flight
  Stats stats_;
};

}  // namespace oc
