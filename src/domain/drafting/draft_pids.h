// The pid counter shared by assign_pids (draft_pids.cpp) and apply_edits
// (draft_edits.cpp). Not part of the public contract.
#pragma once

#include "rapporteur/draft.h"

namespace rapporteur {

// Raises `next_seq` above every "p<N>" pid of `doc`, and to at least 1, so
// that a pid made from it collides with none of them.
void raise_seq(const Document& doc, int& next_seq);

}  // namespace rapporteur
