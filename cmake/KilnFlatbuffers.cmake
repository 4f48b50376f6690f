# kiln_flatbuffers_schema(TARGET SCHEMA INCLUDE_PREFIX COMMENT):
# an INTERFACE target whose include directory holds the C++ accessors that flatc
# generates from SCHEMA at build time (never committed), as
# <INCLUDE_PREFIX>/<schema stem>_generated.h. Build tree only: the generated headers
# are private to the libraries that read the format. FlatBuffers 2.0 is header-only
# for everything the accessors and the verifier use.
find_program(KILN_FLATC flatc REQUIRED)

function(kiln_flatbuffers_schema target schema prefix comment)
  get_filename_component(stem ${schema} NAME_WE)
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/generated)
  set(header ${dir}/${prefix}/${stem}_generated.h)
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${KILN_FLATC} --cpp -o ${dir}/${prefix} ${schema}
    DEPENDS ${schema}
    COMMENT "${comment}"
    VERBATIM)
  add_custom_target(${target}_gen DEPENDS ${header})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_gen)
  target_include_directories(${target} INTERFACE $<BUILD_INTERFACE:${dir}>)
endfunction()
