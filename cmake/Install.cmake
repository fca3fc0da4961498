# `cmake --install`: headers, libidp.so (+ SONAME and development links), the
# idp CMake package (find_package(idp) -> idp::idp) and idp.pc. Everything is
# relocatable: `cmake --install build --prefix /any/where` works.
include(CMakePackageConfigHelpers)

set(IDP_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/idp CACHE STRING
    "Where the idp CMake package goes, relative to the prefix")

install(TARGETS idp EXPORT idpTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libidp/include/idp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${PROJECT_BINARY_DIR}/generated/idp/idp_version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/idp)
install(EXPORT idpTargets NAMESPACE idp:: DESTINATION ${IDP_INSTALL_CMAKEDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/idpConfig.cmake.in
  ${PROJECT_BINARY_DIR}/idpConfig.cmake INSTALL_DESTINATION ${IDP_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/idpConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/idpConfig.cmake ${PROJECT_BINARY_DIR}/idpConfigVersion.cmake
  DESTINATION ${IDP_INSTALL_CMAKEDIR})

# idp.pc locates the prefix from its own place (${pcfiledir}), so it stays
# right whatever --prefix the install gets.
function(_idp_pc_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  else()
    set(${out} "\${prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(IDP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _idp_pc_up "/_/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/_")
  string(REGEX REPLACE "/$" "" _idp_pc_up "${_idp_pc_up}")
  set(IDP_PC_PREFIX "\${pcfiledir}/${_idp_pc_up}")
endif()
_idp_pc_dir(IDP_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
_idp_pc_dir(IDP_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/idp.pc.in ${PROJECT_BINARY_DIR}/idp.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/idp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
