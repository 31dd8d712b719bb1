# The Debian package (ci/package.sh runs cpack -G DEB): what cmake --install installs, under /usr,
# stripped. Depends is computed by dpkg-shlibdeps from the shared libraries the programs and their
# modules link (libevent, libcurl, OpenSSL, simdjson, yaml-cpp, libzip, pugixml, jemalloc, ...),
# never listed by hand; the output is build/package/cxone-harness_<version>_<arch>.deb.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cxone-harness)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "cxone-harness maintainers")
set(CPACK_PACKAGE_CONTACT "cxone-harness maintainers <maintainers@users.noreply.b-seed-2a261d90.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "contract tests for the handover of a Cognigy bot session to NICE CXone or Genesys Cloud")
# The long description, under the summary line (CPack indents each line by one space).
set(CPACK_PACKAGE_DESCRIPTION
    "handover-diag runs a handover step by step against a contact centre or a mock and classifies
a failure into a stable code with evidence and a fix; it validates payloads, contracts and
released Cognigy flows, replays scenario libraries in CI and detects drift from a tenant.
cxone-mock serves scenario files, Pact files and OpenAPI documents as a mock contact-centre
API, and records real traffic into scenarios with secrets redacted.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The modules live in a private folder: dpkg-shlibdeps resolves their libraries all the same.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/package)
include(CPack)
