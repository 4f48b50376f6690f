# Seeds of kiln-safetensors-fuzz: the .safetensors files KilnImportTests (TESTS) leaves
# in GoogleTest's temp directory, which TEST_TMPDIR points at a scratch folder.
set(scratch ${SEEDS}/../scratch)
file(REMOVE_RECURSE ${scratch})
file(MAKE_DIRECTORY ${scratch})
kiln_seed_command(${CMAKE_COMMAND} -E env TEST_TMPDIR=${scratch}
                  ${TESTS} --gtest_filter=WeightFileTest.*)
file(GLOB files ${scratch}/*.safetensors)
file(COPY ${files} DESTINATION ${SEEDS})
file(REMOVE_RECURSE ${scratch})
