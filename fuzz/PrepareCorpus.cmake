# Starts a fuzz target's corpus afresh: empties SEEDS and CORPUS, then fills SEEDS by
# running GENERATOR with the seed directory, or the target's own SCRIPT
# (kiln_add_fuzzer in cmake/KilnFuzz.cmake), which may call kiln_seed_command.

# Runs one command that writes seeds; its failure fails the seeds test.
function(kiln_seed_command)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_QUIET)
  if(NOT rc EQUAL 0)
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${command} failed (${rc})")
  endif()
endfunction()

file(REMOVE_RECURSE ${SEEDS} ${CORPUS})
file(MAKE_DIRECTORY ${SEEDS} ${CORPUS})
if(GENERATOR)
  kiln_seed_command(${GENERATOR} ${SEEDS})
else()
  include(${SCRIPT})
endif()
file(GLOB seeds ${SEEDS}/*)
list(LENGTH seeds count)
if(count EQUAL 0)
  message(FATAL_ERROR "no seeds were written into ${SEEDS}")
endif()
message(STATUS "${count} seeds in ${SEEDS}")
