# Installs the build into a fresh prefix, builds the examples against it (same
# generator and compilers, nothing but CMAKE_PREFIX_PATH pointing at Kiln) and
# compiles the demo model with the installed kiln-compile.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
kiln_run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
foreach(example vulkan-app c-app compile-app)
  kiln_run(${CMAKE_COMMAND} -G ${GENERATOR} -S ${SOURCE_DIR}/examples/${example}
           -B ${WORK}/${example} -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_BUILD_TYPE=Release
           -DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM} -DCMAKE_C_COMPILER=${C_COMPILER}
           -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
  kiln_run(${CMAKE_COMMAND} --build ${WORK}/${example})
endforeach()
kiln_run(${PREFIX}/bin/kiln-compile --model=demo-linear --scheme=qp8_f32_qc8w -o ${MODEL})
