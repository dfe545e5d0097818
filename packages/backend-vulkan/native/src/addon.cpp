// Node-API glue: module functions (probe, open, objectCounts, validation) and the Context class that
// src/binding.ts wraps. Every error crossing into JS is an Error with a stable `code`.
#include <napi.h>

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
  o.Set("requested", gValidation.requested);
  o.Set("enabled", gValidation.enabled);
  o.Set("messenger", gValidation.messenger);
  o.Set("errors", (double)gValidation.errors.load());
  o.Set("warnings", (double)gValidation.warnings.load());
  o.Set("otherErrors", (double)gValidation.otherErrors.load());
  std::lock_guard<std::mutex> lock(gValidation.mu);
  Napi::Array msgs = Napi::Array::New(env, gValidation.messages.size());
  for (size_t i = 0; i < gValidation.messages.size(); i++) msgs.Set((uint32_t)i, gValidation.messages[i]);
  o.Set("messages", msgs);
  return o;
}

class ContextWrap;

// Waits for fences on a worker thread (vkWaitForFences), then finishes on the JS thread.
class WaitWorker : public Napi::AsyncWorker {
 public:
  WaitWorker(Napi::Env env, ContextWrap* owner, Napi::Object ownerObj, uint64_t serial, std::vector<VkFence> fences,
             VkDevice device, bool download, Context::Download d)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), owner_(owner), serial_(serial),
        fences_(std::move(fences)), device_(device), download_(download), d_(d) {
    ref_ = Napi::Persistent(ownerObj);  // keeps the context (and its VkDevice) alive while we wait
  }
  Napi::Promise Promise() { return deferred_.Promise(); }
  void Execute() override {
    if (fences_.empty()) return;
    VkResult r = vk.vkWaitForFences(device_, (uint32_t)fences_.size(), fences_.data(), VK_TRUE, UINT64_MAX);
    if (r != VK_SUCCESS) result_ = r;
  }
  void OnOK() override;
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  ContextWrap* owner_;
  Napi::ObjectReference ref_;
  uint64_t serial_;
  std::vector<VkFence> fences_;
  VkDevice device_;
  bool download_;
  Context::Download d_;
  VkResult result_ = VK_SUCCESS;
};

class ContextWrap : public Napi::ObjectWrap<ContextWrap> {
 public:
  static Napi::FunctionReference ctor;
  static Napi::Function Init(Napi::Env env) {
    Napi::Function f = DefineClass(env, "VulkanContext",
                                   {InstanceMethod("alloc", &ContextWrap::Alloc), InstanceMethod("free", &ContextWrap::Free),
                                    InstanceMethod("upload", &ContextWrap::Upload),
                                    InstanceMethod("download", &ContextWrap::Download),
                                    InstanceMethod("fill", &ContextWrap::Fill), InstanceMethod("copy", &ContextWrap::Copy),
                                    InstanceMethod("builtinKernel", &ContextWrap::BuiltinKernel),
                                    InstanceMethod("createKernel", &ContextWrap::CreateKernel),
                                    InstanceMethod("dispatch", &ContextWrap::Dispatch),
                                    InstanceMethod("countKernelRun", &ContextWrap::CountKernelRun),
                                    InstanceMethod("flush", &ContextWrap::Flush), InstanceMethod("sync", &ContextWrap::Sync),
                                    InstanceMethod("memory", &ContextWrap::Memory),
                                    InstanceMethod("close", &ContextWrap::Close)});
    ctor = Napi::Persistent(f);
    return f;
  }

  ContextWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ContextWrap>(info) {
    GUARD_BEGIN
    std::string error;
    Instance* inst = Instance::get(error);
    if (!inst) fail("ERR_OCELLUS_BACKEND_UNAVAILABLE", error);
    ctx_ = new Context(inst, u32(info[0], "device index"));
    GUARD_END
  }
  // The napi finalizer: a context collected without close() still destroys every Vulkan object.
  ~ContextWrap() override { delete ctx_; }

  Context* ctx() { return ctx_; }
  int pending = 0;

 private:
  Context* ctx_ = nullptr;

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
                                                            words.size() * 4, u32(info[2], "bindings"), u32(info[3], "pushConstants")));
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
    ctx_->dispatch(kernel, params, paramBytes, ids, push, pushBytes, u32(info[4], "x"), u32(info[5], "y"), u32(info[6], "z"));
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value CountKernelRun(const Napi::CallbackInfo& info) {
    ctx_->countKernelRun();
    return info.Env().Undefined();
  }
  Napi::Value Flush(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->flush();
    ctx_->collect();
    return info.Env().Undefined();
    GUARD_END
  }
  Napi::Value Download(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    Context::Download d = ctx_->beginDownload(u32(info[0], "buffer id"), u64(info[1], "byteOffset"), u64(info[2], "byteLength"));
    return startWait(info.Env(), d.serial, true, d);
    GUARD_END
  }
  Napi::Value Sync(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    ctx_->flush();
    return startWait(info.Env(), UINT64_MAX, false, Context::Download{});
    GUARD_END
  }
  Napi::Value startWait(Napi::Env env, uint64_t serial, bool download, Context::Download d) {
    auto fences = ctx_->fencesToWait(serial);
    auto* w = new WaitWorker(env, this, Value(), serial, fences, ctx_->device(), download, d);
    pending++;
    w->Queue();
    return w->Promise();
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
  Napi::Value Close(const Napi::CallbackInfo& info) {
    GUARD_BEGIN
    // JS awaits every pending download/sync before calling close(); a wait still running here would
    // hold a fence that close() destroys, so refuse rather than crash.
    if (pending > 0) fail("ERR_OCELLUS_VULKAN_BUSY", "close() while downloads are pending: await them first");
    ctx_->close();
    return info.Env().Undefined();
    GUARD_END
  }
};

Napi::FunctionReference ContextWrap::ctor;

void WaitWorker::OnOK() {
  Napi::Env env = Env();
  owner_->pending--;
  Context* ctx = owner_->ctx();
  ctx->releaseWaiters(serial_);
  if (result_ != VK_SUCCESS) {
    if (download_) ctx->endDownload(d_, nullptr), (void)0;
    deferred_.Reject(toJs(env, result_ == VK_ERROR_DEVICE_LOST ? "ERR_OCELLUS_VULKAN_DEVICE_LOST" : "ERR_OCELLUS_VULKAN",
                          std::string("vkWaitForFences failed: ") + vkResultName(result_))
                         .Value());
    return;
  }
  if (download_) {
    Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, d_.length);
    ctx->endDownload(d_, static_cast<uint8_t*>(ab.Data()));
    deferred_.Resolve(Napi::Uint8Array::New(env, d_.length, ab, 0));
  } else {
    deferred_.Resolve(env.Undefined());
  }
  try {
    ctx->collect();
  } catch (...) {
  }
}

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New(env, Probe));
  exports.Set("objectCounts", Napi::Function::New(env, ObjectCounts));
  exports.Set("validation", Napi::Function::New(env, Validation));
  exports.Set("Context", ContextWrap::Init(env));
  return exports;
}

NODE_API_MODULE(ocellus_vulkan, Init)
