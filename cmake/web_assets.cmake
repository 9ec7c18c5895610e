# The HTML report's page, script and style (web/) embedded into the binary at build time as
# ${PROJECT_BINARY_DIR}/generated/ctxtrail_web_assets.h. The script is web/report/*.js joined in
# file-name order (cmake/embed_web_assets.cmake, web/report/README.md); the glob is checked again
# at every build, so a new module needs no edit here. The joined script is also written to
# generated/ctxtrail_report.js, which the test report_js_syntax parses with node when installed.
file(GLOB CTXTRAIL_REPORT_MODULES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/web/report/*.js)
# The list of modules as a file that changes only when the list does: removing a module makes
# the header older than it, so the module leaves the script.
list(JOIN CTXTRAIL_REPORT_MODULES "\n" modules_text)
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/generated/ctxtrail_report_modules.txt CONTENT "${modules_text}\n" @ONLY)
set(CTXTRAIL_WEB_FILES ${PROJECT_SOURCE_DIR}/web/report.html ${PROJECT_SOURCE_DIR}/web/report.css
    ${CTXTRAIL_REPORT_MODULES})
set(CTXTRAIL_WEB_HEADER ${PROJECT_BINARY_DIR}/generated/ctxtrail_web_assets.h)
set(CTXTRAIL_REPORT_JS ${PROJECT_BINARY_DIR}/generated/ctxtrail_report.js)
add_custom_command(
  OUTPUT ${CTXTRAIL_WEB_HEADER} ${CTXTRAIL_REPORT_JS}
  COMMAND ${CMAKE_COMMAND} -DOUT=${CTXTRAIL_WEB_HEADER} -DJS_OUT=${CTXTRAIL_REPORT_JS}
          -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/embed_web_assets.cmake
  DEPENDS ${CTXTRAIL_WEB_FILES} ${PROJECT_BINARY_DIR}/generated/ctxtrail_report_modules.txt
          ${PROJECT_SOURCE_DIR}/cmake/embed_web_assets.cmake
  COMMENT "Embedding web/ report assets"
  VERBATIM)
add_custom_target(ctxtrail_web_assets DEPENDS ${CTXTRAIL_WEB_HEADER})
add_dependencies(ctxtrail_render ctxtrail_web_assets)

find_program(NODE_EXECUTABLE node)
if(NODE_EXECUTABLE)
  add_test(NAME report_js_syntax COMMAND ${NODE_EXECUTABLE} --check ${CTXTRAIL_REPORT_JS})
endif()
