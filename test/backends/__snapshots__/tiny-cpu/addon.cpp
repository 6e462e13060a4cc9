// Part of snnc, the same in every emitted folder; do not edit.
// addon.cpp: the Node-API surface of every network and backend: owns the buffers of the memory
// plan, takes sparse input batches, runs the plan's launch sequence and hands back only what is
// asked. It knows the network only through network-api.h (the tables of network-api.cpp), so snnc
// compiles it once per machine and compiler and links that object into every addon
// (compiler/build/addon-core.ts); a build without that object compiles this file itself.
#include <napi.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "network-api.h"

namespace {

using namespace snn;
using net::BufferInfo;

const net::Info& NET = net::info();

class Model : public Napi::ObjectWrap<Model> {
 public:
  static Napi::Function Define(Napi::Env env) {
    std::vector<PropertyDescriptor> methods = {
        InstanceMethod("loadBatch", &Model::LoadBatch),
        InstanceMethod("forward", &Model::Forward),
        InstanceMethod("backward", &Model::Backward),
        InstanceMethod("adamStep", &Model::AdamStep),
        InstanceMethod("trainStep", &Model::TrainStep),
        InstanceMethod("getTensor", &Model::GetTensor),
        InstanceMethod("setTensor", &Model::SetTensor),
        InstanceMethod("bufferBytes", &Model::BufferBytes),
        InstanceMethod("profile", &Model::Profile),
        InstanceMethod("kernelTimes", &Model::KernelTimes),
        InstanceMethod("indexChecks", &Model::IndexChecks),
        InstanceMethod("setLossBatch", &Model::SetLossBatch),
        InstanceMethod("gradientArena", &Model::GradientArena),
        InstanceMethod("readGradients", &Model::ReadGradients),
        InstanceMethod("writeGradients", &Model::WriteGradients),
        InstanceMethod("zeroGradients", &Model::ZeroGradients),
        InstanceMethod("dispose", &Model::Dispose),
    };
    if (NET.step_graph) methods.push_back(InstanceMethod("graphCaptures", &Model::GraphCaptures));
    return DefineClass(env, "Model", methods);
  }

  Model(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Model>(info) {
    Napi::Env env = info.Env();
    if (const char* why = device_init()) throw Napi::Error::New(env, why);
    Napi::Object opts = info[0].As<Napi::Object>();
    batch_capacity_ = opts.Get("batch").As<Napi::Number>().Int32Value();
    sparse_ = opts.Get("backward").As<Napi::String>().Utf8Value() == "sparse";
    record_v_ = opts.Get("recordV").As<Napi::Boolean>().Value();
    // Initial active-set entries per sample of each LIF layer, worked out by the runtime from the plan.
    Napi::Array entries = opts.Get("activeEntries").As<Napi::Array>();
    if (entries.Length() != static_cast<uint32_t>(NET.lif_stages))
      throw Napi::Error::New(env, "activeEntries needs " + std::to_string(NET.lif_stages) + " entries");
    for (int s = 0; s < NET.lif_stages; ++s)
      net::active_capacity(bufs_, s) = std::max<size_t>(1, static_cast<size_t>(entries.Get(static_cast<uint32_t>(s)).As<Napi::Number>().Int64Value()));
    net::in_capacity(bufs_) = static_cast<size_t>(batch_capacity_) * NET.events_per_sample;
    try {
      net::workspace(bufs_) = workspace_create();
      grad_arena_ = static_cast<float*>(mem_alloc(NET.grad_arena_floats * sizeof(float), "gradients"));
      mem_zero(grad_arena_, NET.grad_arena_floats * sizeof(float));
      for (int k = 0; k < NET.buffer_count; ++k) Allocate(k);
    } catch (const std::exception& e) {
      Release();
      throw Napi::Error::New(env, std::string(e.what()) + "; the memory plan needs " + std::to_string(PlannedBytes()) +
                                      " bytes in all at batch " + std::to_string(batch_capacity_));
    }
  }

  ~Model() override { Release(); }

 private:
  void** Slot(int k) { return net::slot(bufs_, k); }
  void* Buffer(int k) { return *Slot(k); }

  bool Wanted(int k) const {
    switch (NET.buffers[k].path) {
      case net::SPARSE: return sparse_;
      case net::DENSE: return !sparse_;
      case net::TRACE: return !sparse_ || record_v_;
      default: return true;
    }
  }

  // Elements of buffer k at the model's batch capacity and the current active and event capacities.
  size_t Count(int k) const {
    const BufferInfo& b = NET.buffers[k];
    const size_t batch = static_cast<size_t>(batch_capacity_);
    switch (b.scale) {
      case net::FIXED: return b.count;
      case net::PER_SAMPLE: return batch * b.count + b.extra;
      case net::ACTIVE: return batch * net::active_capacity(bufs_, b.stage);
      case net::EVENTS: return net::in_capacity(bufs_);
    }
    return 0;
  }

  size_t PlannedBytes() const {
    size_t total = NET.grad_arena_floats * sizeof(float);
    for (int k = 0; k < NET.buffer_count; ++k)
      if (Wanted(k) && NET.buffers[k].arena_offset < 0) total += Count(k) * NET.buffers[k].elem_bytes;
    return total;
  }

  void Allocate(int k) {
    void** slot = Slot(k);
    const BufferInfo& b = NET.buffers[k];
    if (b.arena_offset >= 0) {
      *slot = grad_arena_ + b.arena_offset;  // fixed size: placed once, never grown
      return;
    }
    if (*slot) mem_free(*slot);
    *slot = nullptr;
    if (Wanted(k)) *slot = mem_alloc(Count(k) * b.elem_bytes, b.name);
  }

  void Release() {
    for (int k = 0; k < NET.buffer_count; ++k) {
      void** slot = Slot(k);
      if (*slot && NET.buffers[k].arena_offset < 0) mem_free(*slot);
      *slot = nullptr;
    }
    if (grad_arena_) mem_free(grad_arena_);
    grad_arena_ = nullptr;
    workspace_destroy(net::workspace(bufs_));
    net::workspace(bufs_) = nullptr;
    released_ = true;
  }

  void CheckLive(Napi::Env env) const {
    if (released_) throw Napi::Error::New(env, "this model was disposed");
  }

  /** A batch as JavaScript passed it, checked (ReadBatch). */
  struct BatchArgs {
    Napi::Uint32Array offsets;
    Napi::Uint32Array indices;
    Napi::Int32Array labels;
    int batch;
  };

  // loadBatch(offsets: Uint32Array, indices: Uint32Array, labels: Int32Array, checked?: boolean)
  Napi::Value LoadBatch(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckLive(env);
    Upload(ReadBatch(info, 0));
    return env.Undefined();
  }

  // indexChecks() → how many loaded batches had every event index checked here: the batches not
  // marked as checked where their data was read (runtime/data/spike-batch.ts).
  Napi::Value IndexChecks(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(index_checks_));
  }

  /** The batch at info[first …]: offsets, indices, labels and whether its indices were already
   * checked (by packBatch, where the data was read); throws a RangeError saying what is wrong. An
   * index at or above the network's inputs would make the kernels read outside W, so an unchecked batch has
   * every index checked here; a checked one skips that walk over every event. */
  BatchArgs ReadBatch(const Napi::CallbackInfo& info, size_t first) {
    Napi::Env env = info.Env();
    auto offsets = info[first].As<Napi::Uint32Array>();
    auto indices = info[first + 1].As<Napi::Uint32Array>();
    auto labels = info[first + 2].As<Napi::Int32Array>();
    const bool checked = info.Length() > first + 3 && info[first + 3].IsBoolean() && info[first + 3].As<Napi::Boolean>().Value();
    const int batch = static_cast<int>(labels.ElementLength());
    if (batch < 1 || batch > batch_capacity_)
      throw Napi::RangeError::New(env, "batch of " + std::to_string(batch) + " samples; this model holds 1 to " +
                                           std::to_string(batch_capacity_));
    const int T = NET.steps;
    if (offsets.ElementLength() != static_cast<size_t>(batch) * T + 1)
      throw Napi::RangeError::New(env, "offsets must have batch·T + 1 = " + std::to_string(batch * T + 1) + " entries");
    const size_t events = offsets[static_cast<size_t>(batch) * T];
    if (offsets[0] != 0 || events != indices.ElementLength())
      throw Napi::RangeError::New(env, "offsets must start at 0 and end at the number of indices");
    for (size_t k = 0; k + 1 < offsets.ElementLength(); ++k)
      if (offsets[k] > offsets[k + 1]) throw Napi::RangeError::New(env, "offsets must not decrease");
    if (!checked) {
      ++index_checks_;
      for (size_t e = 0; e < events; ++e)
        if (indices[e] >= static_cast<uint32_t>(NET.inputs))
          throw Napi::RangeError::New(env, "input index " + std::to_string(indices[e]) + " at event " + std::to_string(e) +
                                               " is not below " + std::to_string(NET.inputs));
    }
    for (int b = 0; b < batch; ++b)
      if (labels[b] < 0 || labels[b] >= NET.classes)
        throw Napi::RangeError::New(env, "label " + std::to_string(labels[b]) + " of sample " + std::to_string(b) +
                                             " is not a class in [0, " + std::to_string(NET.classes) + ")");
    return {offsets, indices, labels, batch};
  }

  /** Uploads a checked batch into the input buffers (growing the events buffer if needed). */
  void Upload(const BatchArgs& in) {
    const size_t events = in.indices.ElementLength();
    if (events > net::in_capacity(bufs_)) {
      net::in_capacity(bufs_) = events + events / 4;
      Allocate(NET.in_indices);
    }
    mem_upload(Buffer(NET.in_offsets), in.offsets.Data(), in.offsets.ByteLength());
    mem_upload(Buffer(NET.in_indices), in.indices.Data(), in.indices.ByteLength());
    mem_upload(Buffer(NET.labels), in.labels.Data(), in.labels.ByteLength());
    batch_ = in.batch;
  }

  void RequireBatch(Napi::Env env) const {
    CheckLive(env);
    if (batch_ == 0) throw Napi::Error::New(env, "no batch loaded: call loadBatch first");
  }

  // Grows every active set that overflowed to 1.25× the largest per-sample count it saw.
  void GrowActiveSets() {
    const int T = NET.steps;
    std::vector<uint32_t> offsets(static_cast<size_t>(batch_) * (T + 1));
    for (int s = 0; s < NET.lif_stages; ++s) {
      mem_download(offsets.data(), Buffer(NET.active_offsets[s]), offsets.size() * sizeof(uint32_t));
      size_t need = 0;
      for (int b = 0; b < batch_; ++b) need = std::max<size_t>(need, offsets[static_cast<size_t>(b) * (T + 1) + T]);
      if (need <= net::active_capacity(bufs_, s)) continue;
      net::active_capacity(bufs_, s) = need + need / 4 + 16;
      for (int k = 0; k < NET.buffer_count; ++k)
        if (NET.buffers[k].scale == net::ACTIVE && NET.buffers[k].stage == s) Allocate(k);
    }
  }

  // Enqueues one pass: stats zeroed, the forward and, when train is set, the backward and Adam.
  void Launch(bool train, AdamArgs adam) {
    // With the stepGraph option a training step is one graph launch; profiling times each kernel,
    // so it launches them.
    if (NET.step_graph && train && !profiling_) return net::train_step_graph(bufs_, batch_, record_v_ || !sparse_, sparse_, adam);
    mem_zero(Buffer(NET.stats_buffer), NET.stats * sizeof(double));
    run_forward(bufs_, batch_, record_v_ || !sparse_, sparse_);
    if (!train) return;
    if (sparse_)
      run_backward_sparse(bufs_, batch_);
    else
      run_backward_dense(bufs_, batch_);
    run_adam(bufs_, adam);
  }

  // Runs the forward (and, when train is set, backward and Adam) until the active sets fit. `next`
  // (trainStep only): the batch to load once this step is done, as loadBatch(next) would.
  Napi::Value Run(Napi::Env env, bool train, AdamArgs adam, const BatchArgs* next = nullptr) {
    RequireBatch(env);
    try {
      for (int attempt = 0;; ++attempt) {
        profile_reset();
        Launch(train, adam);
        // With the overlapUpload option, while the step runs: the next batch's events go up on the
        // copy stream.
        if (NET.overlap_upload && next && attempt == 0)
          net::stage_inputs(bufs_, batch_capacity_,
                            StagedBatch{next->offsets.Data(), next->offsets.ElementLength(), next->indices.Data(),
                                        next->indices.ElementLength(), next->labels.Data(), next->labels.ElementLength()});
        mem_download(stats_.data(), Buffer(NET.stats_buffer), stats_.size() * sizeof(double));
        if (stats_[NET.stat_overflowed] == 0.0 || !sparse_) {
          stats_[NET.stat_regrows] = attempt;  // how many times the active sets had to grow this step
          auto out = Napi::Float64Array::New(env, stats_.size());
          std::memcpy(out.Data(), stats_.data(), stats_.size() * sizeof(double));
          if (next && NET.overlap_upload) {
            net::use_staged_inputs(bufs_);
            batch_ = next->batch;
          } else if (next) {
            Upload(*next);
          }
          return out;
        }
        if (attempt > 8) throw std::runtime_error("the active set kept overflowing");
        GrowActiveSets();
      }
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, e.what());
    }
  }

  // forward() → the stats buffer (STAT_* slots in network.h; compiler/plan/stats-layout.ts)
  Napi::Value Forward(const Napi::CallbackInfo& info) { return Run(info.Env(), false, AdamArgs{0.0f, 0.0f, 1.0f}); }

  // backward(): gradients of the batch last passed through forward().
  Napi::Value Backward(const Napi::CallbackInfo& info) {
    RequireBatch(info.Env());
    if (sparse_)
      run_backward_sparse(bufs_, batch_);
    else
      run_backward_dense(bufs_, batch_);
    mem_sync();
    return info.Env().Undefined();
  }

  // The step's AdamArgs from the first three arguments (stepSize, epsHat, decay): the host computes
  // them per step (bias corrections, the scheduled learning rate, AdamW's 1 − lr·λ).
  static AdamArgs ReadAdamArgs(const Napi::CallbackInfo& info) {
    return AdamArgs{info[0].As<Napi::Number>().FloatValue(), info[1].As<Napi::Number>().FloatValue(),
                    info[2].As<Napi::Number>().FloatValue()};
  }

  // adamStep(stepSize, epsHat, decay): one Adam update from the current gradients.
  Napi::Value AdamStep(const Napi::CallbackInfo& info) {
    CheckLive(info.Env());
    run_adam(bufs_, ReadAdamArgs(info));
    mem_sync();
    return info.Env().Undefined();
  }

  // trainStep(stepSize, epsHat, decay, nextOffsets?, nextIndices?, nextLabels?, nextChecked?) →
  // stats: forward, loss, backward and Adam as one launch sequence. With a next batch it then loads
  // that batch as loadBatch would; a bad next batch is refused before the step runs.
  // (overlapUpload: the next batch uploads on a copy stream while the step runs.)
  Napi::Value TrainStep(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const AdamArgs adam = ReadAdamArgs(info);
    if (info.Length() > 3 && !info[3].IsUndefined()) {
      RequireBatch(env);
      const BatchArgs next = ReadBatch(info, 3);
      return Run(env, true, adam, &next);
    }
    return Run(env, true, adam);
  }

  // setLossBatch(n): the loss averages over n samples instead of the loaded batch (0: the loaded
  // batch again). A data-parallel rank passes the global batch, so the ranks' gradients sum to the
  // global batch's gradient.
  Napi::Value SetLossBatch(const Napi::CallbackInfo& info) {
    CheckLive(info.Env());
    net::loss_batch(bufs_) = info[0].As<Napi::Number>().Int32Value();
    return info.Env().Undefined();
  }

  // gradientArena() → { address: bigint, floats, device }: where every weight gradient lies, one
  // tensor after another (each from a 256-byte boundary; the gaps stay 0), for an in-place reduce.
  Napi::Value GradientArena(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckLive(env);
    Napi::Object out = Napi::Object::New(env);
    out.Set("address", Napi::BigInt::New(env, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(grad_arena_))));
    out.Set("floats", Napi::Number::New(env, static_cast<double>(NET.grad_arena_floats)));
    out.Set("device", Napi::Boolean::New(env, NET.device_memory));
    return out;
  }

  Napi::Float32Array ArenaSized(const Napi::CallbackInfo& info) {
    CheckLive(info.Env());
    auto host = info[0].As<Napi::Float32Array>();
    if (host.ElementLength() != NET.grad_arena_floats)
      throw Napi::RangeError::New(info.Env(), "the gradient arena holds " + std::to_string(NET.grad_arena_floats) + " floats, got " +
                                                  std::to_string(host.ElementLength()));
    return host;
  }

  // readGradients(host: Float32Array): the whole arena into host memory, one copy.
  Napi::Value ReadGradients(const Napi::CallbackInfo& info) {
    auto host = ArenaSized(info);
    mem_download(host.Data(), grad_arena_, NET.grad_arena_floats * sizeof(float));
    return info.Env().Undefined();
  }

  // writeGradients(host: Float32Array): the whole arena from host memory, one copy.
  Napi::Value WriteGradients(const Napi::CallbackInfo& info) {
    auto host = ArenaSized(info);
    mem_upload(grad_arena_, host.Data(), NET.grad_arena_floats * sizeof(float));
    mem_sync();
    return info.Env().Undefined();
  }

  // zeroGradients(): every gradient 0 (a data-parallel rank with no sample in this batch).
  Napi::Value ZeroGradients(const Napi::CallbackInfo& info) {
    CheckLive(info.Env());
    mem_zero(grad_arena_, NET.grad_arena_floats * sizeof(float));
    mem_sync();
    return info.Env().Undefined();
  }

  int Find(Napi::Env env, const std::string& name) const {
    for (int k = 0; k < NET.buffer_count; ++k)
      if (name == NET.buffers[k].name) {
        if (!bufs_ptr(k)) throw Napi::Error::New(env, "buffer " + name + " is not allocated in this mode");
        return k;
      }
    throw Napi::Error::New(env, "no buffer named " + name);
  }

  const void* bufs_ptr(int k) const { return *const_cast<Model*>(this)->Slot(k); }

  // getTensor(name) → a typed-array copy of the buffer (the used part: batch rows where it scales).
  Napi::Value GetTensor(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckLive(env);
    const int k = Find(env, info[0].As<Napi::String>().Utf8Value());
    const size_t bytes = Count(k) * NET.buffers[k].elem_bytes;
    auto out = Napi::ArrayBuffer::New(env, bytes);
    mem_download(out.Data(), bufs_ptr(k), bytes);
    return out;
  }

  // setTensor(name, typedArray): replaces a fixed-size buffer (weights, Adam moments).
  Napi::Value SetTensor(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CheckLive(env);
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    const int k = Find(env, name);
    auto data = info[1].As<Napi::TypedArray>();
    const size_t bytes = Count(k) * NET.buffers[k].elem_bytes;
    if (data.ByteLength() != bytes)
      throw Napi::RangeError::New(env, name + " takes " + std::to_string(bytes) + " bytes, got " +
                                           std::to_string(data.ByteLength()));
    mem_upload(*Slot(k), static_cast<const uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset(), bytes);
    return env.Undefined();
  }

  // bufferBytes() → bytes allocated now: the memory plan at the current capacities, and the
  // workspace outside it (workspace_bytes).
  Napi::Value BufferBytes(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(PlannedBytes() + workspace_bytes(net::workspace(bufs_))));
  }

  // profile(on): time every kernel of the following calls (kernelTimes reads them).
  Napi::Value Profile(const Napi::CallbackInfo& info) {
    profiling_ = info[0].As<Napi::Boolean>().Value();
    profile_enable(profiling_);
    return info.Env().Undefined();
  }

  // kernelTimes() → [[name, ms], …] for the kernels of the last forward/trainStep (and any
  // backward/adamStep since).
  Napi::Value KernelTimes(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    const char* names[256];
    double ms[256];
    int n = 0;
    try {
      n = profile_read(names, ms, 256);
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, e.what());
    }
    auto out = Napi::Array::New(env, n);
    for (int k = 0; k < n; ++k) {
      auto pair = Napi::Array::New(env, 2);
      pair.Set(0u, Napi::String::New(env, names[k]));
      pair.Set(1u, Napi::Number::New(env, ms[k]));
      out.Set(static_cast<uint32_t>(k), pair);
    }
    return out;
  }

  // graphCaptures() → how many step graphs this model has captured (each new batch size, buffer
  // growth or input set needs one; replays capture nothing). With the stepGraph option only.
  Napi::Value GraphCaptures(const Napi::CallbackInfo& info) {
    CheckLive(info.Env());
    return Napi::Number::New(info.Env(), net::step_graph_captures(bufs_));
  }

  Napi::Value Dispose(const Napi::CallbackInfo& info) {
    Release();
    return info.Env().Undefined();
  }

  // The network's Buffers (network.h; opaque here), made and freed by network-api.cpp.
  std::unique_ptr<Buffers, void (*)(Buffers*)> owned_{net::buffers_create(), net::buffers_destroy};
  Buffers& bufs_ = *owned_;
  std::vector<double> stats_ = std::vector<double>(static_cast<size_t>(NET.stats));  // a step's stats read back
  float* grad_arena_ = nullptr;  // the gradient tensors' one allocation (NET.grad_arena_floats)
  int batch_capacity_ = 0;
  int batch_ = 0;
  bool sparse_ = true;
  bool record_v_ = false;
  bool released_ = false;
  bool profiling_ = false;
  size_t index_checks_ = 0;  // loads whose event indices were checked here (indexChecks())
};

// probeReadBandwidth(bytes, reps) → GB/s the kernels' threads read together from a buffer of
// `bytes` each (probe_read_gbps); −1 where the backend has none. For `snnc bench`'s cache roof.
Napi::Value ProbeReadBandwidth(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber())
    throw Napi::TypeError::New(env, "probeReadBandwidth(bytes, reps) takes two numbers");
  const double bytes = info[0].As<Napi::Number>().DoubleValue(), reps = info[1].As<Napi::Number>().DoubleValue();
  if (!(bytes >= 1024 && bytes <= 268435456.0) || !(reps >= 1 && reps <= 100000))
    throw Napi::RangeError::New(env, "probeReadBandwidth: bytes must be 1 KiB to 256 MiB and reps 1 to 100000");
  return Napi::Number::New(env, probe_read_gbps(static_cast<size_t>(bytes), static_cast<int>(reps)));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Model", Model::Define(env));
  exports.Set("probeReadBandwidth", Napi::Function::New(env, ProbeReadBandwidth, "probeReadBandwidth"));
  Napi::Object info = Napi::Object::New(env);
  info.Set("name", NET.name);
  info.Set("specHash", NET.spec_hash);
  info.Set("backend", NET.backend);
  info.Set("steps", NET.steps);
  info.Set("inputs", NET.inputs);
  info.Set("classes", NET.classes);
  // The plan's step launch options (compiler/plan/plan-options.ts), for the runtime.
  info.Set("stepGraph", NET.step_graph);
  info.Set("overlapUpload", NET.overlap_upload);
  exports.Set("info", info);
  return exports;
}

}  // namespace

// Node finds the module by its napi_register_module_v1 symbol; the name here is not used.
NODE_API_MODULE(snnc_model, Init)
