# KILN_CPU_KLEIDIAI: on aarch64, let the CPU backend call Arm KleidiAI's own
# micro-kernels for the schemes they cover, found as an installed CMake package
# (find_package(KleidiAI CONFIG) -> KleidiAI::kleidiai). Default OFF: Kiln's own
# kernels are the default and the tested path. runtime/cpu/CMakeLists.txt adds the
# adapter (runtime/cpu/kleidiai/) when it is on; docs/cpu-aarch64.md §6 says which
# schemes go to KleidiAI and what their results promise. scripts/build-kleidiai.sh
# builds and installs KleidiAI from its sources.

option(KILN_CPU_KLEIDIAI "aarch64: run KleidiAI's micro-kernels where they cover a scheme" OFF)

if(KILN_CPU_KLEIDIAI)
  if(NOT CMAKE_SYSTEM_PROCESSOR MATCHES "^aarch64$")
    message(FATAL_ERROR "KILN_CPU_KLEIDIAI=ON needs an aarch64 target, "
                        "got ${CMAKE_SYSTEM_PROCESSOR}")
  endif()
  find_package(KleidiAI CONFIG)
  if(NOT KleidiAI_FOUND)
    message(FATAL_ERROR "KILN_CPU_KLEIDIAI=ON: KleidiAI's CMake package was not found; "
                        "install KleidiAI (cmake --install, or scripts/build-kleidiai.sh) "
                        "and pass -DKleidiAI_DIR=<prefix>/lib/cmake/KleidiAI")
  endif()
  message(STATUS "KILN_CPU_KLEIDIAI: KleidiAI ${KleidiAI_VERSION} from ${KleidiAI_DIR}")
endif()
