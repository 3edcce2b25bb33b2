# oidc/ part 1 tests: discovery, JWKS cache, ID token validation.
set(_latchkey_jose_libs PkgConfig::CJOSE PkgConfig::JANSSON OpenSSL::Crypto)

latchkey_add_test(tst_providermetadata SOURCES tst_providermetadata.cpp LABELS unit)
latchkey_add_test(tst_discoveryjob SOURCES tst_discoveryjob.cpp tst_josesupport.h LABELS unit
    LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_discoverycache SOURCES tst_discoverycache.cpp tst_josesupport.h LABELS unit
    LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_jwkscache SOURCES tst_jwkscache.cpp tst_josesupport.h LABELS unit
    LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_idtokenvalidator SOURCES tst_idtokenvalidator.cpp tst_josesupport.h
    LABELS unit LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_jwks_persist SOURCES tst_jwks_persist.cpp tst_josesupport.h LABELS unit
    LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_jose_module SOURCES tst_jose_module.cpp tst_josesupport.h LABELS unit
    LIBS ${_latchkey_jose_libs})
latchkey_add_test(tst_oidcproviderintegration SOURCES tst_oidcproviderintegration.cpp
    LABELS integration)

# tst_josesupport.h wraps cjose's RSA* with OpenSSL 1.1 calls to sign hostile raw headers.
foreach(_t tst_discoveryjob tst_discoverycache tst_jwkscache tst_idtokenvalidator tst_jwks_persist
        tst_jose_module)
    target_compile_definitions(${_t} PRIVATE OPENSSL_SUPPRESS_DEPRECATED)
endforeach()
