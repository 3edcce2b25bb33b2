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
