# Two interface targets carry the build policy; every project target links both.

add_library(newsmon_settings INTERFACE)
target_compile_features(newsmon_settings INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
target_compile_definitions(newsmon_settings INTERFACE
  $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>
  NEWSMON_VERSION="${PROJECT_VERSION}")
if(NEWSMON_SANITIZE)
  target_compile_options(newsmon_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(newsmon_settings INTERFACE -fsanitize=address,undefined)
endif()

if(NEWSMON_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "NEWSMON_FUZZ needs clang: CXX=clang++ cmake -DNEWSMON_FUZZ=ON ...")
  endif()
  target_compile_options(newsmon_settings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  target_link_options(newsmon_settings INTERFACE -fsanitize=address,undefined)
endif()

add_library(newsmon_warnings INTERFACE)
target_compile_options(newsmon_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${NEWSMON_WERROR}>:-Werror>)
# GCC 12 at -O3 reports impossible overlaps inside std::string concatenation (GCC bug 105329):
# false positives in libstdc++, not in this code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(newsmon_warnings INTERFACE -Wno-restrict)
endif()

# The two libraries compile as unity builds: batches of their files as one translation unit,
# so the heavy library headers (nlohmann/json, libpqxx, spdlog) are parsed and their templates
# instantiated once per batch, not once per file: about half the build time. Names in a
# file's anonymous namespace must therefore be unique within its library.
# NEWSMON_UNITY=OFF compiles file by file (which also shows an #include a file forgot).
option(NEWSMON_UNITY "Compile the libraries in batches of files (unity build)" ON)
function(newsmon_unity_build target)
  if(NEWSMON_UNITY)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  endif()
endfunction()
