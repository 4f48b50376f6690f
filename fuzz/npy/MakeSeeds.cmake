# Seeds of kiln-npy-fuzz: arrays of every dtype written by kiln-npy-seeds (GENERATOR).
execute_process(COMMAND ${GENERATOR} ${SEEDS} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "kiln-npy-seeds failed (${rc})")
endif()
