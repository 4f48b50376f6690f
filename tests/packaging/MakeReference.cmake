# The input the application's compute pass produces, and the installed kiln-run's CPU
# backend output for it: the expected output of both examples.
include(${CMAKE_CURRENT_LIST_DIR}/Common.cmake)
kiln_run(${VULKAN_APP} ${MODEL} --write-input=${INPUT} --device=${DEVICE})
kiln_run(${PREFIX}/bin/kiln-run ${MODEL} --backend=cpu --input=${INPUT} --output=${EXPECTED})
