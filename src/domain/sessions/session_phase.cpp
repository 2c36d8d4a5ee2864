#include "rapporteur/session.h"

#include "rapporteur/wire_names.h"

namespace rapporteur {
namespace {

const WireName<SessionPhase> kPhaseNames[] = {
    {SessionPhase::drafting, "drafting"}, {SessionPhase::amending, "amending"}, {SessionPhase::adopted, "adopted"}};

}  // namespace

const char* session_phase_name(SessionPhase p) { return wire_name_in(kPhaseNames, p); }
std::optional<SessionPhase> parse_session_phase(std::string_view name) { return parse_wire_in(kPhaseNames, name); }

}  // namespace rapporteur
