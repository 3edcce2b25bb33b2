# Self-test of the test harness (tests/harness/with-services): one CTest per service contract
# area, label e2e. They need the harness's services, so run them as
#   tests/harness/with-services ctest --test-dir <build> -L e2e
set(LATCHKEY_TEST_PYTHON /usr/bin/python3 CACHE FILEPATH
    "Debian's python3 (the harness's SMTP sink needs its aiosmtpd; the self-test needs only the stdlib)")

foreach(selftest_case services signin deny desktop openurl)
    add_test(NAME harness_selftest_${selftest_case}
        COMMAND ${LATCHKEY_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/harness_selftest.py ${selftest_case})
    set_tests_properties(harness_selftest_${selftest_case} PROPERTIES
        LABELS e2e
        TIMEOUT 120)
endforeach()
# openurl goes through xdg-open to the browser driver, which tst_oidc_e2e counts in its log.
set_tests_properties(harness_selftest_openurl PROPERTIES RESOURCE_LOCK browser_openurl)

# The GitHub stand-in (tests/harness/github/standin.mjs): its documented protocol over HTTP, and the
# browser driver on its pages. Node only (the stand-in and its self-test use the stdlib).
find_program(LATCHKEY_TEST_NODE node)
if(NOT LATCHKEY_TEST_NODE)
    set(LATCHKEY_TEST_NODE node) # the harness needs Node anyway; the test says so when it is missing
endif()
foreach(selftest_case web api device browser)
    add_test(NAME harness_selftest_github_${selftest_case}
        COMMAND ${LATCHKEY_TEST_NODE} ${CMAKE_CURRENT_LIST_DIR}/github_standin_selftest.mjs ${selftest_case})
    set_tests_properties(harness_selftest_github_${selftest_case} PROPERTIES
        LABELS e2e
        TIMEOUT 120)
endforeach()
