// cuda_runtime.h of snnc's emulated CUDA build: the CUDA names that snnc's kernels.cu uses, mapped
// onto HIP-CPU (AMD's header-only HIP on the CPU, patched for 32-lane warps; see
// shared/third_party/README.md). The same kernels.cu that nvcc builds is compiled by g++ against
// this header and run on the CPU, so the CUDA kernels' arithmetic, indexing, warp intrinsics and
// barriers are checked without a GPU. It cannot see fences or resource limits (the GPU check's
// compute-sanitizer runs do); a device buffer's bounds are checked by the AddressSanitizer build
// (the `asan` variant, test/backends/asan.ts), races on __shared__ and device memory and the bounds
// of __shared__ variables by the racecheck build (the `racecheck` variant, racecheck.h). CUDA graphs (--step-graph)
// are emulated here: a stream capture records launches as nodes that a graph launch replays (near
// the end).
//
// Unlike plain HIP-CPU it is loud about one thing a GPU would not forgive: every thread of a block
// must reach the same number of block barriers, and every lane of a warp the same number of warp
// intrinsics. HIP-CPU runs a block's threads as fibers that hand control round robin at each
// barrier; a thread that skips one desynchronises the others silently (they pair the wrong
// barriers, or a finished fiber starts the kernel over). Each such mismatch stops the process with
// one line naming the kernel, the block and the threads.
#pragma once

// First: how HIP-CPU's threads wait (it reads YieldProcessor when parsed).
#include "hip_cpu_yield.h"
#include <hip/hip_runtime.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <functional>
#include <memory>
#include <tuple>
#include <thread>
#include <utility>
#include <vector>
#if defined(SNNC_RACECHECK)
#include "racecheck.h"
#endif

// HIP-CPU marks kernels and device functions `simd` (and kernels `flatten`): on snnc's kernels, which
// take the buffer table by value, g++ only warns about it, and it slows the build. Plain functions.
#undef __global__
#define __global__
#undef __device__
#define __device__

// ---- Host API: types, constants, calls ----
using cudaError_t = hipError_t;
using cudaStream_t = hipStream_t;
using cudaEvent_t = hipEvent_t;
#define cudaSuccess hipSuccess
#define cudaMemcpyHostToDevice hipMemcpyHostToDevice
#define cudaMemcpyDeviceToHost hipMemcpyDeviceToHost
#define cudaStreamNonBlocking hipStreamNonBlocking
#define cudaEventDisableTiming hipEventDisableTiming
#define cudaGetLastError hipGetLastError
#define cudaGetErrorString hipGetErrorString
#define cudaGetDeviceCount hipGetDeviceCount
#define cudaMemGetInfo hipMemGetInfo
#define cudaStreamCreateWithFlags hipStreamCreateWithFlags
#define cudaStreamDestroy hipStreamDestroy
#define cudaEventCreate hipEventCreate
#define cudaEventCreateWithFlags hipEventCreateWithFlags
#define cudaEventDestroy hipEventDestroy
#define cudaEventElapsedTime hipEventElapsedTime
// Memory, copies, memsets, synchronisation and events are functions at the end of this header: a
// stream capture (CUDA graphs) records or refuses them.

// ---- Device side: the barrier and warp-intrinsic ledger ----
namespace snnc_emu {

constexpr unsigned MAX_THREADS = 1024;
constexpr unsigned WARP = 32;

/** What the threads of the block now running on this OS thread have reached. HIP-CPU runs one
 *  block at a time per OS thread, its threads as fibers on that thread, so thread_local state is
 *  the block's. Round robin means thread 0 leads every round between block barriers and a warp's
 *  first lane every round between warp intrinsics: each later thread compares itself with them. */
struct Ledger {
  const char* kernel = "";
  unsigned block_syncs[MAX_THREADS];
  unsigned warp_ops[MAX_THREADS];
  unsigned warp_syncs[MAX_THREADS];  // the __syncwarp()s among warp_ops (the racecheck build's order)
  bool returned[MAX_THREADS];
};
inline thread_local Ledger ledger;

inline unsigned self() { return hip::detail::Fiber::this_fiber().id(); }
inline unsigned block_index() { return blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z); }

[[noreturn]] inline void desynchronised(const char* what, unsigned thread, unsigned leader) {
  // Blocks run on several OS threads at once: the first to find one reports and stops the process,
  // the others wait for the end rather than print a second line.
  static std::atomic<bool> reported{false};
  if (reported.exchange(true))
    for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
  const auto where = [](unsigned k) {
    static thread_local char text[96];
    std::snprintf(text, sizeof text, "%u block barriers, %u warp intrinsics%s", ledger.block_syncs[k], ledger.warp_ops[k],
                  ledger.returned[k] ? ", returned" : "");
    return text;
  };
  char mine[96];
  std::snprintf(mine, sizeof mine, "%s", where(thread));
  std::fprintf(stderr,
               "snnc emulated CUDA: kernel %s, block %u: thread %u %s (%s) out of step with thread %u (%s): not every "
               "thread reaches the same barriers (on a GPU a hang or a silent desynchronisation)\n",
               ledger.kernel, block_index(), thread, what, mine, leader, where(leader));
  std::fflush(stderr);
  std::abort();
}

/** The start of one thread's run of a kernel (thread 0 starts the block, so it clears the ledger). */
inline void enter(const char* kernel, std::uint32_t launch) {
  (void)launch;
  const unsigned i = self();
  if (i == 0) {
    ledger.kernel = kernel;
    const unsigned n = blockDim.x * blockDim.y * blockDim.z;
    for (unsigned k = 0; k < n; ++k) {
      ledger.block_syncs[k] = 0;
      ledger.warp_ops[k] = 0;
      ledger.warp_syncs[k] = 0;
      ledger.returned[k] = false;
    }
#if defined(SNNC_RACECHECK)
    race::begin_block(kernel, launch, block_index(), &self, ledger.block_syncs, ledger.warp_syncs);
#endif
  } else if (ledger.returned[i]) {
    // A fiber that had returned was handed control again: some other thread skipped a barrier.
    desynchronised("started the kernel again after returning", i, 0);
  }
#if defined(SNNC_RACECHECK)
  race::thread_entered();
#endif
}

/** Thread i against thread 0, which leads every round between block barriers (at a block barrier
 *  or a return only: between them the warps of a block are in different places). */
inline void compare_block(unsigned i, const char* what) {
  if (i != 0 && (ledger.block_syncs[i] != ledger.block_syncs[0] || ledger.returned[i] != ledger.returned[0]))
    desynchronised(what, i, 0);
}

/** Lane i against its warp's first lane, which leads every round between warp intrinsics. */
inline void compare_warp(unsigned i, const char* what) {
  const unsigned lead = i / WARP * WARP;
  if (i != lead && (ledger.warp_ops[i] != ledger.warp_ops[lead] || ledger.block_syncs[i] != ledger.block_syncs[lead] ||
                    ledger.returned[i] != ledger.returned[lead]))
    desynchronised(what, i, lead);
}

/** The end of one thread's run: it reached the barriers its leaders reached, and returned with them. */
inline void leave() {
  const unsigned i = self();
#if defined(SNNC_RACECHECK)
  race::thread_left();
#endif
  ledger.returned[i] = true;
  compare_block(i, "returned");
  compare_warp(i, "returned");
}

/** One thread's run of a kernel, from the launch (SNNC_LAUNCH below). */
struct Thread_run {
  Thread_run(const char* kernel, std::uint32_t launch) { enter(kernel, launch); }
  ~Thread_run() { leave(); }
  Thread_run(const Thread_run&) = delete;
  Thread_run& operator=(const Thread_run&) = delete;
};

inline void syncthreads() {
  const unsigned i = self();
  ++ledger.block_syncs[i];
  compare_block(i, "reached a block barrier");
  compare_warp(i, "reached a block barrier");
  hip::detail::Tile::this_tile().barrier();
}

/** Counts a warp intrinsic of the calling lane (before it waits on the other lanes). */
inline void warp_op() {
  const unsigned i = self();
  ++ledger.warp_ops[i];
  compare_warp(i, "reached a warp intrinsic");
}

/** __syncwarp: a warp intrinsic that also orders the warp's memory accesses. */
inline void syncwarp() {
  warp_op();
  ++ledger.warp_syncs[self()];
  hip::detail::Tile::this_tile().warp_barrier();
}

/** __syncthreads_or: HIP-CPU has none. Thread 0 clears the vote (it leads the round), every thread
 *  adds its predicate, one barrier, everyone reads, one barrier before the next vote may clear it. */
inline int syncthreads_or(int predicate) {
  thread_local int vote = 0;
  const unsigned i = self();
  ++ledger.block_syncs[i];
  compare_block(i, "reached a block barrier (__syncthreads_or)");
  compare_warp(i, "reached a block barrier (__syncthreads_or)");
  if (i == 0) vote = 0;
  vote |= predicate != 0;
  hip::detail::Tile::this_tile().barrier();
  const int any = vote;
  hip::detail::Tile::this_tile().barrier();
  return any;
}

}  // namespace snnc_emu

// Masks and widths are not emulated: every snnc kernel passes the full warp.
#define __syncthreads() ::snnc_emu::syncthreads()
#define __syncthreads_or(p) ::snnc_emu::syncthreads_or(p)
#define __syncwarp(...) ::snnc_emu::syncwarp()

// The warp intrinsics on one exchange slot per lane and one warp barrier each (HIP-CPU's own take
// two: in the dense backward, a warp reduction per input row, the switches are the emulator's time).
// Consecutive intrinsics alternate between two slots, so a lane that runs ahead into the next one
// cannot overwrite what a slower lane of its warp has still to read; one after that, it would have
// to pass a barrier the slow lane has not reached.
namespace snnc_emu {

inline thread_local std::uint64_t exchange[MAX_THREADS / WARP][2][WARP];

/** Publishes this lane's word, waits for the warp, and returns the warp's words of this round. */
inline const std::uint64_t* swap_words(std::uint64_t word) {
  const unsigned i = self();
  warp_op();
  std::uint64_t* slots = exchange[i / WARP][ledger.warp_ops[i] & 1];
  slots[i % WARP] = word;
  hip::detail::Tile::this_tile().warp_barrier();
  return slots;
}

template <typename T>
inline T shuffle(T value, int source_lane) {
  static_assert(sizeof(T) <= sizeof(std::uint64_t) && std::is_trivially_copyable_v<T>, "shuffles move a word of at most 64 bits");
  std::uint64_t word = 0;
  std::memcpy(&word, &value, sizeof(T));
  const std::uint64_t* words = swap_words(word);
  T out;
  std::memcpy(&out, &words[source_lane], sizeof(T));
  return out;
}

/** The calling lane's index in its warp, and the lane it reads from as CUDA defines it for a width
 *  of 32 (out of range: its own value). */
inline int lane_id() { return static_cast<int>(self() % WARP); }

}  // namespace snnc_emu

inline unsigned __ballot_sync(unsigned /*mask*/, int predicate) {
  const std::uint64_t* words = ::snnc_emu::swap_words(predicate != 0);
  unsigned bits = 0;
  for (unsigned k = 0; k < ::snnc_emu::WARP; ++k) bits |= static_cast<unsigned>(words[k] != 0) << k;
  return bits;
}
template <typename T>
inline T __shfl_sync(unsigned /*mask*/, T value, int lane) {
  return ::snnc_emu::shuffle(value, lane & 31);
}
template <typename T>
inline T __shfl_down_sync(unsigned /*mask*/, T value, unsigned delta) {
  const int source = ::snnc_emu::lane_id() + static_cast<int>(delta);
  return source < 32 ? ::snnc_emu::shuffle(value, source) : ::snnc_emu::shuffle(value, ::snnc_emu::lane_id());
}
template <typename T>
inline T __shfl_up_sync(unsigned /*mask*/, T value, unsigned delta) {
  const int source = ::snnc_emu::lane_id() - static_cast<int>(delta);
  return source >= 0 ? ::snnc_emu::shuffle(value, source) : ::snnc_emu::shuffle(value, ::snnc_emu::lane_id());
}
template <typename T>
inline T __shfl_xor_sync(unsigned /*mask*/, T value, int lane_mask) {
  return ::snnc_emu::shuffle(value, (::snnc_emu::lane_id() ^ lane_mask) & 31);
}

// CUDA's device min/max on integers (the float ones come from <cmath>).
inline unsigned min(unsigned a, unsigned b) { return a < b ? a : b; }
inline unsigned max(unsigned a, unsigned b) { return a > b ? a : b; }
inline int min(int a, int b) { return a < b ? a : b; }
inline int max(int a, int b) { return a > b ? a : b; }

// kernel<<<grid, block, 0, stream>>>(args) as HIP-CPU's launch, each thread's run in the ledger. The
// call is type-erased first, so every launch shares one instantiation of HIP-CPU's launch machinery
// (a launch of its own per kernel made the build several seconds longer).
namespace snnc_emu {
inline void launch(const char* kernel, dim3 grid, dim3 block, hipStream_t stream, std::function<void()> call) {
  // Launches numbered as they are enqueued (the racecheck build tells launches apart by them).
#if defined(SNNC_RACECHECK)
  const std::uint32_t serial = race::next_launch();
#else
  const std::uint32_t serial = 0;
#endif
  ::hip::detail::launch(grid, block, 0u, stream,
                        [kernel, serial, call = std::move(call)]() noexcept {
                          const Thread_run run(kernel, serial);
                          call();
                        },
                        std::make_tuple());
}
}  // namespace snnc_emu

// ---- CUDA graphs: stream capture and replay (the --step-graph build) ----
// HIP-CPU has no graphs. While a stream captures, its kernel launches, memsets and copies become
// nodes instead of running, with their arguments copied as they were at the launch (as CUDA does);
// cudaGraphLaunch enqueues the nodes in order on the stream it is given. A kernel node's
// arguments can be replaced (cudaGraphExecKernelNodeSetParams) byte for byte from the pointers
// handed in, so a replay runs with exactly what the GPU's would. A call that a GPU refuses during
// a capture (a synchronisation, an allocation, a symbol copy, an event) stops the capture with one
// line naming the call, and ending it then fails, as on a GPU. A capture is one stream's, on the
// thread that began it (the step graph's cudaStreamCaptureModeThreadLocal); nodes on one stream
// form a chain, so each node's only dependency is the one before.
enum cudaStreamCaptureMode { cudaStreamCaptureModeGlobal = 0, cudaStreamCaptureModeThreadLocal = 1, cudaStreamCaptureModeRelaxed = 2 };
enum cudaStreamCaptureStatus { cudaStreamCaptureStatusNone = 0, cudaStreamCaptureStatusActive = 1, cudaStreamCaptureStatusInvalidated = 2 };
struct cudaGraphEdgeData;

struct cudaKernelNodeParams {
  void* func;
  dim3 gridDim;
  dim3 blockDim;
  unsigned int sharedMemBytes;
  void** kernelParams;
  void** extra;
};

namespace snnc_emu {

struct Graph_node {
  std::size_t index = 0;  // its place in the graph, the same in every instantiation of it
  virtual ~Graph_node() = default;
  virtual void enqueue(hipStream_t stream) const = 0;
  virtual std::unique_ptr<Graph_node> clone() const = 0;  // the node's launch, not its index
  virtual bool kernel_params(cudaKernelNodeParams*) { return false; }
  virtual bool set_kernel_params(const cudaKernelNodeParams&) { return false; }
};

/** A kernel launch with its arguments as values of the kernel's parameter types. */
template <typename... P>
struct Kernel_node final : Graph_node {
  const char* name;
  dim3 grid, block;
  void (*fn)(P...);
  std::tuple<std::decay_t<P>...> args;
  void* pointers[sizeof...(P) + 1] = {};

  Kernel_node(const char* n, dim3 g, dim3 b, void (*f)(P...), std::tuple<std::decay_t<P>...> a)
      : name(n), grid(g), block(b), fn(f), args(std::move(a)) {}
  void enqueue(hipStream_t stream) const override {
    launch(name, grid, block, stream, [f = fn, a = args]() { std::apply(f, a); });
  }
  std::unique_ptr<Graph_node> clone() const override { return std::make_unique<Kernel_node>(name, grid, block, fn, args); }
  bool kernel_params(cudaKernelNodeParams* out) override {
    point(std::index_sequence_for<P...>{});
    *out = cudaKernelNodeParams{reinterpret_cast<void*>(fn), grid, block, 0u, pointers, nullptr};
    return true;
  }
  bool set_kernel_params(const cudaKernelNodeParams& p) override {
    if (p.func && p.func != reinterpret_cast<void*>(fn)) return false;  // CUDA: the same kernel only
    if (!p.kernelParams) return false;
    grid = p.gridDim;
    block = p.blockDim;
    copy_in(p.kernelParams, std::index_sequence_for<P...>{});
    return true;
  }

 private:
  template <std::size_t... I>
  void point(std::index_sequence<I...>) {
    ((pointers[I] = &std::get<I>(args)), ...);
  }
  template <std::size_t... I>
  void copy_in(void** from, std::index_sequence<I...>) {
    static_assert((std::is_trivially_copyable_v<std::decay_t<P>> && ...), "kernel arguments are copied byte for byte");
    ((std::memcpy(&std::get<I>(args), from[I], sizeof(std::get<I>(args)))), ...);
  }
};

struct Memset_node final : Graph_node {
  void* dst;
  int value;
  std::size_t bytes;
  Memset_node(void* d, int v, std::size_t n) : dst(d), value(v), bytes(n) {}
  void enqueue(hipStream_t stream) const override { hipMemsetAsync(dst, value, bytes, stream); }
  std::unique_ptr<Graph_node> clone() const override { return std::make_unique<Memset_node>(dst, value, bytes); }
};

struct Memcpy_node final : Graph_node {
  void* dst;
  const void* src;
  std::size_t bytes;
  hipMemcpyKind kind;
  Memcpy_node(void* d, const void* s, std::size_t n, hipMemcpyKind k) : dst(d), src(s), bytes(n), kind(k) {}
  void enqueue(hipStream_t stream) const override { hipMemcpyAsync(dst, src, bytes, kind, stream); }
  std::unique_ptr<Graph_node> clone() const override { return std::make_unique<Memcpy_node>(dst, src, bytes, kind); }
};

struct Graph {
  std::vector<std::unique_ptr<Graph_node>> nodes;
};

struct Graph_exec {
  const Graph* source;
  std::vector<std::unique_ptr<Graph_node>> nodes;
};

/** The capture this thread has begun, if any. */
struct Capture {
  hipStream_t stream{};
  Graph* graph = nullptr;
  Graph_node* last = nullptr;
  const char* refused = nullptr;  // the call that invalidated it
};
inline thread_local Capture capture;

inline bool capturing(hipStream_t stream) { return capture.graph && capture.stream == stream; }

inline void add_node(std::unique_ptr<Graph_node> node) {
  node->index = capture.graph->nodes.size();
  capture.last = node.get();
  capture.graph->nodes.push_back(std::move(node));
}

/** A call a GPU refuses while this thread captures: one line, and the capture is invalidated. */
inline bool refused_in_capture(const char* call) {
  if (!capture.graph) return false;
  if (!capture.refused) {
    capture.refused = call;
    std::fprintf(stderr, "snnc emulated CUDA: %s while a stream is being captured into a graph (a GPU refuses it and invalidates the capture)\n", call);
    std::fflush(stderr);
  }
  return true;
}

template <typename... P, typename... A>
inline void launch_kernel(const char* name, void (*fn)(P...), dim3 grid, dim3 block, hipStream_t stream, A&&... a) {
  std::tuple<std::decay_t<P>...> args(std::forward<A>(a)...);
  if (capturing(stream)) {
    add_node(std::make_unique<Kernel_node<P...>>(name, grid, block, fn, std::move(args)));
    return;
  }
  launch(name, grid, block, stream, [fn, args = std::move(args)]() { std::apply(fn, args); });
}

}  // namespace snnc_emu

#define SNNC_LAUNCH(kernel, grid, block, stream, ...) \
  ::snnc_emu::launch_kernel(#kernel, &kernel, dim3(grid), dim3(block), (stream), __VA_ARGS__)

using cudaGraph_t = snnc_emu::Graph*;
using cudaGraphExec_t = snnc_emu::Graph_exec*;
using cudaGraphNode_t = snnc_emu::Graph_node*;

inline cudaError_t cudaStreamBeginCapture(cudaStream_t stream, cudaStreamCaptureMode /*mode*/) {
  if (snnc_emu::capture.graph) return hipErrorInvalidValue;  // one capture at a time on a thread
  snnc_emu::capture = snnc_emu::Capture{stream, new snnc_emu::Graph, nullptr, nullptr};
  return hipSuccess;
}

inline cudaError_t cudaStreamEndCapture(cudaStream_t stream, cudaGraph_t* graph) {
  if (!snnc_emu::capturing(stream)) return hipErrorInvalidValue;
  snnc_emu::Capture ended = snnc_emu::capture;
  snnc_emu::capture = snnc_emu::Capture{};
  if (ended.refused) {
    delete ended.graph;
    *graph = nullptr;
    return hipErrorNotSupported;  // CUDA: cudaErrorStreamCaptureInvalidated
  }
  *graph = ended.graph;
  return hipSuccess;
}

inline cudaError_t cudaStreamGetCaptureInfo(cudaStream_t stream, cudaStreamCaptureStatus* status, unsigned long long* id = nullptr,
                                            cudaGraph_t* graph = nullptr, const cudaGraphNode_t** dependencies = nullptr,
                                            const cudaGraphEdgeData** edges = nullptr, std::size_t* count = nullptr) {
  const bool active = snnc_emu::capturing(stream);
  if (status) *status = !active ? cudaStreamCaptureStatusNone : snnc_emu::capture.refused ? cudaStreamCaptureStatusInvalidated : cudaStreamCaptureStatusActive;
  if (id) *id = active ? reinterpret_cast<std::uintptr_t>(snnc_emu::capture.graph) : 0;
  if (graph) *graph = active ? snnc_emu::capture.graph : nullptr;
  if (dependencies) *dependencies = active && snnc_emu::capture.last ? &snnc_emu::capture.last : nullptr;
  if (edges) *edges = nullptr;
  if (count) *count = active && snnc_emu::capture.last ? 1 : 0;
  return hipSuccess;
}

inline cudaError_t cudaGraphInstantiate(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long /*flags*/ = 0) {
  if (!exec || !graph) return hipErrorInvalidValue;
  auto* e = new snnc_emu::Graph_exec{graph, {}};
  for (const auto& node : graph->nodes) {
    e->nodes.push_back(node->clone());
    e->nodes.back()->index = node->index;
  }
  *exec = e;
  return hipSuccess;
}

inline cudaError_t cudaGraphKernelNodeGetParams(cudaGraphNode_t node, cudaKernelNodeParams* params) {
  return node && params && node->kernel_params(params) ? hipSuccess : hipErrorInvalidValue;
}

/** Sets the arguments (and launch shape) of the instantiated copy of a node of the graph `exec` was made from. */
inline cudaError_t cudaGraphExecKernelNodeSetParams(cudaGraphExec_t exec, cudaGraphNode_t node, const cudaKernelNodeParams* params) {
  if (!exec || !node || !params || node->index >= exec->nodes.size() || exec->source->nodes[node->index].get() != node) return hipErrorInvalidValue;
  return exec->nodes[node->index]->set_kernel_params(*params) ? hipSuccess : hipErrorInvalidValue;
}

inline cudaError_t cudaGraphLaunch(cudaGraphExec_t exec, cudaStream_t stream) {
  if (!exec) return hipErrorInvalidValue;
  if (snnc_emu::refused_in_capture("cudaGraphLaunch")) return hipErrorNotSupported;  // no child graphs here
  for (const auto& node : exec->nodes) node->enqueue(stream);
  return hipGetLastError();
}

inline cudaError_t cudaGraphExecDestroy(cudaGraphExec_t exec) {
  delete exec;
  return hipSuccess;
}

inline cudaError_t cudaGraphDestroy(cudaGraph_t graph) {
  delete graph;
  return hipSuccess;
}

// ---- Host calls a capture records (on its stream) or refuses (any call that waits or allocates) ----
inline cudaError_t cudaMemsetAsync(void* dst, int value, std::size_t bytes, cudaStream_t stream = {}) {
  if (snnc_emu::capturing(stream)) {
    snnc_emu::add_node(std::make_unique<snnc_emu::Memset_node>(dst, value, bytes));
    return hipSuccess;
  }
  return hipMemsetAsync(dst, value, bytes, stream);
}

inline cudaError_t cudaMemcpyAsync(void* dst, const void* src, std::size_t bytes, hipMemcpyKind kind, cudaStream_t stream = {}) {
  if (snnc_emu::capturing(stream)) {
    snnc_emu::add_node(std::make_unique<snnc_emu::Memcpy_node>(dst, src, bytes, kind));
    return hipSuccess;
  }
  return hipMemcpyAsync(dst, src, bytes, kind, stream);
}

inline cudaError_t cudaStreamSynchronize(cudaStream_t stream) {
  if (snnc_emu::refused_in_capture("cudaStreamSynchronize")) return hipErrorNotSupported;
  return hipStreamSynchronize(stream);
}

/** CUDA counts an event that was never recorded as complete; HIP-CPU calls it an invalid handle
 *  (the overlapped upload waits on each pinned buffer's event before its first use). */
inline cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  if (snnc_emu::refused_in_capture("cudaEventSynchronize")) return hipErrorNotSupported;
  if (event && !is_done(*event).valid()) return hipSuccess;
  return hipEventSynchronize(event);
}

// Event nodes are not emulated: the step graph records no event (its timing marks are off while it
// captures), so one recorded or waited on in a capture is refused rather than run out of order.
inline cudaError_t cudaEventRecord(cudaEvent_t event, cudaStream_t stream = {}) {
  if (snnc_emu::refused_in_capture("cudaEventRecord (event nodes are not emulated)")) return hipErrorNotSupported;
  return hipEventRecord(event, stream);
}

inline cudaError_t cudaStreamWaitEvent(cudaStream_t stream, cudaEvent_t event, unsigned int flags) {
  if (snnc_emu::refused_in_capture("cudaStreamWaitEvent (event nodes are not emulated)")) return hipErrorNotSupported;
  return hipStreamWaitEvent(stream, event, flags);
}

inline cudaError_t cudaMalloc(void** ptr, std::size_t bytes) {
  if (snnc_emu::refused_in_capture("cudaMalloc")) return hipErrorNotSupported;
  const hipError_t e = hipMalloc(ptr, bytes);
#if defined(SNNC_RACECHECK)
  if (e == hipSuccess) snnc_emu::race::register_global(*ptr, bytes);
#endif
  return e;
}
template <typename T>
inline cudaError_t cudaMalloc(T** ptr, std::size_t bytes) {
  return cudaMalloc(reinterpret_cast<void**>(ptr), bytes);
}

inline cudaError_t cudaFree(void* ptr) {
  if (snnc_emu::refused_in_capture("cudaFree")) return hipErrorNotSupported;
#if defined(SNNC_RACECHECK)
  // No kernel may still be checking accesses to the buffer when its records go.
  if (ptr) (void)hipDeviceSynchronize(), snnc_emu::race::forget_global(ptr);
#endif
  return hipFree(ptr);
}

inline cudaError_t cudaMallocHost(void** ptr, std::size_t bytes) {
  if (snnc_emu::refused_in_capture("cudaMallocHost")) return hipErrorNotSupported;
  return hipHostMalloc(ptr, bytes);
}
template <typename T>
inline cudaError_t cudaMallocHost(T** ptr, std::size_t bytes) {
  return cudaMallocHost(reinterpret_cast<void**>(ptr), bytes);
}

inline cudaError_t cudaFreeHost(void* ptr) {
  if (snnc_emu::refused_in_capture("cudaFreeHost")) return hipErrorNotSupported;
  return hipHostFree(ptr);
}

/** CUDA takes the symbol itself; HIP-CPU's overload for that is marked non-portable. A synchronous
 *  copy on the legacy stream: refused during a capture. */
template <typename T>
inline cudaError_t cudaMemcpyToSymbol(T& symbol, const void* src, std::size_t bytes, std::size_t offset = 0) {
  if (snnc_emu::refused_in_capture("cudaMemcpyToSymbol")) return hipErrorNotSupported;
  return hipMemcpyToSymbol(reinterpret_cast<void*>(&symbol), src, bytes, offset, hipMemcpyHostToDevice);
}
