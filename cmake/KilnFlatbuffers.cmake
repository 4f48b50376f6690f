# kiln_flatbuffers_schema(TARGET SCHEMA INCLUDE_PREFIX COMMENT):
# an INTERFACE target whose include directory holds the C++ accessors that flatc
# generates from SCHEMA at build time (never committed), as
# <INCLUDE_PREFIX>/<schema stem>_generated.h. Build tree only: the generated headers
# are private to the libraries that read the format. FlatBuffers 2.0 is header-only
# for everything the accessors and the verifier use.
find_program(KILN_FLATC flatc REQUIRED)

# A cross build finds flatc on the host but must not search the host's /usr/include
# (its libc headers would shadow the target's). The FlatBuffers headers are
# architecture-independent, so the build tree links that one directory and the
# accessors' include path gets it alone.
if(CMAKE_CROSSCOMPILING)
  find_path(KILN_FLATBUFFERS_INCLUDE_DIR flatbuffers/flatbuffers.h NO_CMAKE_FIND_ROOT_PATH REQUIRED)
  set(KILN_FLATBUFFERS_CROSS_INCLUDE ${CMAKE_BINARY_DIR}/flatbuffers-include)
  file(MAKE_DIRECTORY ${KILN_FLATBUFFERS_CROSS_INCLUDE})
  file(CREATE_LINK ${KILN_FLATBUFFERS_INCLUDE_DIR}/flatbuffers
       ${KILN_FLATBUFFERS_CROSS_INCLUDE}/flatbuffers SYMBOLIC)
endif()

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
  if(KILN_FLATBUFFERS_CROSS_INCLUDE)
    target_include_directories(${target} SYSTEM INTERFACE
                               $<BUILD_INTERFACE:${KILN_FLATBUFFERS_CROSS_INCLUDE}>)
  endif()
endfunction()
