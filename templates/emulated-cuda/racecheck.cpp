// racecheck.cpp of snnc's emulated CUDA build, `racecheck` variant only: the registry of checked
// memory, the race check (racecheck.h says what it sees), and the functions g++'s
// -fsanitize=thread calls from kernels.cu. This file is compiled without it; no ThreadSanitizer
// runtime is linked, so the atomic hooks do the operation themselves (sequentially consistent,
// whatever was asked).
#include "racecheck.h"

#include <tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

namespace snnc_emu::race {
namespace {

// One block at a time: the blocks of a launch would otherwise run on several OS threads at once,
// and the check's own records of a word shared between blocks would race. Everything here lives
// until the process ends (never destroyed): HIP-CPU's threads may still run kernels during exit.
const auto* one_thread = new tbb::global_control(tbb::global_control::max_allowed_parallelism, 1);

/** One access of a word: by which thread of which block (its index + 1; 0: none) of which launch,
 *  after how many of that thread's block and warp barriers. */
struct Access {
  std::uint32_t block = 0;
  std::uint32_t launch = 0;
  std::uint32_t block_syncs = 0;
  std::uint32_t warp_syncs = 0;
  std::uint16_t thread = 0;
  bool atomic = false;
};

struct Word {
  Access write;
  Access read[2];  // the last two threads that read it, the newest first
};

/** A checked range: a __shared__ variable (its address is fixed per OS thread: HIP-CPU's
 *  __shared__ is thread_local) or a device buffer. */
struct Memory {
  const char* name;  // the variable, or null for a device buffer
  std::uintptr_t begin, end;
  std::unique_ptr<Word[]> words;
  const Memory* guards = nullptr;  // set on the two guards around a __shared__ variable: the variable
};

/** The block now running (one at a time) and its thread and barrier counts. */
struct Current {
  const char* kernel = "";
  std::uint32_t launch = 0, block = 0;  // the block's index + 1
  unsigned (*self)() = nullptr;
  const unsigned* block_syncs = nullptr;
  const unsigned* warp_syncs = nullptr;
} current;

std::atomic<std::uint32_t> launches{0};
int threads_in_kernel = 0;  // of the block now running: entered and not yet returned

// The checked ranges, sorted by address. Read on the thread that runs kernels while the host thread
// may allocate (a growing active set), so a change publishes a new list and keeps the old ones.
std::mutex& registry_mutex = *new std::mutex;
std::atomic<const std::vector<Memory*>*> registry{nullptr};

void publish(std::vector<Memory*> list) {
  std::sort(list.begin(), list.end(), [](const Memory* a, const Memory* b) { return a->begin < b->begin; });
  registry.store(new std::vector<Memory*>(std::move(list)), std::memory_order_release);  // the old one kept
}

std::vector<Memory*> listed() {
  const auto* now = registry.load(std::memory_order_acquire);
  return now ? *now : std::vector<Memory*>{};
}

Memory* find(std::uintptr_t a) {
  const auto* list = registry.load(std::memory_order_acquire);
  if (!list || list->empty()) return nullptr;
  auto it = std::upper_bound(list->begin(), list->end(), a, [](std::uintptr_t x, const Memory* m) { return x < m->begin; });
  if (it == list->begin()) return nullptr;
  Memory* m = *(it - 1);
  return a < m->end ? m : nullptr;
}

Memory* add(const char* name, const void* p, std::size_t size) {
  auto* m = new Memory{name, reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{3}, 0, nullptr};
  m->end = (reinterpret_cast<std::uintptr_t>(p) + size + 3) & ~std::uintptr_t{3};
  m->words.reset(new Word[(m->end - m->begin) / 4]());
  return m;
}

/** A guard beside __shared__ variable `v`: [begin, end), rounded inwards to whole words. */
Memory* guard(const Memory* v, std::uintptr_t begin, std::uintptr_t end) {
  return new Memory{v->name, (begin + 3) & ~std::uintptr_t{3}, end & ~std::uintptr_t{3}, nullptr, v};
}

/** Memcheck's check for __shared__ memory: an access to a guard is outside its variable. */
[[noreturn]] void out_of_bounds(const Memory& g, std::uintptr_t a, std::size_t size, bool write, unsigned me) {
  const Memory& v = *g.guards;
  std::fprintf(stderr,
               "snnc emulated CUDA racecheck: kernel %s, block %u: thread %u %s %zu bytes at offset %lld of __shared__ %s, "
               "which has %zu bytes: out of its bounds (on a GPU another variable's data, or an error)\n",
               current.kernel, current.block - 1, me, write ? "writes" : "reads", size,
               static_cast<long long>(a) - static_cast<long long>(v.begin), v.name, static_cast<std::size_t>(v.end - v.begin));
  std::fflush(stderr);
  std::abort();
}

/** Whether `earlier` is ordered before an access by the current thread now, in `m`. */
bool ordered(const Memory& m, const Access& earlier, unsigned me, std::uint32_t block_syncs, std::uint32_t warp_syncs) {
  if (earlier.block == 0 || earlier.launch != current.launch) return true;  // none, or an earlier launch
  if (earlier.block != current.block) return m.name != nullptr;  // shared memory is each block's own
  if (earlier.thread == me || earlier.block_syncs != block_syncs) return true;  // counts only grow
  return earlier.thread / 32 == me / 32 && earlier.warp_syncs != warp_syncs;
}

[[noreturn]] void report(const Memory& m, std::uintptr_t word, bool write, const Access& other, bool other_write, unsigned me) {
  char what[96];
  if (m.name)
    std::snprintf(what, sizeof what, "__shared__ %s, bytes %zu-%zu", m.name, static_cast<std::size_t>(word - m.begin),
                  static_cast<std::size_t>(word - m.begin + 3));
  else
    std::snprintf(what, sizeof what, "bytes %zu-%zu of a %zu-byte device buffer", static_cast<std::size_t>(word - m.begin),
                  static_cast<std::size_t>(word - m.begin + 3), static_cast<std::size_t>(m.end - m.begin));
  char by[64];
  if (other.block == current.block)
    std::snprintf(by, sizeof by, "thread %u", static_cast<unsigned>(other.thread));
  else
    std::snprintf(by, sizeof by, "thread %u of block %u", static_cast<unsigned>(other.thread), static_cast<unsigned>(other.block - 1));
  std::fprintf(stderr,
               "snnc emulated CUDA racecheck: kernel %s, block %u: %s: thread %u %s it where %s %s it, with no barrier "
               "between them (a race on a GPU: __syncthreads, or __syncwarp within a warp, orders a block's threads; "
               "nothing but atomics orders two blocks)\n",
               current.kernel, current.block - 1, what, me, write ? "writes" : "reads", by, other_write ? "wrote" : "read");
  std::fflush(stderr);
  std::abort();
}

void check_word(Memory& m, std::uintptr_t word, bool write, bool atomic) {
  const unsigned me = current.self();
  const std::uint32_t bs = current.block_syncs[me], ws = current.warp_syncs[me];
  Word& w = m.words[(word - m.begin) / 4];
  const auto conflicts = [&](const Access& a) { return !(atomic && a.atomic) && !ordered(m, a, me, bs, ws); };
  if (conflicts(w.write)) report(m, word, write, w.write, true, me);
  const Access mine{current.block, current.launch, bs, ws, static_cast<std::uint16_t>(me), atomic};
  if (write) {
    for (const Access& r : w.read)
      if (conflicts(r)) report(m, word, true, r, false, me);
    w.write = mine;
  } else {
    // This thread and the newest other reader: a later write by a third thread conflicts with one of
    // them whenever either is unordered with it.
    const Access& newest = w.read[0];
    if (!(newest.block == mine.block && newest.launch == mine.launch && newest.thread == mine.thread)) w.read[1] = newest;
    w.read[0] = mine;
  }
}

}  // namespace

std::uint32_t next_launch() { return ++launches; }

void begin_block(const char* kernel, std::uint32_t launch, unsigned block, unsigned (*self)(), const unsigned* block_syncs,
                 const unsigned* warp_syncs) {
  current = Current{kernel, launch, block + 1, self, block_syncs, warp_syncs};
}

void thread_entered() { ++threads_in_kernel; }
void thread_left() { --threads_in_kernel; }

void register_shared(const char* name, const void* p, std::size_t size, const void* guarded, std::size_t guarded_size) {
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  if (Memory* m = find(a); m && m->name) return;  // another thread of a block passed here first
  const std::lock_guard<std::mutex> lock(registry_mutex);
  auto list = listed();
  Memory* v = add(name, p, size);
  const auto outer = reinterpret_cast<std::uintptr_t>(guarded);
  list.push_back(v);
  list.push_back(guard(v, outer, v->begin));
  list.push_back(guard(v, v->end, outer + guarded_size));
  publish(std::move(list));
}

void register_global(const void* p, std::size_t size) {
  if (!p || size == 0) return;
  const std::lock_guard<std::mutex> lock(registry_mutex);
  auto list = listed();
  list.push_back(add(nullptr, p, size));
  publish(std::move(list));
}

void forget_global(const void* p) {
  const std::lock_guard<std::mutex> lock(registry_mutex);
  auto list = listed();
  const auto a = reinterpret_cast<std::uintptr_t>(p) & ~std::uintptr_t{3};
  list.erase(std::remove_if(list.begin(), list.end(), [&](const Memory* m) { return !m->name && m->begin == a; }), list.end());
  publish(std::move(list));  // the Memory itself is kept: an older list may still point at it
}

/** Checks and records one access of [p, p + size) by the thread now running. */
void access(const void* p, std::size_t size, bool write, bool atomic) {
  if (threads_in_kernel == 0 || size == 0) return;
  const auto a = reinterpret_cast<std::uintptr_t>(p);
  Memory* m = find(a);
  if (!m) return;
  for (std::uintptr_t word = a & ~std::uintptr_t{3}; word < a + size; word += 4) {
    if (word >= m->end && !(m = find(word))) return;
    if (m->guards) out_of_bounds(*m, a, size, write, current.self());
    check_word(*m, word, write, atomic);
  }
}

}  // namespace snnc_emu::race

// ---- The functions -fsanitize=thread calls (ThreadSanitizer's interface, as GCC emits it) ----
using snnc_emu::race::access;

extern "C" {
void __tsan_init() {}
void __tsan_func_entry(void*) {}
void __tsan_func_exit() {}
void __tsan_vptr_update(void**, void*) {}
void __tsan_vptr_read(void**) {}
void __tsan_read_range(void* p, unsigned long size) { access(p, size, false, false); }
void __tsan_write_range(void* p, unsigned long size) { access(p, size, true, false); }

#define SNNC_PLAIN(n)                                                     \
  void __tsan_read##n(void* p) { access(p, n, false, false); }           \
  void __tsan_write##n(void* p) { access(p, n, true, false); }           \
  void __tsan_unaligned_read##n(void* p) { access(p, n, false, false); } \
  void __tsan_unaligned_write##n(void* p) { access(p, n, true, false); } \
  void __tsan_volatile_read##n(void* p) { access(p, n, false, false); }  \
  void __tsan_volatile_write##n(void* p) { access(p, n, true, false); }
SNNC_PLAIN(1)
SNNC_PLAIN(2)
SNNC_PLAIN(4)
SNNC_PLAIN(8)
SNNC_PLAIN(16)
#undef SNNC_PLAIN

void __tsan_atomic_thread_fence(int) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }
void __tsan_atomic_signal_fence(int) { __atomic_signal_fence(__ATOMIC_SEQ_CST); }

#define SNNC_RMW(bits, type, op)                                    \
  type __tsan_atomic##bits##_##op(volatile type* a, type v, int) { \
    access(const_cast<type*>(a), sizeof(type), true, true);        \
    return __atomic_##op(a, v, __ATOMIC_SEQ_CST);                  \
  }
#define SNNC_ATOMICS(bits, type)                                                                   \
  type __tsan_atomic##bits##_load(const volatile type* a, int) {                                   \
    access(const_cast<type*>(a), sizeof(type), false, true);                                       \
    return __atomic_load_n(a, __ATOMIC_SEQ_CST);                                                   \
  }                                                                                                \
  void __tsan_atomic##bits##_store(volatile type* a, type v, int) {                                \
    access(const_cast<type*>(a), sizeof(type), true, true);                                        \
    __atomic_store_n(a, v, __ATOMIC_SEQ_CST);                                                      \
  }                                                                                                \
  type __tsan_atomic##bits##_exchange(volatile type* a, type v, int) {                             \
    access(const_cast<type*>(a), sizeof(type), true, true);                                        \
    return __atomic_exchange_n(a, v, __ATOMIC_SEQ_CST);                                            \
  }                                                                                                \
  SNNC_RMW(bits, type, fetch_add)                                                                  \
  SNNC_RMW(bits, type, fetch_sub)                                                                  \
  SNNC_RMW(bits, type, fetch_and)                                                                  \
  SNNC_RMW(bits, type, fetch_or)                                                                   \
  SNNC_RMW(bits, type, fetch_xor)                                                                  \
  SNNC_RMW(bits, type, fetch_nand)                                                                 \
  int __tsan_atomic##bits##_compare_exchange_strong(volatile type* a, type* c, type v, int, int) { \
    access(const_cast<type*>(a), sizeof(type), true, true);                                        \
    return __atomic_compare_exchange_n(a, c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);        \
  }                                                                                                \
  int __tsan_atomic##bits##_compare_exchange_weak(volatile type* a, type* c, type v, int, int) {   \
    access(const_cast<type*>(a), sizeof(type), true, true);                                        \
    return __atomic_compare_exchange_n(a, c, v, true, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);         \
  }                                                                                                \
  type __tsan_atomic##bits##_compare_exchange_val(volatile type* a, type c, type v, int, int) {    \
    access(const_cast<type*>(a), sizeof(type), true, true);                                        \
    __atomic_compare_exchange_n(a, &c, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);              \
    return c;                                                                                      \
  }
SNNC_ATOMICS(8, char)
SNNC_ATOMICS(16, short)
SNNC_ATOMICS(32, int)
SNNC_ATOMICS(64, long)
#undef SNNC_ATOMICS
#undef SNNC_RMW
}
