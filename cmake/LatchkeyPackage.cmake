# LatchkeyConfig.cmake and LatchkeyConfigVersion.cmake, so that an installed Latchkey is found with
#   find_package(Latchkey 0.2 REQUIRED COMPONENTS Core Widgets)
#   target_link_libraries(app PRIVATE Latchkey::Core Latchkey::Widgets)
include(CMakePackageConfigHelpers)
set(LATCHKEY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/Latchkey)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/LatchkeyConfig.cmake.in
    ${PROJECT_BINARY_DIR}/LatchkeyConfig.cmake
    INSTALL_DESTINATION ${LATCHKEY_CMAKE_DIR})
# 0.x: a minor version may break the API, so only the same major.minor is compatible.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/LatchkeyConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/LatchkeyConfig.cmake ${PROJECT_BINARY_DIR}/LatchkeyConfigVersion.cmake
    DESTINATION ${LATCHKEY_CMAKE_DIR} COMPONENT development)
