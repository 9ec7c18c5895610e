# ctxtrail_version: the library holding ctxtrail::version() (include/ctxtrail/version.h), its
# source written at every build by cmake/write_version.cmake from `git describe`.
set(CTXTRAIL_VERSION_CC ${PROJECT_BINARY_DIR}/generated/ctxtrail_version.cc)
add_custom_target(ctxtrail_version_source
  COMMAND ${CMAKE_COMMAND} -DOUT=${CTXTRAIL_VERSION_CC} -DBASE=${PROJECT_VERSION}
          -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${PROJECT_SOURCE_DIR}/cmake/write_version.cmake
  BYPRODUCTS ${CTXTRAIL_VERSION_CC}
  COMMENT "Working out the version"
  VERBATIM)
add_library(ctxtrail_version STATIC ${CTXTRAIL_VERSION_CC})
add_dependencies(ctxtrail_version ctxtrail_version_source)
target_include_directories(ctxtrail_version PUBLIC ${PROJECT_SOURCE_DIR}/include)
