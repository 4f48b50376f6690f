# Shared by the packaging test scripts: where things are, and a runner that fails the
# test with the command's output.
set(PREFIX ${WORK}/prefix)
set(MODEL ${WORK}/demo-linear.qp8_f32_qc8w.vgf)
set(INPUT ${WORK}/x.npy)
set(EXPECTED ${WORK}/expected.npy)
set(VULKAN_APP ${WORK}/vulkan-app/kiln-vulkan-app)
set(C_APP ${WORK}/c-app/kiln-c-app)
set(COMPILE_APP ${WORK}/compile-app/kiln-compile-app)
# The examples run on lavapipe, the device every Kiln build has (scripts/setup.sh).
set(DEVICE llvmpipe)

function(kiln_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  list(JOIN ARGN " " command)
  message("$ ${command}\n${out}")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "'${command}' failed (${rc})")
  endif()
endfunction()
