#===- SparsityMLIRAddLibrary.cmake - library helper ----------------------===#
#
# sparsity_add_library(<name> <sources>...
#                      [DEPENDS <targets>...]      tablegen targets
#                      [LINK_LIBS <targets>...]    our own libraries
#                      [MLIR_LIBS <targets>...]    upstream MLIR libraries
#                      [LINK_COMPONENTS <llvm>...])
#
# Wraps add_mlir_library so that every library of this project
#  - links upstream MLIR only through mlir_target_link_libraries (libMLIR.so),
#  - is installed into our own export set (SparsityMLIRTargets), not MLIR's,
#  - carries its include directories for the build and the install tree.
#
#===----------------------------------------------------------------------===#

function(sparsity_add_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS;MLIR_LIBS;LINK_COMPONENTS"
                        ${ARGN})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR
    DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS}
    LINK_COMPONENTS ${ARG_LINK_COMPONENTS}
    LINK_LIBS PUBLIC ${ARG_LINK_LIBS})
  mlir_target_link_libraries(${name} PUBLIC ${ARG_MLIR_LIBS})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${SPARSITY_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${SPARSITY_BINARY_DIR}/include>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  install(TARGETS ${name}
    EXPORT SparsityMLIRTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
  set_property(GLOBAL APPEND PROPERTY SPARSITY_EXPORTED_LIBS ${name})
endfunction()
