# `cmake --install`: headers, libidp.so, the idp CMake package and idp.pc.
include(CMakePackageConfigHelpers)

install(TARGETS idp EXPORT idpTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libidp/include/idp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h")
install(FILES ${CMAKE_BINARY_DIR}/generated/idp/idp_version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/idp)
install(EXPORT idpTargets NAMESPACE idp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idp)

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/idpConfig.cmake.in
  ${CMAKE_BINARY_DIR}/idpConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idp)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/idpConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/idpConfig.cmake ${CMAKE_BINARY_DIR}/idpConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/idp)

configure_file(${PROJECT_SOURCE_DIR}/cmake/idp.pc.in ${CMAKE_BINARY_DIR}/idp.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/idp.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
