#include "rapporteur/poll.h"

#include "rapporteur/wire_names.h"

namespace rapporteur {
namespace {

const WireName<PollState> kStateNames[] = {{PollState::pending, "pending"},
                                           {PollState::open, "open"},
                                           {PollState::closed, "closed"},
                                           {PollState::cancelled, "cancelled"}};
const WireName<PollSubject> kSubjectNames[] = {{PollSubject::amendment, "amendment"},
                                               {PollSubject::adoption, "adoption"}};

}  // namespace

std::string poll_name(int64_t id) { return "poll " + std::to_string(id); }

nlohmann::json poll_subject_json(const Poll& p) { return {{poll_subject_name(p.subject_kind), p.subject_id}}; }

const char* poll_state_name(PollState s) { return wire_name_in(kStateNames, s); }
std::optional<PollState> parse_poll_state(std::string_view name) { return parse_wire_in(kStateNames, name); }
const char* poll_subject_name(PollSubject s) { return wire_name_in(kSubjectNames, s); }
std::optional<PollSubject> parse_poll_subject(std::string_view name) { return parse_wire_in(kSubjectNames, name); }

}  // namespace rapporteur
