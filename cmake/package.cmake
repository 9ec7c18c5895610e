# `cpack -G DEB` in a build tree: a Debian package of what cmake/install.cmake installs. Its
# dependencies are the shared libraries the binary really links, worked out by dpkg-shlibdeps.
set(CPACK_PACKAGE_NAME ctxtrail)
set(CPACK_PACKAGE_VENDOR "ctxtrail")
set(CPACK_PACKAGE_CONTACT "ctxtrail developers <ctxtrail@users.noreply.github.com>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "find broken context cancellation chains and leaked goroutines in Go traces")
set(CPACK_PACKAGE_DESCRIPTION "ctxtrail reads Go execution traces, goroutine dumps and goroutine profiles,
rebuilds every goroutine's and context's life, and reports where cancellation
broke (leaks, ignored ctx.Done(), slow shutdowns, cancel funcs never called),
as text, JSON, SARIF, an HTML report, Perfetto and Chrome traces.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES TRUE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE ${PROJECT_HOMEPAGE_URL})
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# ctxtrail-go-test runs go, and python3 for its SARIF and code-quality files.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "golang-go")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
