# Cross-compiles Kiln for aarch64 Linux with Debian's g++-aarch64-linux-gnu, and runs
# the target's binaries (ctest, GoogleTest's test discovery) under qemu-user.
# `-cpu max` emulates every feature qemu knows, dotprod and i8mm included, so each
# NEON tier runs; the sysroot is Debian's cross libc (docs/cpu-aarch64.md).
#
#   cmake -S . -B build-aarch64 -DKILN_BUILD_COMPILER=OFF \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(KILN_AARCH64_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${KILN_AARCH64_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${KILN_AARCH64_TRIPLE}-g++)

set(KILN_AARCH64_SYSROOT /usr/${KILN_AARCH64_TRIPLE})
set(CMAKE_FIND_ROOT_PATH ${KILN_AARCH64_SYSROOT})
# Programs (flatc) run on the host; libraries and headers must be the target's.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -cpu max -L ${KILN_AARCH64_SYSROOT})
