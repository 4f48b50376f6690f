# kiln_add_fuzzer: one libFuzzer target, its seed corpus and its bounded run in ctest.
#
#   kiln_add_fuzzer(NAME kiln-npy-fuzz SOURCES NpyFuzzer.cpp LIBS kiln_npy
#                   [SEEDS -DVAR=value...] [SEED_DEPENDS target...] [MAX_LEN bytes])
#
# Two tests, labelled `fuzz`, come with each target:
#   <NAME>_seeds  empties <NAME>/seeds and <NAME>/corpus in this binary directory and
#                 runs MakeSeeds.cmake of the calling source directory with -DSEEDS=<dir>
#                 and the SEEDS arguments: the seeds come from the tests and tools (a
#                 generator, never committed binaries);
#   <NAME>        fuzzes for KILN_FUZZ_SECONDS, growing the work corpus only, so the
#                 seeds stay exactly what the generators wrote. A crash input is kept
#                 as <NAME>/crash-<sha1> for the regression test it becomes.
# `ninja kiln-fuzzers` builds every target and everything its seeds need.

set(KILN_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs in ctest")
add_custom_target(kiln-fuzzers)

function(kiln_add_fuzzer)
  cmake_parse_arguments(ARG "" "NAME;MAX_LEN" "SOURCES;LIBS;SEEDS;SEED_DEPENDS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS})
  # The libraries are instrumented by KilnOptions.cmake; only the target gets main.
  target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  add_dependencies(kiln-fuzzers ${ARG_NAME} ${ARG_SEED_DEPENDS})

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME})
  add_test(NAME ${ARG_NAME}_seeds
    COMMAND ${CMAKE_COMMAND} -DSEEDS=${dir}/seeds -DCORPUS=${dir}/corpus ${ARG_SEEDS}
            -DSCRIPT=${CMAKE_CURRENT_SOURCE_DIR}/MakeSeeds.cmake
            -P ${PROJECT_SOURCE_DIR}/fuzz/PrepareCorpus.cmake)
  set(options -max_total_time=${KILN_FUZZ_SECONDS} -print_final_stats=1 -timeout=10
              -rss_limit_mb=2048 -artifact_prefix=${dir}/)
  if(ARG_MAX_LEN)
    list(APPEND options -max_len=${ARG_MAX_LEN})
  endif()
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} ${options} ${dir}/corpus ${dir}/seeds)
  math(EXPR limit "${KILN_FUZZ_SECONDS} + 40")
  set_tests_properties(${ARG_NAME}_seeds PROPERTIES
    FIXTURES_SETUP ${ARG_NAME}_corpus LABELS fuzz)
  set_tests_properties(${ARG_NAME} PROPERTIES
    FIXTURES_REQUIRED ${ARG_NAME}_corpus LABELS fuzz TIMEOUT ${limit})
endfunction()
