# The installed runtime pulls in no MLIR or LLVM library (DESIGN.md: an application
# that runs .vgf files needs the runtime alone), and libkiln.so.<major> exports only
# the kiln_* C API (docs/packaging.md, ABI policy).
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
set(libkiln ${PREFIX}/${LIBDIR}/libkiln.so.0)
set(failures)

foreach(binary ${libkiln} ${VULKAN_APP} ${C_APP})
  execute_process(COMMAND ldd ${binary} OUTPUT_VARIABLE libs RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR libs MATCHES "not found")
    list(APPEND failures "ldd ${binary} failed (${rc}):\n${libs}")
  endif()
  string(REGEX MATCHALL "lib(MLIR|LLVM)[^ ]*" mlir "${libs}")
  if(mlir)
    list(APPEND failures "${binary} loads ${mlir}")
  endif()
endforeach()

# The runtime's export set; KilnCompilerTargets*.cmake (Kiln::compiler) links MLIR by
# design and is loaded only for find_package(Kiln COMPONENTS compiler).
file(GLOB exported ${PREFIX}/${LIBDIR}/cmake/Kiln/KilnTargets*.cmake)
foreach(file IN LISTS exported)
  file(STRINGS ${file} mlir REGEX "^[^#]*(MLIR|LLVM)") # comments may name them
  if(mlir)
    list(APPEND failures "${file} mentions MLIR or LLVM: ${mlir}")
  endif()
endforeach()

execute_process(COMMAND ${READELF} -d ${libkiln} OUTPUT_VARIABLE dynamic)
if(NOT dynamic MATCHES "Library soname: \\[libkiln\\.so\\.0\\]")
  list(APPEND failures "${libkiln} has no SONAME libkiln.so.0:\n${dynamic}")
endif()

execute_process(COMMAND ${NM} -D --defined-only ${libkiln} OUTPUT_VARIABLE symbols)
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(count 0)
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^.* " "" symbol "${line}")
  if(symbol STREQUAL "KILN_0") # the version node of the version script
    continue()
  elseif(NOT symbol MATCHES "^kiln_")
    list(APPEND failures "${libkiln} exports ${symbol}, which is not part of the C API")
  endif()
  math(EXPR count "${count} + 1")
endforeach()
message("${libkiln}: ${count} C API symbols exported")

if(failures)
  list(JOIN failures "\n" text)
  message(FATAL_ERROR "${text}")
endif()
