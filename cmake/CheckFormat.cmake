# cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P CheckFormat.cmake: fails when a source file
# differs from what .clang-format asks for.
file(GLOB_RECURSE sources
  ${SOURCE_DIR}/daemon/*.cpp ${SOURCE_DIR}/daemon/*.hpp
  ${SOURCE_DIR}/parsers/*.cpp ${SOURCE_DIR}/parsers/*.hpp
  ${SOURCE_DIR}/tests/*.cpp ${SOURCE_DIR}/tests/*.hpp
  ${SOURCE_DIR}/bench/*.cpp ${SOURCE_DIR}/bench/*.hpp)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${sources}
  RESULT_VARIABLE result ERROR_VARIABLE diagnostics)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "clang-format found unformatted code (run scripts/format):\n${diagnostics}")
endif()
