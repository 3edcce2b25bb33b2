# OpenID Connect sign-in end to end: the real window reaching the harness browser through
# QDesktopServices::openUrl, the real oidc-provider, keyring and SQLite file; and the CLI.
latchkey_add_test(tst_oidc_e2e PUBLIC_API SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_oidc_e2e.cpp
    LABELS "e2e;gui;keychain" LIBS latchkey_gui Qt6::Network Qt6::Sql TIMEOUT 180 ENV "QT_QPA_PLATFORM=xcb")
add_test(NAME cli_oidc_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_oidc_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_oidc_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)
# tst_oidc_e2e counts the launches in the shared browser-openurl.log: nothing else may open URLs
# through QDesktopServices meanwhile.
set_tests_properties(tst_oidc_e2e PROPERTIES RESOURCE_LOCK browser_openurl)
# Crash consistency: needs the crash points (on in the dev, ci and asan presets).
if(LATCHKEY_CRASH_POINTS)
    add_test(NAME cli_crash_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_crash_e2e.sh $<TARGET_FILE:latchkey>)
    set_tests_properties(cli_crash_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 240 RESOURCE_LOCK smtp_sink)
endif()
# The revocation queue against a provider made unreachable and reachable again.
add_test(NAME cli_offline_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_offline_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_offline_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)
# Device sign-in (RFC 8628) from the CLI: approve, deny, expiry, slow_down, Ctrl+C; starts its own
# provider with the device-flow test knobs.
add_test(NAME cli_device_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_device_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_device_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 150)
# Device sign-in (RFC 8628) in the real window: approve and deny in Chromium, expiry, slow_down,
# Cancel/Esc; starts its own provider with the device-flow test knobs (no openUrl involved).
latchkey_add_test(tst_device_e2e PUBLIC_API SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_device_e2e.cpp
    LABELS "e2e;gui;keychain" LIBS latchkey_gui Qt6::Network TIMEOUT 150 ENV "QT_QPA_PLATFORM=xcb")
