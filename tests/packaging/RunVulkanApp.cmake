# The application's own device, buffers and compute pass, with Kiln's model between.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
kiln_run(${VULKAN_APP} ${MODEL} ${EXPECTED} --device=${DEVICE})
