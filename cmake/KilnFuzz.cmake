# kiln_add_fuzzer: one libFuzzer target, its seed corpus and its bounded run in ctest.
#
#   kiln_add_fuzzer(NAME kiln-npy-fuzz SOURCES NpyFuzzer.cpp LIBS kiln_npy
#                   SEED_GENERATOR kiln-npy-seeds | SEEDS -DVAR=value... [SEED_DEPENDS target...]
#                   [MAX_LEN bytes])
#
# Two tests, labelled `fuzz`, come with each target:
#   <NAME>_seeds  empties <NAME>/seeds and <NAME>/corpus in this binary directory and
#                 fills the seeds from the tests and tools (never committed binaries):
#                 SEED_GENERATOR is a program run as `<generator> <seed dir>`; else
#                 MakeSeeds.cmake of the calling source directory runs with
#                 -DSEEDS=<seed dir> and the SEEDS arguments;
#   <NAME>        runs every input of regressions/ in the calling source directory
#                 (the committed crash inputs, if any) and every seed, then fuzzes for
#                 KILN_FUZZ_SECONDS, growing the work corpus only, so the seeds stay
#                 exactly what the generators wrote. A crash input is kept as
#                 <NAME>/crash-<sha1>: it goes into regressions/ with its fix.
# `ninja kiln-fuzzers` builds every target and everything its seeds need.

set(KILN_FUZZ_SECONDS 20 CACHE STRING "Seconds each fuzz target runs in ctest")
add_custom_target(kiln-fuzzers)

function(kiln_add_fuzzer)
  cmake_parse_arguments(ARG "" "NAME;MAX_LEN;SEED_GENERATOR" "SOURCES;LIBS;SEEDS;SEED_DEPENDS"
                        ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS})
  # The libraries are instrumented by KilnOptions.cmake; only the target gets main.
  target_link_options(${ARG_NAME} PRIVATE -fsanitize=fuzzer)
  add_dependencies(kiln-fuzzers ${ARG_NAME} ${ARG_SEED_DEPENDS} ${ARG_SEED_GENERATOR})

  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME})
  if(ARG_SEED_GENERATOR)
    set(fill -DGENERATOR=$<TARGET_FILE:${ARG_SEED_GENERATOR}>)
  else()
    set(fill ${ARG_SEEDS} -DSCRIPT=${CMAKE_CURRENT_SOURCE_DIR}/MakeSeeds.cmake)
  endif()
  add_test(NAME ${ARG_NAME}_seeds
    COMMAND ${CMAKE_COMMAND} -DSEEDS=${dir}/seeds -DCORPUS=${dir}/corpus ${fill}
            -P ${PROJECT_SOURCE_DIR}/fuzz/PrepareCorpus.cmake)
  set(options -max_total_time=${KILN_FUZZ_SECONDS} -print_final_stats=1 -timeout=10
              -rss_limit_mb=2048 -artifact_prefix=${dir}/)
  if(ARG_MAX_LEN)
    list(APPEND options -max_len=${ARG_MAX_LEN})
  endif()
  set(inputs ${dir}/corpus ${dir}/seeds)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/regressions)
    list(APPEND inputs ${CMAKE_CURRENT_SOURCE_DIR}/regressions)
  endif()
  add_test(NAME ${ARG_NAME} COMMAND ${ARG_NAME} ${options} ${inputs})
  math(EXPR limit "${KILN_FUZZ_SECONDS} + 40")
  set_tests_properties(${ARG_NAME}_seeds PROPERTIES
    FIXTURES_SETUP ${ARG_NAME}_corpus LABELS fuzz)
  set_tests_properties(${ARG_NAME} PROPERTIES
    FIXTURES_REQUIRED ${ARG_NAME}_corpus LABELS fuzz TIMEOUT ${limit})
endfunction()
