// Part of snnc, the same in every emitted folder; do not edit.
// network-api.h: what addon.cpp, the Node binding every network shares, may call: the kernel entry
// points and memory shims (kernels.cpp / kernels.cu) and the network's tables (network-api.cpp,
// emitted for each network from its plan). addon.cpp includes this header and never network.h, so
// its object code is the same for every network: snnc compiles it once per machine and compiler
// and links that object into every addon (compiler/build/addon-core.ts).
#pragma once
#include <cstddef>
#include <cstdint>

namespace snn {

struct Buffers;    // one pointer per entry of the memory plan (network.h)
struct Workspace;  // host-side scratch of one model that lives as long as it (the kernels define it)

/** One optimiser step's run-time factors, computed by the host for each step (the learning rate
 * follows the schedule): Adam's bias corrections folded into step_size = lr·√(1−β2ᵗ)/(1−β1ᵗ) and
 * eps_hat = ε·√(1−β2ᵗ), and AdamW's decoupled decay = 1 − lr·λ (exactly 1 for plain Adam). */
struct AdamArgs {
  float step_size;
  float eps_hat;
  float decay;
};

Workspace* workspace_create();
void workspace_destroy(Workspace* w);
/** Bytes the model holds outside the memory plan: the CPU's per-thread gradient copies, the CUDA
 * conv scratch (shared by every model of the network on the device). */
size_t workspace_bytes(const Workspace* w);

// ---- Kernel entry points (kernels.cpp / kernels.cu); each enqueues work, none waits for it ----
void run_forward(const Buffers& d, int batch, bool record_v, bool record_active);
void run_backward_sparse(const Buffers& d, int batch);
void run_backward_dense(const Buffers& d, int batch);
void run_adam(const Buffers& d, AdamArgs a);

// ---- Per-kernel timing for `snnc bench`: when on, every launch is followed by a timestamp ----
void profile_enable(bool on);
void profile_reset();
void profile_mark(const char* kernel);  // the time since the previous mark is this kernel's
int profile_read(const char** names, double* ms, int max);  // waits for the device; returns the count

// ---- The cache roof of `snnc bench`'s roofline (kernels.cpp; kernels.cu: none, −1) ----
/** GB/s the kernels' threads read together from buffers of `bytes` each (sized for one cache level),
 *  `reps` passes after an untimed one; −1 where the backend has no such probe or the buffers could
 *  not be allocated. */
double probe_read_gbps(size_t bytes, int reps);

// ---- Memory and device shims (kernels.cpp / kernels.cu) ----
const char* device_init();  // nullptr when ready, else one sentence saying why not
void* mem_alloc(size_t bytes, const char* name);  // throws std::runtime_error naming the buffer
void mem_free(void* p);
void mem_upload(void* dst, const void* src, size_t bytes);
void mem_download(void* dst, const void* src, size_t bytes);
void mem_zero(void* p, size_t bytes);
void mem_sync();

/** Host arrays of a batch the addon has checked; read only during stage_inputs (overlapUpload). */
struct StagedBatch {
  const uint32_t* offsets;
  size_t n_offsets;
  const uint32_t* indices;
  size_t n_indices;
  const int32_t* labels;
  size_t n_labels;
};

// ---- The network's tables and plan options (network-api.cpp) ----
namespace net {

/** Which backward pass needs a buffer: both, the sparse one, the dense one, or the dense one and
 *  the recorded membranes (recordV). */
enum Path { BOTH, SPARSE, DENSE, TRACE };

/** How a buffer's element count follows the run-time sizes. */
enum Scale {
  FIXED,       // count
  PER_SAMPLE,  // batch · count + extra
  ACTIVE,      // batch · the active-set capacity of LIF stage `stage` (grows when a step overflows it)
  EVENTS,      // the input events' capacity (grows with the largest batch of events loaded)
};

/** One entry of the memory plan, in the order of network.h's Buffers. */
struct BufferInfo {
  const char* name;
  size_t elem_bytes;
  Path path;
  long arena_offset;  // a gradient tensor's place in the gradient arena (floats), -1 for the others
  Scale scale;
  size_t count;
  size_t extra;
  int stage;
};

/** What the binding knows of the network without network.h. */
struct Info {
  const char* name;
  const char* spec_hash;
  const char* backend;   // "cpu" or "cuda"
  bool device_memory;    // buffers live in GPU memory (the CUDA backend, emulated or not)
  int steps;             // T
  int inputs;            // N_INPUT
  int classes;
  int stats;             // length of the stats buffer (STATS)
  int stat_overflowed;   // STAT_OVERFLOWED
  int stat_regrows;      // STAT_REGROWS
  const BufferInfo* buffers;
  int buffer_count;
  // Where in `buffers` the binding finds what it reads and writes itself.
  int in_offsets;        // input events: start of each (sample, step)
  int in_indices;        // input events: input neuron of each event (grows with the events loaded)
  int labels;
  int stats_buffer;      // the stats a step reads back (`stats` doubles)
  size_t grad_arena_floats;  // every weight gradient lies in one arena of this many floats
  int lif_stages;
  const int* active_offsets;  // per LIF stage: its act_offsets buffer
  size_t events_per_sample;   // the input events' first capacity, per sample of the batch
  bool step_graph;        // plan option: a training step is one CUDA graph launch
  bool overlap_upload;    // plan option: the next batch uploads while the step runs
};
const Info& info();

Buffers* buffers_create();
void buffers_destroy(Buffers* d);
/** Where Buffers keeps the pointer of buffer k. */
void** slot(Buffers& d, int k);
size_t& active_capacity(Buffers& d, int stage);
size_t& in_capacity(Buffers& d);
int64_t& loss_batch(Buffers& d);
Workspace*& workspace(Buffers& d);

// The plan options' entry points; each does nothing where the network was built without its option
// (info().step_graph, info().overlap_upload say which).
void train_step_graph(const Buffers& d, int batch, bool record_v, bool sparse, AdamArgs adam);
int step_graph_captures(const Buffers& d);
void stage_inputs(const Buffers& d, int batch_capacity, const StagedBatch& next);
void use_staged_inputs(Buffers& d);

}  // namespace net
}  // namespace snn
