# Writes OUT: a C++ source defining `const std::string& FUNC()` returning IN.
file(READ "${IN}" content)
set(body "// Generated from ${IN} by cmake/embed_file.cmake. Do not edit.\n#include <string>\n\nnamespace rapporteur::http {\n\nconst std::string& ${FUNC}() {\n  static const std::string kText = R\"rapporteur_embed(${content})rapporteur_embed\";\n  return kText;\n}\n\n}  // namespace rapporteur::http\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
