# Imported target kiln::v8: V8 headers and libnode.so.108 from the copy that
# scripts/setup unpacked into the build tree (libnode108 conflicts with `nodejs`, so it
# is never installed system-wide by us).
set(KILN_LIBNODE_ROOT "${CMAKE_BINARY_DIR}/deps/libnode" CACHE PATH "unpacked libnode108 + libnode-dev")
set(_libnode_lib "${KILN_LIBNODE_ROOT}/usr/lib/x86_64-linux-gnu/libnode.so.108")
set(_libnode_inc "${KILN_LIBNODE_ROOT}/usr/include/node")
if(NOT EXISTS "${_libnode_lib}" OR NOT EXISTS "${_libnode_inc}/v8.h")
  message(FATAL_ERROR "libnode not found under ${KILN_LIBNODE_ROOT}: run scripts/setup first")
endif()
add_library(kiln_v8 SHARED IMPORTED GLOBAL)
set_target_properties(kiln_v8 PROPERTIES
  IMPORTED_LOCATION "${_libnode_lib}"
  IMPORTED_NO_SONAME OFF
  INTERFACE_INCLUDE_DIRECTORIES "${_libnode_inc}")
add_library(kiln::v8 ALIAS kiln_v8)
set(KILN_LIBNODE_LIBDIR "${KILN_LIBNODE_ROOT}/usr/lib/x86_64-linux-gnu")
