
# ---- racecheck (a test build: the `racecheck` build variant, compiler/backends/emulated-cuda/racecheck.ts) ----
# kernels.cu with g++'s ThreadSanitizer instrumentation, which calls a hook before every memory
# access; the hooks are snnc's (emulated/racecheck.cpp, not instrumented) and check the __shared__
# variables kernels.cu registers. No ThreadSanitizer runtime is linked: the addon loads anywhere.
target_sources(${PROJECT_NAME} PRIVATE emulated/racecheck.cpp)
target_compile_definitions(${PROJECT_NAME} PRIVATE SNNC_RACECHECK)
set_property(SOURCE kernels.cu APPEND PROPERTY COMPILE_OPTIONS -fsanitize=thread --param=tsan-instrument-func-entry-exit=0)
