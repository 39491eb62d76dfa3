# cmake -DINPUT=file -DOUTPUT=header.h -DSYMBOL=name -P embed_text.cmake
# Writes a header defining `inline constexpr std::string_view SYMBOL` with INPUT's bytes,
# as a raw string split into chunks (compilers limit the length of one string literal).
file(READ "${INPUT}" content)
string(LENGTH "${content}" len)
set(out "// Generated from ${INPUT}; do not edit.\n#pragma once\n#include <string_view>\n")
string(APPEND out "inline constexpr std::string_view ${SYMBOL} =\n")
set(pos 0)
while(pos LESS len)
  string(SUBSTRING "${content}" ${pos} 2000 chunk)
  string(APPEND out "    R\"nlab(${chunk})nlab\"\n")
  math(EXPR pos "${pos} + 2000")
endwhile()
if(len EQUAL 0)
  string(APPEND out "    \"\"\n")
endif()
string(APPEND out "    ;\n")
file(WRITE "${OUTPUT}" "${out}")
