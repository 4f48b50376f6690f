# `cmake --install <build> --prefix P`: the tools, the MLIR-free runtime libraries,
# the compiler libraries, the public headers, the CMake package (find_package(Kiln
# CONFIG) -> Kiln::runtime, Kiln::c, and with COMPONENTS compiler Kiln::compiler) and
# kiln.pc for the C API. docs/packaging.md describes the layout and the
# ABI policy. Targets are referenced by name so that their own CMakeLists stay free
# of install logic.

include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KILN_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Kiln)

# Tools. Those linking Debian's libMLIR.so keep its directory in their RUNPATH: Debian
# installs it outside the loader's default search path.
set(KILN_INSTALLED_TOOLS kiln-compile kiln-run kiln-vgf kiln-opt kiln-translate kiln-conformance)
set_target_properties(${KILN_INSTALLED_TOOLS} PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
install(TARGETS ${KILN_INSTALLED_TOOLS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# The Python package, where it is built, as a site directory under the prefix
# (PYTHONPATH=<prefix>/lib/python3/dist-packages; with the prefix /usr it is the
# directory Debian's python3 searches). compile() finds the installed kiln-compile on
# PATH.
set(KILN_PYTHON_INSTALL_DIR lib/python3/dist-packages CACHE STRING
    "Where cmake --install puts the kiln Python package, relative to the prefix")
if(TARGET _kiln)
  install(TARGETS _kiln LIBRARY DESTINATION ${KILN_PYTHON_INSTALL_DIR}/kiln)
  install(FILES ${PROJECT_SOURCE_DIR}/python/kiln/__init__.py
          DESTINATION ${KILN_PYTHON_INSTALL_DIR}/kiln)
endif()

# Exported names: Kiln::runtime is the Vulkan runtime with the C++ API (Session.h,
# VulkanInterop.h); the rest is what its static archive needs at link time.
set_target_properties(kiln_runtime_vulkan PROPERTIES EXPORT_NAME runtime)
set_target_properties(kiln_runtime PROPERTIES EXPORT_NAME runtime_common)
set_target_properties(kiln_npy PROPERTIES EXPORT_NAME npy)
set_target_properties(kiln_vgf PROPERTIES EXPORT_NAME vgf)
set_target_properties(kiln_vgf_schema PROPERTIES EXPORT_NAME vgf_schema)
set_target_properties(kiln_support PROPERTIES EXPORT_NAME support)
set_target_properties(kiln_c_shared PROPERTIES EXPORT_NAME c)

install(TARGETS kiln_runtime_vulkan kiln_runtime kiln_npy kiln_vgf kiln_vgf_schema
                kiln_support kiln_c_shared
  EXPORT KilnTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# Public headers: every header a Kiln::runtime or Kiln::c user can reach from
# kiln/kiln.h, kiln/runtime/Session.h or kiln/runtime/VulkanInterop.h.
foreach(dir support/include/kiln vgf/include/kiln runtime/include/kiln)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h")
endforeach()

install(EXPORT KilnTargets NAMESPACE Kiln:: DESTINATION ${KILN_INSTALL_CMAKEDIR})

# Kiln::compiler (find_package(Kiln COMPONENTS compiler)): kiln/compiler/Compiler.h and
# the static libraries behind it. Its own export set, so that the runtime package
# never needs MLIR; the compiler's depends on Debian's MLIR 22 (libMLIR.so), glslang
# and SPIRV-Tools, which KilnConfig.cmake finds only for this component.
set_target_properties(kiln_compiler PROPERTIES EXPORT_NAME compiler)
set(KILN_COMPILER_LIBRARIES kiln_compiler kiln_codegen kiln_codegen_shaders kiln_passes
    kiln_dialect kiln_import kiln_safetensors_header)
foreach(target IN LISTS KILN_COMPILER_LIBRARIES)
  if(NOT target STREQUAL kiln_compiler)
    string(REGEX REPLACE "^kiln_" "compiler_" name ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  endif()
endforeach()
install(TARGETS ${KILN_COMPILER_LIBRARIES}
  EXPORT KilnCompilerTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(dir compiler/dialect/include/kiln compiler/passes/include/kiln
            compiler/import/include/kiln compiler/codegen/include/kiln
            compiler/driver/include/kiln)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h")
endforeach()
# The TableGen'erated declarations the dialect and pass headers include.
foreach(dir compiler/dialect/kiln compiler/passes/kiln)
  install(DIRECTORY ${PROJECT_BINARY_DIR}/${dir} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
          FILES_MATCHING PATTERN "*.h.inc")
endforeach()
install(EXPORT KilnCompilerTargets NAMESPACE Kiln:: DESTINATION ${KILN_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/install/KilnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/KilnConfig.cmake
  INSTALL_DESTINATION ${KILN_INSTALL_CMAKEDIR})
# 0.x: a minor version may break the C++ API, so only the same minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/KilnConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/KilnConfig.cmake ${PROJECT_BINARY_DIR}/KilnConfigVersion.cmake
        DESTINATION ${KILN_INSTALL_CMAKEDIR})

# kiln.pc finds its prefix from its own location, so the install prefix may be chosen
# at `cmake --install` time (or the tree moved) without editing it.
file(RELATIVE_PATH KILN_PC_PREFIX_FROM_PCFILEDIR
     /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" KILN_PC_PREFIX_FROM_PCFILEDIR "${KILN_PC_PREFIX_FROM_PCFILEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/install/kiln.pc.in ${PROJECT_BINARY_DIR}/kiln.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/kiln.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
