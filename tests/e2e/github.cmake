# Sign in with GitHub (plain OAuth 2.0) end to end: the CLI against the GitHub stand-in, the real
# keyring and the browser driver.
add_test(NAME cli_github_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_github_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_github_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)

# Device sign-in with GitHub (RFC 8628 as GitHub implements it) from the command line: its own
# GitHub stand-in with short intervals, the real keyring and the browser driver as the other device.
add_test(NAME cli_github_device_e2e
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_github_device_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_github_device_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 180)
