// The MPI binding of snnc: the few MPI calls data-parallel training needs (runtime/mpi/), over the
// host's MPI. Loaded only when the process runs under an MPI launcher, so a user without MPI never
// builds or loads it.
//
// Every collective is non-blocking and waited for with a deadline: a rank that died or hung would
// otherwise leave the others blocked for ever. When the deadline passes, rank 0 names the ranks that
// never arrived (each waiting rank tells rank 0 it is there once it has waited half the deadline)
// and the call throws one sentence; the process then exits and the launcher ends the job.
// The C API only: MPI's deprecated C++ bindings would need libmpi_cxx at load time.
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#if defined(OPEN_MPI) && OPEN_MPI
#include <mpi-ext.h>  // MPIX_CUDA_AWARE_SUPPORT
#endif
#include <dlfcn.h>
#include <napi.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr int TAG_ARRIVED = 7301;  // "I am waiting in collective number k", to rank 0

bool g_ready = false;
int g_rank = 0;
int g_size = 1;
long long g_sequence = 0;  // collectives started so far: the same on every rank
long long g_arrived_buffers[64];  // send buffers of the arrival notes (a note is 8 bytes, sent once per late wait)
int g_arrived_next = 0;
MPI_Request g_barrier = MPI_REQUEST_NULL;

using Clock = std::chrono::steady_clock;

std::string ErrorString(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(code, text, &len);
  return std::string(text, static_cast<size_t>(len));
}

void Check(Napi::Env env, int code, const char* call) {
  if (code != MPI_SUCCESS) throw Napi::Error::New(env, std::string(call) + " failed: " + ErrorString(code));
}

void RequireReady(Napi::Env env) {
  if (!g_ready) throw Napi::Error::New(env, "MPI is not initialised (call init first)");
}

/** Open MPI loads its components (mca_*.so) with dlopen, and they expect libmpi's symbols to be
 *  global; Node loads this module, and with it libmpi, with local symbols. Reopening libmpi with
 *  RTLD_GLOBAL (no second copy: RTLD_NOLOAD) makes its symbols visible to the components. */
void PromoteLibmpi() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&MPI_Init_thread), &info) != 0 && info.dli_fname)
    dlopen(info.dli_fname, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD);
}

std::string RankList(const std::vector<int>& ranks) {
  std::string out;
  for (size_t k = 0; k < ranks.size(); ++k) {
    if (k) out += k + 1 == ranks.size() ? " and " : ", ";
    out += std::to_string(ranks[k]);
  }
  return out;
}

std::string Seconds(double ms) {
  const double s = ms / 1000.0;
  char text[32];
  std::snprintf(text, sizeof(text), s == static_cast<long long>(s) ? "%.0f" : "%.1f", s);
  return text;
}

/** Rank 0, at the deadline: which ranks never said they were waiting in collective `sequence`. */
std::vector<int> MissingRanks(long long sequence) {
  std::vector<bool> arrived(static_cast<size_t>(g_size), false);
  arrived[0] = true;
  for (;;) {
    int pending = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_ARRIVED, MPI_COMM_WORLD, &pending, &status) != MPI_SUCCESS || !pending) break;
    long long note = -1;
    MPI_Recv(&note, 1, MPI_LONG_LONG, status.MPI_SOURCE, TAG_ARRIVED, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (note == sequence) arrived[static_cast<size_t>(status.MPI_SOURCE)] = true;  // older notes: waits that ended well
  }
  std::vector<int> missing;
  for (int r = 0; r < g_size; ++r)
    if (!arrived[static_cast<size_t>(r)]) missing.push_back(r);
  return missing;
}

/** Waits for `request` until `timeout_ms` (0: no deadline); throws one sentence naming the
 *  missing ranks when it passes. Polls: spins briefly, then sleeps between tests so that a waiting
 *  rank leaves its core to the ranks still computing. */
void Wait(Napi::Env env, MPI_Request& request, double timeout_ms, const std::string& what) {
  const long long sequence = g_sequence;
  const auto start = Clock::now();
  bool told = false;
  // Rank 0 decides at the deadline; the others only if rank 0 has not ended the job a while later
  // (then rank 0 itself is the one missing). Rank 1 speaks first, so one rank says it.
  const double grace = std::max(2000.0, timeout_ms / 4);
  const double limit = g_rank == 0 ? timeout_ms : timeout_ms + grace * (g_rank == 1 ? 1 : 2);
  for (long polls = 0;; ++polls) {
    int done = 0;
    Check(env, MPI_Test(&request, &done, MPI_STATUS_IGNORE), "MPI_Test");
    if (done) return;
    if (timeout_ms <= 0) {
      if (polls > 2000) std::this_thread::sleep_for(std::chrono::microseconds(50));
      continue;
    }
    const double waited = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (g_rank != 0 && !told && waited >= timeout_ms / 2) {
      long long& note = g_arrived_buffers[g_arrived_next++ % 64];
      note = sequence;
      MPI_Request sent;
      if (MPI_Isend(&note, 1, MPI_LONG_LONG, 0, TAG_ARRIVED, MPI_COMM_WORLD, &sent) == MPI_SUCCESS) MPI_Request_free(&sent);
      told = true;
    }
    if (waited >= limit) {
      std::string who;
      if (g_rank == 0) {
        const std::vector<int> missing = MissingRanks(sequence);
        if (missing.empty())
          throw Napi::Error::New(env, what + " did not complete within " + Seconds(timeout_ms) + " s although all " + std::to_string(g_size) +
                                          " ranks reached it (the network between them failed?); stopping the job");
        who = std::string(missing.size() == 1 ? "rank " : "ranks ") + RankList(missing) + " of " + std::to_string(g_size);
      } else {
        who = "rank 0 of " + std::to_string(g_size);
      }
      throw Napi::Error::New(env, who + " did not reach " + what + " within " + Seconds(timeout_ms) +
                                      " s (died, hung or lost its connection); stopping the job");
    }
    if (polls > 2000) std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

MPI_Op OpOf(Napi::Env env, const std::string& op) {
  if (op == "sum") return MPI_SUM;
  if (op == "max") return MPI_MAX;
  throw Napi::Error::New(env, "unknown reduction " + op);
}

void Reduce(Napi::Env env, void* data, size_t count, MPI_Datatype type, const Napi::Value& op, const Napi::Value& timeout, const Napi::Value& what) {
  RequireReady(env);
  if (count > static_cast<size_t>(INT32_MAX)) throw Napi::RangeError::New(env, "more than 2^31 values in one reduction");
  MPI_Request request;
  ++g_sequence;
  Check(env, MPI_Iallreduce(MPI_IN_PLACE, data, static_cast<int>(count), type, OpOf(env, op.As<Napi::String>().Utf8Value()), MPI_COMM_WORLD, &request),
        "MPI_Iallreduce");
  Wait(env, request, timeout.As<Napi::Number>().DoubleValue(), what.As<Napi::String>().Utf8Value());
}

// init() → { rank, size, host, library, cudaAware }
Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!g_ready) {
    PromoteLibmpi();
    int initialised = 0;
    MPI_Initialized(&initialised);
    if (!initialised) {
      int provided = 0;
      // Only Node's main thread calls MPI.
      Check(env, MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    }
    // Errors come back as codes (thrown as sentences) instead of aborting the job without a word.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_ready = true;
  }
  char host[MPI_MAX_PROCESSOR_NAME];
  int host_len = 0;
  MPI_Get_processor_name(host, &host_len);
  char library[MPI_MAX_LIBRARY_VERSION_STRING];
  int library_len = 0;
  MPI_Get_library_version(library, &library_len);
  std::string version(library, static_cast<size_t>(library_len));
  version = version.substr(0, version.find_first_of("\n,"));
  bool cuda_aware = false;
#if defined(MPIX_CUDA_AWARE_SUPPORT) && MPIX_CUDA_AWARE_SUPPORT
  cuda_aware = MPIX_Query_cuda_support() == 1;
#endif
  Napi::Object out = Napi::Object::New(env);
  out.Set("rank", g_rank);
  out.Set("size", g_size);
  out.Set("host", std::string(host, static_cast<size_t>(host_len)));
  out.Set("library", version);
  out.Set("cudaAware", cuda_aware);
  return out;
}

// allreduce(array: Float32Array | Float64Array, op: "sum" | "max", timeoutMs, what): in place.
Napi::Value Allreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto array = info[0].As<Napi::TypedArray>();
  MPI_Datatype type;
  switch (array.TypedArrayType()) {
    case napi_float32_array: type = MPI_FLOAT; break;
    case napi_float64_array: type = MPI_DOUBLE; break;
    default: throw Napi::TypeError::New(env, "allreduce takes a Float32Array or a Float64Array");
  }
  auto* data = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  Reduce(env, data, array.ElementLength(), type, info[1], info[2], info[3]);
  return env.Undefined();
}

// broadcast(array: Float32Array | Float64Array, timeoutMs, what): rank 0's values on every rank.
Napi::Value Broadcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireReady(env);
  auto array = info[0].As<Napi::TypedArray>();
  auto* data = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  if (array.ByteLength() > static_cast<size_t>(INT32_MAX)) throw Napi::RangeError::New(env, "more than 2^31 bytes in one broadcast");
  MPI_Request request;
  ++g_sequence;
  Check(env, MPI_Ibcast(data, static_cast<int>(array.ByteLength()), MPI_BYTE, 0, MPI_COMM_WORLD, &request), "MPI_Ibcast");
  Wait(env, request, info[1].As<Napi::Number>().DoubleValue(), info[2].As<Napi::String>().Utf8Value());
  return env.Undefined();
}

// allreduceAt(address: bigint, count, op, timeoutMs, what): float32 values in place at an address
// the model handed out (its gradient arena: host memory, or device memory for a CUDA-aware MPI).
Napi::Value AllreduceAt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool lossless = false;
  const uint64_t address = info[0].As<Napi::BigInt>().Uint64Value(&lossless);
  if (!lossless || address == 0) throw Napi::TypeError::New(env, "allreduceAt takes a non-null address");
  const double count = info[1].As<Napi::Number>().DoubleValue();
  Reduce(env, reinterpret_cast<void*>(static_cast<uintptr_t>(address)), static_cast<size_t>(count), MPI_FLOAT, info[2], info[3], info[4]);
  return env.Undefined();
}

// startBarrier(): begins a barrier that testBarrier() polls, so the event loop keeps running (a
// rank waiting for rank 0's kernel build still sees Ctrl-C).
Napi::Value StartBarrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireReady(env);
  if (g_barrier != MPI_REQUEST_NULL) throw Napi::Error::New(env, "a barrier is already in progress");
  ++g_sequence;
  Check(env, MPI_Ibarrier(MPI_COMM_WORLD, &g_barrier), "MPI_Ibarrier");
  return env.Undefined();
}

// testBarrier() → whether every rank has reached the barrier.
Napi::Value TestBarrier(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (g_barrier == MPI_REQUEST_NULL) return Napi::Boolean::New(env, true);
  int done = 0;
  Check(env, MPI_Test(&g_barrier, &done, MPI_STATUS_IGNORE), "MPI_Test");
  return Napi::Boolean::New(env, done != 0);
}

// finalize(): the orderly end of a run (every rank calls it).
Napi::Value Finalize(const Napi::CallbackInfo& info) {
  if (g_ready) {
    int finalised = 0;
    MPI_Finalized(&finalised);
    if (!finalised) MPI_Finalize();
    g_ready = false;
  }
  return info.Env().Undefined();
}

Napi::Object Exports(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("allreduce", Napi::Function::New(env, Allreduce));
  exports.Set("allreduceAt", Napi::Function::New(env, AllreduceAt));
  exports.Set("broadcast", Napi::Function::New(env, Broadcast));
  exports.Set("startBarrier", Napi::Function::New(env, StartBarrier));
  exports.Set("testBarrier", Napi::Function::New(env, TestBarrier));
  exports.Set("finalize", Napi::Function::New(env, Finalize));
  return exports;
}

}  // namespace

NODE_API_MODULE(snnc_mpi, Exports)
