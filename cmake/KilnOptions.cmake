# Build options shared by every Kiln target.

option(KILN_ENABLE_ASSERTIONS "Keep assert() in Release builds" ON)
set(KILN_SANITIZE "" CACHE STRING
  "Sanitizers to build with, a ;-list of address, undefined, thread (e.g. address;undefined)")
option(KILN_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang; docs/robustness.md)" OFF)
# OFF builds what needs neither MLIR nor Vulkan nor Python: support, vgf, the CPU
# backend and its GoogleTest suites. That is what cross-compiles (docs/cpu-aarch64.md).
option(KILN_BUILD_COMPILER
  "Build the compiler, the Vulkan runtime, the tools and Python (OFF: the CPU backend alone)" ON)

# Release with assertions on by default: a compiler that checks its invariants in the
# field reports a bug instead of silently producing wrong numbers.
if(KILN_ENABLE_ASSERTIONS)
  foreach(flags CMAKE_C_FLAGS_RELEASE CMAKE_CXX_FLAGS_RELEASE
                CMAKE_C_FLAGS_RELWITHDEBINFO CMAKE_CXX_FLAGS_RELWITHDEBINFO)
    string(REGEX REPLACE "(^| )-DNDEBUG($| )" " " ${flags} "${${flags}}")
  endforeach()
endif()

add_compile_options(-Wall -Wextra -Wno-unused-parameter)

# Numerics contract (docs/numerics.md): the canonical float sequences are unfused, so
# no backend may contract a*b+c into an FMA behind our back.
add_compile_options(-ffp-contract=off)

if(KILN_SANITIZE)
  set(_kiln_sanitizers "")
  foreach(s IN LISTS KILN_SANITIZE)
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "KILN_SANITIZE: unknown sanitizer '${s}' (expected address, undefined or thread)")
    endif()
    list(APPEND _kiln_sanitizers ${s})
  endforeach()
  list(JOIN _kiln_sanitizers "," _kiln_sanitize_flag)
  add_compile_options(-fsanitize=${_kiln_sanitize_flag} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_kiln_sanitize_flag})
endif()

# A fuzz build instruments every library for coverage (fuzzer-no-link) and checks it
# with ASan and UBSan; only the targets of kiln_add_fuzzer link libFuzzer's main.
if(KILN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "KILN_FUZZ needs clang for libFuzzer, got ${CMAKE_CXX_COMPILER_ID}; "
                        "configure with CC=clang CXX=clang++")
  endif()
  if(KILN_SANITIZE)
    message(FATAL_ERROR "KILN_FUZZ brings its own sanitizers (address;undefined): "
                        "leave KILN_SANITIZE empty")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
