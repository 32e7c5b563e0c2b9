# V8's headers change object layouts with a handful of build defines. The embedder must
# compile with exactly the ones libnode was built with, or the isolate crashes on first
# use. Read them from the config.gypi that libnode-dev ships instead of hard-coding,
# so a different Debian libnode cannot silently mismatch.
set(_gypi "${KILN_LIBNODE_ROOT}/usr/include/node/config.gypi")
if(NOT EXISTS "${_gypi}")
  message(FATAL_ERROR "missing ${_gypi}: cannot tell how libnode's V8 was built")
endif()
file(READ "${_gypi}" _gypi_text)

set(_v8_defines "")
if(_gypi_text MATCHES "'v8_enable_pointer_compression': 1")
  list(APPEND _v8_defines V8_COMPRESS_POINTERS V8_COMPRESS_POINTERS_IN_ISOLATE_CAGE)
endif()
if(_gypi_text MATCHES "'v8_enable_31bit_smis_on_64bit_arch': 1")
  list(APPEND _v8_defines V8_31BIT_SMIS_ON_64BIT_ARCH)
endif()
if(_gypi_text MATCHES "'v8_enable_sandbox': 1")
  list(APPEND _v8_defines V8_SANDBOX)
endif()
message(STATUS "kiln: V8 ABI defines from libnode: ${_v8_defines}")

add_library(kiln_v8_abi INTERFACE)
target_compile_definitions(kiln_v8_abi INTERFACE ${_v8_defines})
target_link_libraries(kiln_v8_abi INTERFACE kiln::v8)
