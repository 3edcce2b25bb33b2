# Email magic link end to end: the real window, keyring, SQLite file and SMTP sink; and the CLI.
latchkey_add_test(tst_email_e2e PUBLIC_API SOURCES ${CMAKE_CURRENT_LIST_DIR}/tst_email_e2e.cpp
    LABELS "e2e;gui;keychain" LIBS latchkey_gui Qt6::Network Qt6::Sql TIMEOUT 240
    ENV "QT_QPA_PLATFORM=xcb;LATCHKEY_EXECUTABLE=$<TARGET_FILE:latchkey>")
add_test(NAME cli_email_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_email_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_email_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)
# They read "the newest message" at the shared SMTP sink: never alongside another sender.
# The jwt session strategy through the command line.
add_test(NAME cli_jwt_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_jwt_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_jwt_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120)
set_tests_properties(tst_email_e2e cli_email_e2e cli_jwt_e2e PROPERTIES RESOURCE_LOCK smtp_sink)
# The command line's keychain truthfulness: no keychain, an expired session, a locked keyring.
add_test(NAME cli_keychain_e2e COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_keychain_e2e.sh $<TARGET_FILE:latchkey>)
set_tests_properties(cli_keychain_e2e PROPERTIES LABELS "e2e;keychain" TIMEOUT 120 RESOURCE_LOCK smtp_sink)
