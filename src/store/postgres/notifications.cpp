#include "store/postgres/notifications.h"

#include <nlohmann/json.hpp>

#include <chrono>

#include "rapporteur/log.h"
#include "store/postgres/connection.h"

namespace rapporteur::postgres {
namespace {

constexpr size_t kMaxPayload = 7000;

nlohmann::json payload_of(const std::string& instance, bool people) {
  return {{"from", instance}, {"people", people}, {"sessions", nlohmann::json::array()}};
}

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& c, const std::string& instance, const NotificationListener::Callback& on_commit)
      : pqxx::notification_receiver(c, kChannel), instance_(instance), on_commit_(on_commit) {}
  void operator()(const std::string& payload, int) override {
    nlohmann::json j = nlohmann::json::parse(payload, nullptr, false);
    if (!j.is_object() || j.value("from", "") == instance_) return;
    std::vector<std::string> sessions;
    if (j.contains("sessions") && j["sessions"].is_array()) {
      for (const auto& s : j["sessions"]) {
        if (s.is_string()) sessions.push_back(s.get<std::string>());
      }
    }
    const bool people = j.contains("people") && j["people"].is_boolean() && j["people"].get<bool>();
    on_commit_(sessions, people);
  }

 private:
  const std::string& instance_;
  const NotificationListener::Callback& on_commit_;
};

}  // namespace

std::vector<std::string> notification_payloads(const std::string& instance, const std::vector<std::string>& sessions,
                                               bool people) {
  std::vector<std::string> out;
  nlohmann::json current = payload_of(instance, people);
  size_t size = current.dump().size();
  for (const std::string& s : sessions) {
    const size_t added = nlohmann::json(s).dump().size() + 1;
    if (!current["sessions"].empty() && size + added > kMaxPayload) {
      out.push_back(current.dump());
      current = payload_of(instance, people);
      size = current.dump().size();
    }
    current["sessions"].push_back(s);
    size += added;
  }
  out.push_back(current.dump());
  return out;
}

NotificationListener::NotificationListener(std::string url, std::string instance, Callback on_commit)
    : url_(std::move(url)), instance_(std::move(instance)), on_commit_(std::move(on_commit)) {
  std::future<void> listening = listening_.get_future();
  thread_ = std::thread([this] { run(); });
  // A commit of another instance made once the store is open is never
  // missed: the store opens only once this one listens (or after 10 s,
  // when the first connection failed; it is told of everything when the
  // listening starts).
  listening.wait_for(std::chrono::seconds(10));
}

NotificationListener::~NotificationListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void NotificationListener::run() {
  bool told = false;
  while (!stopping_) {
    try {
      Conn conn(url_);
      Receiver receiver(conn.raw(), instance_, on_commit_);
      // Whatever was committed before this listening began (while the
      // connection was down, or before the first one) was not notified to
      // it: every session is treated as touched.
      pqxx::read_transaction t(conn.raw());
      std::vector<std::string> all;
      for (const auto& r : t.exec("SELECT id FROM sessions")) all.push_back(r[0].as<std::string>());
      t.commit();
      on_commit_(all, true);
      if (!told) {
        told = true;
        listening_.set_value();
      }
      while (!stopping_) conn.raw().await_notification(0, 200000);
    } catch (const std::exception& e) {
      if (stopping_) break;
      log_error(std::string("the commit notifications' connection broke; connecting again: ") + e.what());
      for (int i = 0; i < 5 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace rapporteur::postgres
