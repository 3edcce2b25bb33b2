# Project-wide compile options, applied to each Latchkey target through latchkey_set_options().
add_library(latchkey_options INTERFACE)
target_compile_options(latchkey_options INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Wunused -Woverloaded-virtual -Wconversion -Wno-sign-conversion -Wformat=2)
target_compile_definitions(latchkey_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_URL_CAST_FROM_STRING QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_USE_QSTRINGBUILDER)

if(LATCHKEY_WARNINGS_AS_ERRORS)
    target_compile_options(latchkey_options INTERFACE -Werror)
endif()

if(LATCHKEY_HARDENING)
    target_compile_options(latchkey_options INTERFACE
        -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection
        -fcf-protection -D_GLIBCXX_ASSERTIONS)
    target_link_options(latchkey_options INTERFACE -Wl,-z,relro -Wl,-z,now -Wl,-z,noexecstack)
    set(CMAKE_POSITION_INDEPENDENT_CODE ON)
endif()

if(LATCHKEY_SANITIZERS)
    target_compile_options(latchkey_options INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(latchkey_options INTERFACE -fsanitize=address,undefined)
endif()

# An installed Latchkey library, Latchkey::<export>, made of the object library `objects`: its file
# name, the public headers of include/, a SONAME of major.minor (0.x may break the API between
# minors) and hidden visibility, so only what include/latchkey declares with an export macro is
# reachable.
function(latchkey_shared_library target output export objects)
    add_library(${target} SHARED)
    add_library(Latchkey::${export} ALIAS ${target})
    target_link_libraries(${target} PRIVATE ${objects})
    target_include_directories(${target} PUBLIC
        $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
        $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    set_target_properties(${target} PROPERTIES
        OUTPUT_NAME ${output}
        EXPORT_NAME ${export}
        VERSION ${PROJECT_VERSION}
        SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
endfunction()

# A module (src/core/module.h): a shared object the library loads on first use, built from
# `sources` with its own dependencies `libs`. Built into <build>/modules (every target's build
# RUNPATH has it, see the top-level CMakeLists.txt), installed into <libdir>/latchkey (the
# library's install RUNPATH). It holds no Latchkey objects: its interface is plain Qt types.
function(latchkey_add_module name)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_library(latchkey_module_${name} MODULE ${ARG_SOURCES})
    target_link_libraries(latchkey_module_${name} PRIVATE Qt6::Core latchkey_options ${ARG_LIBS})
    target_include_directories(latchkey_module_${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
    set_target_properties(latchkey_module_${name} PROPERTIES
        OUTPUT_NAME latchkey-${name}
        LIBRARY_OUTPUT_DIRECTORY ${LATCHKEY_MODULE_BUILD_DIR}
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON)
    # Whoever links the library's objects can load the module.
    add_dependencies(latchkey_objects latchkey_module_${name})
    install(TARGETS latchkey_module_${name}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/latchkey COMPONENT runtime)
endfunction()
