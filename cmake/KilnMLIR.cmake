# Finds Debian's MLIR/LLVM 22 and defines kiln_use_mlir(<target>), which gives a target
# MLIR's headers, definitions, flags and libraries. Targets that do not call it (vgf/,
# runtime/, support/) never see MLIR: the runtime must not depend on it.

# MLIRConfigVersion.cmake only accepts an exact version, so check the major by hand.
find_package(MLIR REQUIRED CONFIG)
if(NOT LLVM_VERSION_MAJOR EQUAL 22)
  message(FATAL_ERROR "Kiln needs MLIR/LLVM 22, found ${LLVM_PACKAGE_VERSION} in ${MLIR_DIR}; "
                      "pass -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir")
endif()
message(STATUS "Using MLIR ${LLVM_PACKAGE_VERSION} from ${MLIR_DIR}")
list(APPEND CMAKE_MODULE_PATH "${MLIR_CMAKE_DIR}" "${LLVM_CMAKE_DIR}")
include(DetermineGCCCompatible)
include(TableGen)
include(AddLLVM)
include(AddMLIR)

# Linking the single shared libMLIR.so is faster to link and gives tiny binaries
# (docs/building.md has the measurements); OFF links MLIR's static libraries.
option(KILN_LINK_MLIR_DYLIB "Link against Debian's shared libMLIR.so" ON)

separate_arguments(KILN_LLVM_DEFINITIONS NATIVE_COMMAND "${LLVM_DEFINITIONS}")

# Static MLIR libraries a Kiln binary needs when KILN_LINK_MLIR_DYLIB is OFF.
set(KILN_MLIR_STATIC_LIBS
  MLIRIR MLIRParser MLIRSupport MLIRPass MLIRTransforms MLIROptLib
  MLIRFuncDialect MLIRArithDialect MLIRTensorDialect MLIRLinalgDialect
  MLIRSPIRVDialect MLIRTosaDialect MLIRTosaTransforms MLIRQuantDialect
  MLIRFuncAllExtensions MLIRTensorAllExtensions MLIRLinalgTransforms)

function(kiln_use_mlir target)
  target_include_directories(${target} SYSTEM PUBLIC ${LLVM_INCLUDE_DIRS} ${MLIR_INCLUDE_DIRS})
  target_compile_definitions(${target} PUBLIC ${KILN_LLVM_DEFINITIONS})
  # LLVM is built without exceptions (LLVM_ENABLE_EH=OFF); compiler code follows it.
  llvm_update_compile_flags(${target})
  if(KILN_LINK_MLIR_DYLIB)
    target_link_libraries(${target} PUBLIC MLIR LLVM)
  else()
    target_link_libraries(${target} PUBLIC ${KILN_MLIR_STATIC_LIBS} LLVM)
  endif()
endfunction()
