cmake_minimum_required(VERSION 3.25) # IN_LIST and string(JSON) in script mode
# Runs `kiln-bench --suite=smoke` on the CPU with minimal timing and checks that the
# JSON it writes parses and holds a Kiln case and each baseline.
execute_process(
  COMMAND ${KILN_BENCH} --suite=smoke --backends=cpu --cpu-threads=1 --min-time=0 --warmup=1
          --min-runs=2 --out=${OUT}
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "kiln-bench --suite=smoke failed with ${result}")
endif()
file(READ ${OUT}.json text)
string(JSON cases ERROR_VARIABLE error LENGTH "${text}" cases)
if(error)
  message(FATAL_ERROR "${OUT}.json is not the expected JSON: ${error}")
endif()
set(impls)
math(EXPR last "${cases} - 1")
foreach(i RANGE ${last})
  string(JSON impl GET "${text}" cases ${i} impl)
  list(APPEND impls ${impl})
endforeach()
foreach(expected kiln oneDNN OpenBLAS XNNPACK)
  if(NOT expected IN_LIST impls)
    message(FATAL_ERROR "${OUT}.json has no '${expected}' case (got: ${impls})")
  endif()
endforeach()
if(NOT EXISTS ${OUT}.md)
  message(FATAL_ERROR "kiln-bench wrote no ${OUT}.md")
endif()
