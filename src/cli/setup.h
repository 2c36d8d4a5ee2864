// Importing a session description from a file (the import command and the
// sample loaded on first start).
#pragma once

#include <ostream>
#include <string>

#include "rapporteur/app.h"

namespace rapporteur::cli {

// Creates the session in `path`; with `today`, its date becomes today's in
// its time zone. Prints the people's roles and join links. Exit code.
int import_file(App& app, const std::string& path, bool today, std::ostream& out);

// Imports `path` dated today when the database holds no session yet, along
// with the sample's breakout notes (notes/<breakout>.md beside it) as the
// rapporteurs' first fragments.
int load_sample_if_empty(App& app, const std::string& path, std::ostream& out);

}  // namespace rapporteur::cli
