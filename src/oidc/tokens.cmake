# oidc/ part 1: discovery, JWKS cache, ID token validation (cjose).
target_sources(latchkey_objects PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/discoverycache.cpp ${CMAKE_CURRENT_LIST_DIR}/discoverycache.h
    ${CMAKE_CURRENT_LIST_DIR}/discoveryjob.cpp ${CMAKE_CURRENT_LIST_DIR}/discoveryjob.h
    ${CMAKE_CURRENT_LIST_DIR}/idtoken.h
    ${CMAKE_CURRENT_LIST_DIR}/idtokenclaims.cpp ${CMAKE_CURRENT_LIST_DIR}/idtokenclaims.h
    ${CMAKE_CURRENT_LIST_DIR}/idtokenvalidator.cpp ${CMAKE_CURRENT_LIST_DIR}/idtokenvalidator.h
    ${CMAKE_CURRENT_LIST_DIR}/josefetcher.cpp ${CMAKE_CURRENT_LIST_DIR}/josefetcher.h
    ${CMAKE_CURRENT_LIST_DIR}/josejson.cpp ${CMAKE_CURRENT_LIST_DIR}/josejson.h
    ${CMAKE_CURRENT_LIST_DIR}/jwkscache.cpp ${CMAKE_CURRENT_LIST_DIR}/jwkscache.h
    ${CMAKE_CURRENT_LIST_DIR}/microsoftissuer.cpp ${CMAKE_CURRENT_LIST_DIR}/microsoftissuer.h
    ${CMAKE_CURRENT_LIST_DIR}/providermetadata.cpp ${CMAKE_CURRENT_LIST_DIR}/providermetadata.h)
