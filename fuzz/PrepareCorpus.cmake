# Starts a fuzz target's corpus afresh: empties SEEDS and CORPUS, then runs the
# target's own SCRIPT, which fills SEEDS (kiln_add_fuzzer in cmake/KilnFuzz.cmake).
file(REMOVE_RECURSE ${SEEDS} ${CORPUS})
file(MAKE_DIRECTORY ${SEEDS} ${CORPUS})
include(${SCRIPT})
file(GLOB seeds ${SEEDS}/*)
list(LENGTH seeds count)
if(count EQUAL 0)
  message(FATAL_ERROR "${SCRIPT} wrote no seeds into ${SEEDS}")
endif()
message(STATUS "${count} seeds in ${SEEDS}")
