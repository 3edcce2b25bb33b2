# oidc part 2: PKCE, authorization request, callback validation, token/refresh/revocation/userinfo.
target_sources(latchkey_objects PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/authorizationrequest.cpp ${CMAKE_CURRENT_LIST_DIR}/authorizationrequest.h
    ${CMAKE_CURRENT_LIST_DIR}/callbackvalidation.cpp ${CMAKE_CURRENT_LIST_DIR}/callbackvalidation.h
    ${CMAKE_CURRENT_LIST_DIR}/clientauth.cpp ${CMAKE_CURRENT_LIST_DIR}/clientauth.h
    ${CMAKE_CURRENT_LIST_DIR}/pendingauthorization.cpp ${CMAKE_CURRENT_LIST_DIR}/pendingauthorization.h
    ${CMAKE_CURRENT_LIST_DIR}/pkce.cpp ${CMAKE_CURRENT_LIST_DIR}/pkce.h
    ${CMAKE_CURRENT_LIST_DIR}/revocationjob.cpp ${CMAKE_CURRENT_LIST_DIR}/revocationjob.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenerror.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenerror.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenjob.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenjob.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenjson.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenjson.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenrefreshcoordinator.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenrefreshcoordinator.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenrequest.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenrequest.h
    ${CMAKE_CURRENT_LIST_DIR}/tokenresponse.cpp ${CMAKE_CURRENT_LIST_DIR}/tokenresponse.h
    ${CMAKE_CURRENT_LIST_DIR}/userinfo.cpp ${CMAKE_CURRENT_LIST_DIR}/userinfo.h
    ${CMAKE_CURRENT_LIST_DIR}/userinfojob.cpp ${CMAKE_CURRENT_LIST_DIR}/userinfojob.h)
