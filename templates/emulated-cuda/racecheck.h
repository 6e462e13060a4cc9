// racecheck.h of snnc's emulated CUDA build, in its `racecheck` variant only (a test build,
// compiler/backends/emulated-cuda/racecheck.ts): a race detector for the CUDA kernels, on the CPU.
//
// HIP-CPU runs a block's threads one after another between barriers, so a kernel that reads what
// another thread writes without a barrier between them still gives the right answer here and a
// wrong one, now and then, on a GPU. This build makes such a pair of accesses an error.
// kernels.cu is compiled with g++'s -fsanitize=thread, which only calls __tsan_read4(p),
// __tsan_write8(p), … before every memory access; those functions are snnc's own (racecheck.cpp:
// no ThreadSanitizer runtime is linked). Two kinds of memory are checked:
// - __shared__ variables: in this build each declaration of kernels.cu puts the variable between two
//   guards of 64 bytes in one struct and registers it (SNNC_RACECHECK_SHARED(name)); an access to a
//   guard stops the process as out of the variable's bounds (memcheck's check for shared memory);
// - device memory: every cudaMalloc'd buffer (cuda_runtime.h registers them), which also holds the
//   per-block scratch some kernels use as shared memory (the conv layers' adjoints).
// Any other address (the stack, HIP-CPU's own state) is let through after a look-up.
//
// For every 4-byte word of those the last write and the last two readers are kept: which block
// and thread of which launch, after how many block barriers (__syncthreads) and warp barriers
// (__syncwarp) of that thread (the ledger's counts, cuda_runtime.h), and whether it was atomic.
// Two accesses of one word in one launch, at least one a write and not both atomic, race when
// - they come from different blocks (device memory; __shared__ memory is each block's own), or
// - from different threads of one block with no block barrier between them, nor a warp barrier
//   when both threads are in one warp.
// The first race stops the process with one line naming the kernel, the block, the memory and the
// threads. Shuffles and ballots do not order memory (CUDA's memory model), so they are not barriers
// here; launches on the stream are ordered. Blocks run one at a time (racecheck.cpp limits TBB to
// one thread), so the check itself is sequential and each run finds the same first race.
//
// Not seen: accesses made by library calls (memcpy, memset) rather than by kernel code, and two
// lanes that touch different bytes of one word count as touching the same word.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snnc_emu::race {

/** Registers a __shared__ variable [p, p + size) and the guards around it in [guarded, guarded +
 *  guarded_size) (every thread passes its declaration; the first adds it). */
void register_shared(const char* name, const void* p, std::size_t size, const void* guarded, std::size_t guarded_size);

/** A device buffer allocated, or freed (cuda_runtime.h synchronises the device first). */
void register_global(const void* p, std::size_t size);
void forget_global(const void* p);

/** A new launch of `kernel`, numbered as it is enqueued (launches on a stream run in that order). */
std::uint32_t next_launch();

/** A block of launch `launch` starts (its thread 0 entering the kernel): the thread and barrier
 *  counts come from the ledger (cuda_runtime.h) through `self` and the two arrays. */
void begin_block(const char* kernel, std::uint32_t launch, unsigned block, unsigned (*self)(), const unsigned* block_syncs,
                 const unsigned* warp_syncs);

/** A thread of the block enters or leaves the kernel. Accesses while none is in it (HIP-CPU's
 *  copies and memsets, run by the same OS thread between launches) are not a kernel's. */
void thread_entered();
void thread_left();

}  // namespace snnc_emu::race

#define SNNC_RACECHECK_SHARED(name) \
  ::snnc_emu::race::register_shared(#name, &(name), sizeof(name), &(name##_guarded), sizeof(name##_guarded))
