# The HTML report's page, script and style (web/) embedded into the binary at build time as
# ${PROJECT_BINARY_DIR}/generated/ctxtrail_web_assets.h.
set(CTXTRAIL_WEB_FILES ${PROJECT_SOURCE_DIR}/web/report.html ${PROJECT_SOURCE_DIR}/web/report.js
    ${PROJECT_SOURCE_DIR}/web/report.css)
set(CTXTRAIL_WEB_HEADER ${PROJECT_BINARY_DIR}/generated/ctxtrail_web_assets.h)
add_custom_command(
  OUTPUT ${CTXTRAIL_WEB_HEADER}
  COMMAND ${CMAKE_COMMAND} -DOUT=${CTXTRAIL_WEB_HEADER} -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
          -P ${PROJECT_SOURCE_DIR}/cmake/embed_web_assets.cmake
  DEPENDS ${CTXTRAIL_WEB_FILES} ${PROJECT_SOURCE_DIR}/cmake/embed_web_assets.cmake
  COMMENT "Embedding web/ report assets"
  VERBATIM)
add_custom_target(ctxtrail_web_assets DEPENDS ${CTXTRAIL_WEB_HEADER})
add_dependencies(ctxtrail_render ctxtrail_web_assets)
