# KILN_CPU_KLEIDIAI: on aarch64, let the CPU backend call Arm KleidiAI's own
# micro-kernels for the schemes they cover, found as an installed CMake package
# (find_package(KleidiAI CONFIG) -> KleidiAI::kleidiai). Default OFF: Kiln's own
# kernels are the default and the tested path.
#
# Not implemented yet (TODO(#8)): KleidiAI's kernels need their own packed LHS and RHS
# layouts, and their float epilogue is in a different order from numerics.md's, so an
# adapter is more than a kernel table entry. docs/cpu-aarch64.md says what is missing.
# Until then the option detects the package and stops with that reason, so that no
# build silently runs without what it asked for.

option(KILN_CPU_KLEIDIAI "aarch64: run KleidiAI's micro-kernels where they cover a scheme" OFF)

if(KILN_CPU_KLEIDIAI)
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^aarch64$")
    message(FATAL_ERROR "KILN_CPU_KLEIDIAI=ON needs an aarch64 target, "
                        "got ${CMAKE_SYSTEM_PROCESSOR}")
  endif()
  find_package(KleidiAI CONFIG)
  if(NOT KleidiAI_FOUND)
    message(FATAL_ERROR "KILN_CPU_KLEIDIAI=ON: KleidiAI's CMake package was not found; "
                        "install KleidiAI (cmake --install) and pass "
                        "-DKleidiAI_DIR=<prefix>/lib/cmake/KleidiAI")
  endif()
  message(FATAL_ERROR "KILN_CPU_KLEIDIAI=ON: found KleidiAI ${KleidiAI_VERSION} in "
                      "${KleidiAI_DIR}, but the adapter to its micro-kernels is not "
                      "implemented yet (TODO(#8); docs/cpu-aarch64.md lists what is missing)")
endif()
