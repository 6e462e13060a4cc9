// cuda_runtime.h of snnc's emulated CUDA build: the CUDA names that snnc's kernels.cu uses, mapped
// onto HIP-CPU (AMD's header-only HIP on the CPU, patched for 32-lane warps; see
// shared/third_party/README.md). The same kernels.cu that nvcc builds is compiled by g++ against
// this header and run on the CPU, so the CUDA kernels' arithmetic, indexing, warp intrinsics and
// barriers are checked without a GPU. It cannot see races, fences, bounds or resource limits (the
// GPU check's compute-sanitizer runs do), and it has no CUDA graphs (a --step-graph build is
// refused before it gets here).
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
#include <tuple>
#include <thread>
#include <utility>

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
#define cudaMalloc hipMalloc
#define cudaFree hipFree
#define cudaMallocHost hipHostMalloc
#define cudaFreeHost hipHostFree
#define cudaMemcpyAsync hipMemcpyAsync
#define cudaMemsetAsync hipMemsetAsync
#define cudaStreamCreateWithFlags hipStreamCreateWithFlags
#define cudaStreamDestroy hipStreamDestroy
#define cudaStreamSynchronize hipStreamSynchronize
#define cudaStreamWaitEvent hipStreamWaitEvent
#define cudaEventCreate hipEventCreate
#define cudaEventCreateWithFlags hipEventCreateWithFlags
#define cudaEventDestroy hipEventDestroy
#define cudaEventRecord hipEventRecord
#define cudaEventElapsedTime hipEventElapsedTime

/** CUDA counts an event that was never recorded as complete; HIP-CPU calls it an invalid handle
 *  (the overlapped upload waits on each pinned buffer's event before its first use). */
inline cudaError_t cudaEventSynchronize(cudaEvent_t event) {
  if (event && !is_done(*event).valid()) return hipSuccess;
  return hipEventSynchronize(event);
}

/** CUDA takes the symbol itself; HIP-CPU's overload for that is marked non-portable. */
template <typename T>
inline cudaError_t cudaMemcpyToSymbol(T& symbol, const void* src, std::size_t bytes, std::size_t offset = 0) {
  return hipMemcpyToSymbol(reinterpret_cast<void*>(&symbol), src, bytes, offset, hipMemcpyHostToDevice);
}

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
inline void enter(const char* kernel) {
  const unsigned i = self();
  if (i == 0) {
    ledger.kernel = kernel;
    const unsigned n = blockDim.x * blockDim.y * blockDim.z;
    for (unsigned k = 0; k < n; ++k) {
      ledger.block_syncs[k] = 0;
      ledger.warp_ops[k] = 0;
      ledger.returned[k] = false;
    }
  } else if (ledger.returned[i]) {
    // A fiber that had returned was handed control again: some other thread skipped a barrier.
    desynchronised("started the kernel again after returning", i, 0);
  }
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
  ledger.returned[i] = true;
  compare_block(i, "returned");
  compare_warp(i, "returned");
}

/** One thread's run of a kernel, from the launch (SNNC_LAUNCH below). */
struct Thread_run {
  explicit Thread_run(const char* kernel) { enter(kernel); }
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
#define __syncwarp(...) (::snnc_emu::warp_op(), ::hip::detail::Tile::this_tile().warp_barrier())

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
  ::hip::detail::launch(grid, block, 0u, stream,
                        [kernel, call = std::move(call)]() noexcept {
                          const Thread_run run(kernel);
                          call();
                        },
                        std::make_tuple());
}
}  // namespace snnc_emu

#define SNNC_LAUNCH(kernel, grid, block, stream, ...) \
  ::snnc_emu::launch(#kernel, dim3(grid), dim3(block), (stream), [=]() { kernel(__VA_ARGS__); })
