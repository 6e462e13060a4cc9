// hip_cpu_yield.h of snnc's emulated CUDA build: how HIP-CPU's threads wait, set before HIP-CPU is
// parsed (cuda_runtime.h includes this first; the precompiled HIP-CPU header of
// compiler/build/shared-pch.ts carries the same text).
//
// HIP-CPU's stream thread (runtime.hpp, Runtime::processor_) waits for work by spinning: rounds of
// 3 to 1031 `pause` instructions, checking its streams between rounds, for the life of the
// process. A process that had run one emulated kernel kept most of a core busy from then on (5.8 s
// of CPU in 8 s idle, measured 2026-12-06), which in the test suite slowed everything else on the
// machine. HIP-CPU waits through pause_or_yield(), which calls YieldProcessor() where that is
// defined: here every 32nd call of a wait sleeps instead of pausing, 50 µs while the thread was
// busy lately and 1 ms once it has waited for ~25 ms (a thread whose calls come more than 200 µs
// apart, not counting these sleeps, did other work in between and starts over). An idle process
// then takes a few percent of a core; a launch queued while the thread waits is picked up at the
// end of its round, within ~3 ms, or ~35 ms after a long idle spell.
#ifndef SNNC_HIP_CPU_YIELD_H
#define SNNC_HIP_CPU_YIELD_H

#include <chrono>
#include <thread>

namespace snnc_emulation {
inline void pause_or_sleep() noexcept {
  using Clock = std::chrono::steady_clock;
  static thread_local unsigned calls = 0;  // of this wait
  static thread_local Clock::time_point last{};
  const Clock::time_point now = Clock::now();
  if (now - last > std::chrono::microseconds(200)) calls = 0;
  if (++calls % 32 == 0) {
    std::this_thread::sleep_for(calls < 8192 ? std::chrono::microseconds(50) : std::chrono::microseconds(1000));
    last = Clock::now();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  std::this_thread::yield();
#endif
  last = now;
}
}  // namespace snnc_emulation

#define YieldProcessor() (::snnc_emulation::pause_or_sleep())

#endif
