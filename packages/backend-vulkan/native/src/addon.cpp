// Node-API glue: module functions (probe, objectCounts, validation, loader test hooks) and the Context class
// that src/binding.ts wraps. Every error crossing into JS is an Error with a stable `code`.
// Context-aware: the main thread and every worker_threads Worker get their own instance (Napi::Addon, freed
// with its environment); what is shared across them (the loader, the VkInstance, counters) is locked or atomic.
#include <napi.h>

#include <memory>
#include <thread>

#include "context.h"

using namespace oc;

static Napi::Error toJs(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

#define GUARD_BEGIN try {
#define GUARD_END                                              \
  }                                                            \
  catch (const Failure& f) {                                   \
    throw toJs(info.Env(), f.code, f.message);                 \
  }                                                            \
  catch (const std::bad_alloc&) {                              \
    throw toJs(info.Env(), "ERR_OCELLUS_VULKAN_OUT_OF_MEMORY", "out of host memory"); \
  }

static uint64_t u64(const Napi::Value& v, const char* what) {
  if (!v.IsNumber()) fail("ERR_OCELLUS_VULKAN_ARGUMENT", std::string(what) + " must be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 0) || d > 9007199254740991.0 || d != (double)(uint64_t)d)
    fail("ERR_OCELLUS_VULKAN_ARGUMENT", std::string(what) + " must be a non-negative integer");
  return (uint64_t)d;
}

static uint32_t u32(const Napi::Value& v, const char* what) {
  const uint64_t x = u64(v, what);
  if (x > UINT32_MAX) fail("ERR_OCELLUS_VULKAN_ARGUMENT", std::string(what) + " is out of range");
  return (uint32_t)x;
}

static Napi::Object deviceObject(Napi::Env env, const DeviceFacts& f, uint32_t index) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", index);
  o.Set("name", f.name);
  o.Set("type", f.type);
  o.Set("vendor", f.vendor);
  o.Set("vendorId", f.vendorId);
  o.Set("deviceId", f.deviceId);
  o.Set("driver", f.driver);
  o.Set("apiVersion", f.apiVersion);
  o.Set("deviceLocalBytes", (double)f.deviceLocalBytes);
  Napi::Array heaps = Napi::Array::New(env, f.heaps.size());
  for (size_t i = 0; i < f.heaps.size(); i++) {
    Napi::Object h = Napi::Object::New(env);
    h.Set("bytes", (double)f.heaps[i].first);
    h.Set("deviceLocal", f.heaps[i].second);
    heaps.Set((uint32_t)i, h);
  }
  o.Set("heaps", heaps);
  Napi::Array wg = Napi::Array::New(env, 3);
  for (uint32_t i = 0; i < 3; i++) wg.Set(i, f.maxWorkgroupSize[i]);
  o.Set("maxWorkgroupSize", wg);
  o.Set("maxWorkgroupInvocations", f.maxInvocations);
  o.Set("subgroupSize", f.subgroupSize);
  o.Set("float16", f.float16);
  o.Set("int8", f.int8);
  o.Set("storage8", f.storage8);
  o.Set("storage16", f.storage16);
  o.Set("maxStorageBufferRange", (double)f.maxStorageBufferRange);
  o.Set("maxAllocation", (double)f.maxAllocation);
  o.Set("maxPushConstants", f.maxPushConstants);
  return o;
}

static Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  std::string error;
  Instance* inst = Instance::get(error);
  Napi::Array devices = Napi::Array::New(env);
  if (!inst) {
    result.Set("reason", error);
  } else {
    for (uint32_t i = 0; i < inst->devices.size(); i++) devices.Set(i, deviceObject(env, inst->devices[i], i));
    if (inst->devices.empty()) result.Set("reason", inst->noDeviceReason);
  }
  result.Set("devices", devices);
  return result;
}

static Napi::Value ObjectCounts(const Napi::CallbackInfo& info) {
  Napi::Object o = Napi::Object::New(info.Env());
  for (int i = 0; i < OBJ_KINDS; i++) o.Set(kObjNames[i], (double)gObjects[i].load());
  return o;
}

static Napi::Value Validation(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("requested", gValidation.requested.load());
  o.Set("enabled", gValidation.enabled.load());
  o.Set("messenger", gValidation.messenger.load());
  o.Set("errors", (double)gValidation.errors.load());
  o.Set("warnings", (double)gValidation.warnings.load());
  o.Set("otherErrors", (double)gValidation.otherErrors.load());
  std::lock_guard<std::mutex> lock(gValidation.mu);
  Napi::Array msgs = Napi::Array::New(env, gValidation.messages.size());
  for (size_t i = 0; i < gValidation.messages.size(); i++) msgs.Set((uint32_t)i, gValidation.messages[i]);
  o.Set("messages", msgs);
  return o;
}

static Napi::Array strings(Napi::Env env, const std::vector<std::string>& v) {
  Napi::Array a = Napi::Array::New(env, v.size());
  for (size_t i = 0; i < v.size(); i++) a.Set((uint32_t)i, v[i]);
  return a;
}

// loaderNames(platform?): the loader file names tried on a platform (Node's names), this one by default.
static Napi::Value LoaderNames(const Napi::CallbackInfo& info) {
  const std::string platform = info[0].IsString() ? info[0].As<Napi::String>().Utf8Value() : buildPlatform();
  return strings(info.Env(), loaderNames(platform));
}

// loadLoader(names?): loads the Vulkan loader from `names` (tests point it at missing or broken libraries);
// { loaded, error? }. probe() and contexts load it with this platform's names.
static Napi::Value LoadLoader(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<std::string> names = loaderNames(buildPlatform());
  if (info[0].IsArray()) {
    Napi::Array a = info[0].As<Napi::Array>();
    names.clear();
    for (uint32_t i = 0; i < a.Length(); i++) names.push_back(a.Get(i).ToString().Utf8Value());
  }
  std::string error;
  const bool loaded = loadVulkanLoader(names, error);
  Napi::Object o = Napi::Object::New(env);
  o.Set("loaded", loaded);
  if (!loaded) o.Set("error", error);
  return o;
}

// The last owner of a Context destroys it. Destroying needs its submitted work complete: when it is, here
// (the JS thread, which never waits); when not (a context collected with work in flight), on a thread of
// its own that waits for it, so a finalizer never blocks the event loop.
static void retire(Context* c) {
  std::vector<VkFence> fences = c->beginClose();
  bool done = true;
  for (VkFence f : fences)
    if (vk.vkGetFenceStatus(c->device(), f) == VK_NOT_READY) done = false;
  if (done) {
    c->finishClose();
    delete c;
    return;
  }
  std::thread([c, fences] {
    vk.vkWaitForFences(c->device(), (uint32_t)fences.size(), fences.data(), VK_TRUE, UINT64_MAX);
    c->finishClose();
    delete c;
  }).detach();
}

using ContextPtr = std::shared_ptr<Context>;

// Waits for fences on a libuv worker thread (vkWaitForFences), then finishes on the JS thread: a download,
// a sync, a drain (the oldest batch, so a deferred batch can be submitted) or close (destroy everything).
// It shares the Context, so a wrapper collected meanwhile cannot free what it waits on.
class WaitWorker : public Napi::AsyncWorker {
 public:
  enum Kind { SYNC, DOWNLOAD, DRAIN, CLOSE };
  WaitWorker(Napi::Env env, ContextPtr ctx, Kind kind, uint64_t serial, std::vector<VkFence> fences,
             Context::Download d = {})
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), ctx_(std::move(ctx)), kind_(kind),
        serial_(serial), fences_(std::move(fences)), device_(ctx_->device()), d_(d) {
    if (kind_ != CLOSE) ctx_->pending++;
  }
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (fences_.empty()) return;
    result_ = vk.vkWaitForFences(device_, (uint32_t)fences_.size(), fences_.data(), VK_TRUE, UINT64_MAX);
  }
  void OnOK() override {
    Context* ctx = ctx_.get();
    try {
      finish(ctx);
    } catch (const Napi::Error&) {
      // The environment is ending (a Worker terminated while we waited): no JavaScript runs any more, so
      // only the native side is finished; the context goes when its last owner does.
      if (kind_ == DOWNLOAD && d_.host.buffer) ctx->endDownload(d_, nullptr);
    }
  }
  void finish(Context* ctx) {
    Napi::Env env = Env();
    if (kind_ == CLOSE) {
      ctx->finishClose();  // destroys even after a failed wait (device lost): nothing runs any more
      deferred_.Resolve(env.Undefined());
      return;
    }
    ctx->pending--;
    ctx->releaseWaiters(serial_);
    if (result_ != VK_SUCCESS) {
      if (kind_ == DOWNLOAD) ctx->endDownload(d_, nullptr);
      const char* code = result_ == VK_ERROR_DEVICE_LOST ? "ERR_OCELLUS_VULKAN_DEVICE_LOST" : "ERR_OCELLUS_VULKAN";
      deferred_.Reject(toJs(env, code, std::string("vkWaitForFences failed: ") + vkResultName(result_)).Value());
      return;
    }
    if (kind_ == DOWNLOAD) {
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, d_.length);
      ctx->endDownload(d_, static_cast<uint8_t*>(ab.Data()));
      deferred_.Resolve(Napi::Uint8Array::New(env, d_.length, ab, 0));
    }
    try {
      if (kind_ == DRAIN && !ctx->closed()) ctx->afterDrain();  // may submit: a failed submit rejects the drain
      else if (!ctx->closed()) ctx->collect();
    } catch (const Failure& f) {
      if (kind_ == DRAIN) return deferred_.Reject(toJs(env, f.code, f.message).Value());
    }
    if (kind_ != DOWNLOAD) deferred_.Resolve(env.Undefined());
  }
  void OnError(const Napi::Error& e) override {
    if (kind_ != CLOSE) ctx_->pending--;
    try {
      deferred_.Reject(e.Value());
    } catch (const Napi::Error&) {  // the environment is ending
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  ContextPtr ctx_;
  Kind kind_;
  uint64_t serial_;
  std::vector<VkFence> fences_;
  VkDevice device_;
  Context::Download d_;
  VkResult result_ = VK_SUCCESS;
};

class ContextWrap : public Napi::ObjectWrap<ContextWrap> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "VulkanContext",
                       {InstanceMethod("alloc", &ContextWrap::Alloc), InstanceMethod("free", &ContextWrap::Free),
                        InstanceMethod("upload", &ContextWrap::Upload),
                        InstanceMethod("download", &ContextWrap::Download),
                        InstanceMethod("fill", &ContextWrap::Fill), InstanceMethod("copy", &ContextWrap::Copy),
                        InstanceMethod("builtinKernel", &ContextWrap::BuiltinKernel),
                        InstanceMethod("createKernel", &ContextWrap::CreateKernel),
                        InstanceMethod("dispatch", &ContextWrap::Dispatch),
                        InstanceMethod("countKernelRun", &ContextWrap::CountKernelRun),
                        InstanceMethod("flush", &ContextWrap::Flush), InstanceMethod("sync", &ContextWrap::Sync),
                        InstanceMethod("drain", &ContextWrap::Drain), InstanceMethod("memory", &ContextWrap::Memory),
                        InstanceMethod("close", &ContextWrap::Close)});
  }

  ContextWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ContextWrap>(info) {
    GUARD_BEGIN
    std::string error;
    Instance* inst = Instance::get(error);
    if (!inst) fail("ERR_OCELLUS_BACKEND_UNAVAILABLE", error);
    ctx_ = ContextPtr(new Context(inst, u32(info[0], "device index")), retire);
    GUARD_END
  }
  // The napi finalizer (also when a worker's environment ends): a context collected without close() still
  // destroys every Vulkan object, through retire() once no wait shares it.
  ~ContextWrap() override = default;

 private:
  ContextPtr ctx_;
  Napi::ObjectReference closing_;  // close()'s promise: a second close() gets the same one

  Napi::Value Alloc(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    return Napi::Number::New(info.Env(), ctx_->alloc(u64(info[0], "byteLength")));
    GUARD_END
  }
  Napi::Value Free(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->free(u32(info[0], "buffer id"));
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value Upload(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    if (!info[2].IsTypedArray()) fail("ERR_OCELLUS_VULKAN_ARGUMENT", "upload source must be a Uint8Array");
    Napi::Uint8Array a = info[2].As<Napi::Uint8Array>();
    ctx_->upload(u32(info[0], "buffer id"), u64(info[1], "byteOffset"), a.Data(), a.ByteLength());
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value Fill(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->fill(u32(info[0], "buffer id"), u64(info[1], "offset"), u64(info[2], "bytes"), u32(info[3], "value"));
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value Copy(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->copy(u32(info[0], "src"), u64(info[1], "srcOffset"), u32(info[2], "dst"), u64(info[3], "dstOffset"),
               u64(info[4], "bytes"));
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value BuiltinKernel(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    return Napi::Number::New(info.Env(), ctx_->builtinKernel(info[0].As<Napi::String>().Utf8Value()));
    GUARD_END
  }
  Napi::Value CreateKernel(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    if (!info[1].IsTypedArray()) fail("ERR_OCELLUS_VULKAN_BAD_SPIRV", "SPIR-V must be a Uint32Array");
    Napi::TypedArray t = info[1].As<Napi::TypedArray>();
    const uint8_t* base = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
    std::vector<uint32_t> words(t.ByteLength() / 4);
    if (!words.empty()) memcpy(words.data(), base, words.size() * 4);
    if (t.ByteLength() % 4) fail("ERR_OCELLUS_VULKAN_BAD_SPIRV", "SPIR-V must be whole 32-bit words");
    return Napi::Number::New(info.Env(), ctx_->createKernel(info[0].As<Napi::String>().Utf8Value(), words.data(),
                                                            words.size() * 4, u32(info[2], "bindings"),
                                                            u32(info[3], "pushConstants")));
    GUARD_END
  }
  // dispatch(kernel, params: Uint8Array | null, ids: number[], push: Uint8Array | null, gx, gy, gz)
  Napi::Value Dispatch(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    const int kernel = (int)u32(info[0], "kernel");
    const uint8_t* params = nullptr;
    size_t paramBytes = 0;
    if (info[1].IsTypedArray()) {
      Napi::TypedArray t = info[1].As<Napi::TypedArray>();
      params = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
      paramBytes = t.ByteLength();
    }
    Napi::Array arr = info[2].As<Napi::Array>();
    std::vector<uint32_t> ids(arr.Length());
    for (uint32_t i = 0; i < arr.Length(); i++) ids[i] = u32(arr.Get(i), "buffer id");
    const uint8_t* push = nullptr;
    size_t pushBytes = 0;
    if (info[3].IsTypedArray()) {
      Napi::TypedArray t = info[3].As<Napi::TypedArray>();
      push = static_cast<uint8_t*>(t.ArrayBuffer().Data()) + t.ByteOffset();
      pushBytes = t.ByteLength();
    }
    ctx_->dispatch(kernel, params, paramBytes, ids, push, pushBytes, u32(info[4], "x"), u32(info[5], "y"),
                   u32(info[6], "z"));
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value CountKernelRun(const Napi::CallbackInfo& info) {
    ctx_->countKernelRun();
    return info.Env().Undefined();
  }
  Napi::Value Flush(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->autoFlush();
    return info.Env().Undefined();
    GUARD_END
  }
  // drain(): undefined, or when a batch is deferred (kMaxInflight in flight) a promise resolved once the
  // oldest batch completed and the deferred one was submitted if there is room. JS calls it after recording.
  Napi::Value Drain(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    if (!ctx_->deferred()) return info.Env().Undefined();
    std::vector<VkFence> fences;
    const uint64_t serial = ctx_->oldestInflight(fences);
    auto* w = new WaitWorker(info.Env(), ctx_, WaitWorker::DRAIN, serial, fences);
    w->Queue();
    return w->Promise();
    GUARD_END
  }
  Napi::Value Download(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    Context::Download d =
        ctx_->beginDownload(u32(info[0], "buffer id"), u64(info[1], "byteOffset"), u64(info[2], "byteLength"));
    auto* w = new WaitWorker(info.Env(), ctx_, WaitWorker::DOWNLOAD, d.serial, ctx_->fencesToWait(d.serial), d);
    w->Queue();
    return w->Promise();
    GUARD_END
  }
  Napi::Value Sync(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->flush();
    auto* w = new WaitWorker(info.Env(), ctx_, WaitWorker::SYNC, UINT64_MAX, ctx_->fencesToWait(UINT64_MAX));
    w->Queue();
    return w->Promise();
    GUARD_END
  }
  Napi::Value Memory(const Napi::CallbackInfo& info) {
    Stats s = ctx_->stats();
    Napi::Object o = Napi::Object::New(info.Env());
    o.Set("allocatedBytes", (double)s.allocatedBytes);
    o.Set("peakBytes", (double)s.peakBytes);
    o.Set("pooledBytes", (double)s.pooledBytes);
    o.Set("liveBuffers", (double)s.liveBuffers);
    o.Set("uploads", (double)s.uploads);
    o.Set("downloads", (double)s.downloads);
    o.Set("uploadBytes", (double)s.uploadBytes);
    o.Set("downloadBytes", (double)s.downloadBytes);
    o.Set("kernelRuns", (double)s.kernelRuns);
    o.Set("submits", (double)s.submits);
    o.Set("deviceMemoryBytes", (double)s.deviceMemoryBytes);
    o.Set("hostStagingBytes", (double)s.hostMemoryBytes);
    return o;
  }
  // close(): a promise. Submits what is recorded, waits for the device on a worker thread (never on the
  // JS thread), then destroys every object on the JS thread.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    if (!closing_.IsEmpty()) return closing_.Value();
    // JS awaits every pending download/sync/drain before calling close(); a wait still running here would
    // hold a fence that close() destroys, so refuse rather than crash.
    if (ctx_->pending > 0) fail("ERR_OCELLUS_VULKAN_BUSY", "close() while downloads are pending: await them first");
    auto* w = new WaitWorker(info.Env(), ctx_, WaitWorker::CLOSE, 0, ctx_->beginClose());
    Napi::Promise p = w->Promise();
    closing_ = Napi::Persistent(static_cast<Napi::Object>(p));
    w->Queue();
    return p;
    GUARD_END
  }
};

// One instance per environment (main thread, each Worker): its class constructor lives and dies with it.
class VulkanAddon : public Napi::Addon<VulkanAddon> {
 public:
  VulkanAddon(Napi::Env env, Napi::Object exports) {
    contextClass_ = Napi::Persistent(ContextWrap::Init(env));
    DefineAddon(exports, {InstanceMethod("probe", &VulkanAddon::Call<Probe>),
                          InstanceMethod("objectCounts", &VulkanAddon::Call<ObjectCounts>),
                          InstanceMethod("validation", &VulkanAddon::Call<Validation>),
                          InstanceMethod("loaderNames", &VulkanAddon::Call<LoaderNames>),
                          InstanceMethod("loadLoader", &VulkanAddon::Call<LoadLoader>),
                          InstanceValue("Context", contextClass_.Value(), napi_enumerable)});
  }

 private:
  Napi::FunctionReference contextClass_;
  template <Napi::Value (*F)(const Napi::CallbackInfo&)>
  Napi::Value Call(const Napi::CallbackInfo& info) {
    return F(info);
  }
};

NODE_API_ADDON(VulkanAddon)
