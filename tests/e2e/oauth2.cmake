# A generic plain OAuth 2.0 provider (OAUTH2_PROVIDERS) end to end: the CLI against the harness's
# OpenID provider given only its authorization, token and user endpoints, the real keyring and the
# browser driver.
add_test(NAME cli_oauth2_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_oauth2_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_oauth2_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)
