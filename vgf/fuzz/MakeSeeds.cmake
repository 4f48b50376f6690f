# Fills SEEDS with the fuzz seed corpus: the sample container from kiln-vgf (TOOL) and
# the containers VgfTests (TESTS) writes when KILN_VGF_SEED_DIR is set. Creates CORPUS.
file(MAKE_DIRECTORY ${SEEDS} ${CORPUS})
execute_process(COMMAND ${TOOL} sample ${SEEDS}/kiln-vgf-sample.vgf RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kiln-vgf sample failed (${rc})")
endif()
execute_process(COMMAND ${TESTS} --gtest_filter=VgfEncoderTest.* RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "VgfTests failed while writing seeds (${rc})")
endif()
