# What `cmake --install` and `cpack -G DEB` ship: the stripped tool, its man page and shell
# completions (written at build time by the tool itself from its own command line, so they never
# drift from it), the README and the licence (with Debian's copyright file and changelog).
include(GNUInstallDirs)

set(CTXTRAIL_SHARE ${PROJECT_BINARY_DIR}/share)
set(CTXTRAIL_MAN_PAGE ${CTXTRAIL_SHARE}/ctxtrail.1)
set(CTXTRAIL_COMPLETIONS ${CTXTRAIL_SHARE}/ctxtrail.bash ${CTXTRAIL_SHARE}/_ctxtrail ${CTXTRAIL_SHARE}/ctxtrail.fish)
add_custom_command(
  OUTPUT ${CTXTRAIL_MAN_PAGE} ${CTXTRAIL_COMPLETIONS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CTXTRAIL_SHARE}
  COMMAND ctxtrail manpage -o ${CTXTRAIL_MAN_PAGE}
  COMMAND ctxtrail completion bash -o ${CTXTRAIL_SHARE}/ctxtrail.bash
  COMMAND ctxtrail completion zsh -o ${CTXTRAIL_SHARE}/_ctxtrail
  COMMAND ctxtrail completion fish -o ${CTXTRAIL_SHARE}/ctxtrail.fish
  DEPENDS ctxtrail
  COMMENT "Writing the man page and shell completions"
  VERBATIM)
# Compressed as Debian's policy asks (man reads either); -n: no name or time in the header, so
# the bytes depend on the text alone.
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in ${CTXTRAIL_SHARE}/changelog @ONLY)
set(CTXTRAIL_WRAPPER_MAN ${PROJECT_SOURCE_DIR}/packaging/ctxtrail-go-test.1)
add_custom_command(
  OUTPUT ${CTXTRAIL_MAN_PAGE}.gz ${CTXTRAIL_SHARE}/ctxtrail-go-test.1.gz ${CTXTRAIL_SHARE}/changelog.gz
  COMMAND sh -c "gzip -9nc ctxtrail.1 > ctxtrail.1.gz && gzip -9nc changelog > changelog.gz && gzip -9nc \"$0\" > ctxtrail-go-test.1.gz" ${CTXTRAIL_WRAPPER_MAN}
  WORKING_DIRECTORY ${CTXTRAIL_SHARE}
  DEPENDS ${CTXTRAIL_MAN_PAGE} ${CTXTRAIL_SHARE}/changelog ${CTXTRAIL_WRAPPER_MAN}
  VERBATIM)
add_custom_target(ctxtrail_docs ALL DEPENDS ${CTXTRAIL_MAN_PAGE}.gz ${CTXTRAIL_SHARE}/ctxtrail-go-test.1.gz
                  ${CTXTRAIL_SHARE}/changelog.gz ${CTXTRAIL_COMPLETIONS})

# The binary is installed stripped (the build tree's keeps its debug information): the same as
# `cmake --install --strip`, without having to ask.
install(CODE "set(CMAKE_INSTALL_DO_STRIP TRUE)")
install(TARGETS ctxtrail RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The go test wrapper of docs/ci.md.
install(PROGRAMS contrib/ctxtrail-go-test DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CTXTRAIL_MAN_PAGE}.gz ${CTXTRAIL_SHARE}/ctxtrail-go-test.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CTXTRAIL_SHARE}/ctxtrail.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME ctxtrail)
install(FILES ${CTXTRAIL_SHARE}/_ctxtrail DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${CTXTRAIL_SHARE}/ctxtrail.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES README.md docs/ci.md LICENSE packaging/copyright ${CTXTRAIL_SHARE}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
