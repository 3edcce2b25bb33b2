# Fails when resources/translations/latchkey_ko.ts is not what lupdate makes of the sources today:
# a tr()/translate() string added, changed or no longer extractable under the context the app
# uses at run time would otherwise reach Korean users in English (or lose its translation at the
# next `update_translations`). Runs lupdate on a copy; the committed file is never touched.
#
# cmake -DLUPDATE=<lupdate> -DGENERATOR=<Qt's GenerateLUpdateProject.cmake>
#       -DPROJECT_CMAKE=<src/.lupdate/latchkey_core_project.cmake> -DTS=<latchkey_ko.ts>
#       -DWORK_DIR=<scratch dir> -P check_catalogue.cmake
foreach(var LUPDATE GENERATOR PROJECT_CMAKE TS WORK_DIR)
    if(NOT ${var})
        message(FATAL_ERROR "check_catalogue: ${var} is not set")
    endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
execute_process(
    COMMAND "${CMAKE_COMMAND}" "-DIN_FILE=${PROJECT_CMAKE}" "-DOUT_FILE=${WORK_DIR}/project.json"
            -P "${GENERATOR}"
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_catalogue: could not write the lupdate project (${rc})")
endif()

get_filename_component(ts_name "${TS}" NAME)
set(copy "${WORK_DIR}/${ts_name}")
file(COPY_FILE "${TS}" "${copy}")
# The same options as the qt_add_translations() call in src/CMakeLists.txt.
execute_process(
    COMMAND "${LUPDATE}" -project "${WORK_DIR}/project.json" -no-obsolete -locations none
            -ts "${copy}"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_catalogue: lupdate failed (${rc}):\n${out}${err}")
endif()

file(READ "${TS}" committed)
file(READ "${copy}" regenerated)
if(NOT committed STREQUAL regenerated)
    execute_process(COMMAND diff -u "${TS}" "${copy}") # printed as is, unwrapped
    message(FATAL_ERROR
        "${ts_name} is out of date with the sources (diff above). Build the update_translations "
        "target, translate every message left type=\"unfinished\", and check that no context "
        "moved: lupdate must see the context the code passes to translate().\n"
        "lupdate said:\n${out}${err}")
endif()
message(STATUS "${ts_name} matches the sources")
