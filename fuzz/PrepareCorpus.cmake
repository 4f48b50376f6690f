# Starts a fuzz target's corpus afresh: empties SEEDS and CORPUS, then fills SEEDS by
# running GENERATOR with the seed directory, or the target's own SCRIPT
# (kiln_add_fuzzer in cmake/KilnFuzz.cmake).
file(REMOVE_RECURSE ${SEEDS} ${CORPUS})
file(MAKE_DIRECTORY ${SEEDS} ${CORPUS})
if(GENERATOR)
  execute_process(COMMAND ${GENERATOR} ${SEEDS} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${GENERATOR} failed (${rc})")
  endif()
else()
  include(${SCRIPT})
endif()
file(GLOB seeds ${SEEDS}/*)
list(LENGTH seeds count)
if(count EQUAL 0)
  message(FATAL_ERROR "no seeds were written into ${SEEDS}")
endif()
message(STATUS "${count} seeds in ${SEEDS}")
