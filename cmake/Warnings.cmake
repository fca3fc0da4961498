# Warnings for the project's own targets: idp_warnings(target).
function(idp_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
      -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes>)
  # GCC 12 reports std::string concatenation inlined from libstdc++ as
  # overlapping memcpy (GCC bug 105651, fixed in 13): a false -Wrestrict.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
  endif()
  if(IDP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
