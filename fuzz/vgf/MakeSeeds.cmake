# Seeds of kiln-vgf-fuzz: the sample container from kiln-vgf (TOOL) and the containers
# VgfTests (TESTS) writes into KILN_VGF_SEED_DIR.
execute_process(COMMAND ${TOOL} sample ${SEEDS}/kiln-vgf-sample.vgf RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kiln-vgf sample failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env KILN_VGF_SEED_DIR=${SEEDS}
                        ${TESTS} --gtest_filter=VgfEncoderTest.*
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "VgfTests failed while writing seeds (${rc})")
endif()
