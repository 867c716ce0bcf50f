# Turns a text file into a C++ translation unit defining `extern const char SYMBOL[]`.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT} "// generated from ${INPUT}, do not edit\n#include <cstddef>\nnamespace dm {\nextern const char ${SYMBOL}[] = {${bytes} 0x00};\nextern const std::size_t ${SYMBOL}Size = sizeof(${SYMBOL}) - 1;\n}\n")
