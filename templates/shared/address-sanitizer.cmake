
# ---- AddressSanitizer (a test build: the `asan` build variant, compiler/backends/address-sanitizer.ts) ----
# Every buffer is its own allocation, so a kernel that reads or writes past one stops the run with a
# report naming the function and the buffer's size. Stack instrumentation off: the emulated CUDA
# build's HIP-CPU switches fiber stacks, which ASan would misread. The process that loads this addon
# must have libasan preloaded (LD_PRELOAD); nothing else can load it.
target_compile_options(${PROJECT_NAME} PRIVATE -fsanitize=address -fno-omit-frame-pointer --param=asan-stack=0)
target_link_options(${PROJECT_NAME} PRIVATE -fsanitize=address)
