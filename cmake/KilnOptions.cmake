# Build options shared by every Kiln target.

option(KILN_ENABLE_ASSERTIONS "Keep assert() in Release builds" ON)
set(KILN_SANITIZE "" CACHE STRING
  "Sanitizers to build with, a ;-list of address, undefined, thread (e.g. address;undefined)")

# Release with assertions on by default: a compiler that checks its invariants in the
# field reports a bug instead of silently producing wrong numbers.
if(KILN_ENABLE_ASSERTIONS)
  foreach(flags CMAKE_C_FLAGS_RELEASE CMAKE_CXX_FLAGS_RELEASE
                CMAKE_C_FLAGS_RELWITHDEBINFO CMAKE_CXX_FLAGS_RELWITHDEBINFO)
    string(REGEX REPLACE "(^| )-DNDEBUG($| )" " " ${flags} "${${flags}}")
  endforeach()
endif()

add_compile_options(-Wall -Wextra -Wno-unused-parameter)

# Numerics contract (docs/numerics.md): the canonical float sequences are unfused, so
# no backend may contract a*b+c into an FMA behind our back.
add_compile_options(-ffp-contract=off)

if(KILN_SANITIZE)
  set(_kiln_sanitizers "")
  foreach(s IN LISTS KILN_SANITIZE)
    if(NOT s MATCHES "^(address|undefined|thread)$")
      message(FATAL_ERROR "KILN_SANITIZE: unknown sanitizer '${s}' (expected address, undefined or thread)")
    endif()
    list(APPEND _kiln_sanitizers ${s})
  endforeach()
  list(JOIN _kiln_sanitizers "," _kiln_sanitize_flag)
  add_compile_options(-fsanitize=${_kiln_sanitize_flag} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_kiln_sanitize_flag})
endif()
