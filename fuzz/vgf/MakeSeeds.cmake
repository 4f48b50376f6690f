# Seeds of kiln-vgf-fuzz: the sample container from kiln-vgf (TOOL) and the containers
# VgfTests (TESTS) writes into KILN_VGF_SEED_DIR.
kiln_seed_command(${TOOL} sample ${SEEDS}/kiln-vgf-sample.vgf)
kiln_seed_command(${CMAKE_COMMAND} -E env KILN_VGF_SEED_DIR=${SEEDS}
                  ${TESTS} --gtest_filter=VgfEncoderTest.*)
