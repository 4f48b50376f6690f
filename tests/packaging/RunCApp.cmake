# The C API through libkiln.so, found with pkg-config.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
kiln_run(${C_APP} ${MODEL} ${EXPECTED} ${DEVICE})
