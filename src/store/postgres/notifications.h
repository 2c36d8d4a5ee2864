// Commits of other instances sharing the database: each committed write
// batch sends a notification on one channel naming the sessions it touched
// and whether it changed people; every instance listens on that channel.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace rapporteur::postgres {

inline constexpr const char* kChannel = "rapporteur_commits";

// The notifications one batch sends (at least one, so that every commit
// moves the other instances' generations): JSON objects of at most about
// 7,000 bytes each (PostgreSQL's limit is 8,000), the sessions split among
// them. Pure.
std::vector<std::string> notification_payloads(const std::string& instance, const std::vector<std::string>& sessions,
                                               bool people);

// Listens on its own connection, on a thread, until destroyed; the
// constructor returns once it listens (or after 10 s). Calls
// `on_commit(sessions, people_changed)` for each notification sent by an
// instance other than `instance`. Each time its listening starts (the
// first time, and after the connection was lost and made again), commits
// may have gone unnotified: it then calls `on_commit` with every session of
// the database and people_changed set.
class NotificationListener {
 public:
  using Callback = std::function<void(const std::vector<std::string>&, bool)>;
  NotificationListener(std::string url, std::string instance, Callback on_commit);
  ~NotificationListener();
  NotificationListener(const NotificationListener&) = delete;
  NotificationListener& operator=(const NotificationListener&) = delete;

 private:
  void run();
  std::string url_;
  std::string instance_;
  Callback on_commit_;
  std::atomic<bool> stopping_{false};
  std::promise<void> listening_;  // set once, when the first LISTEN is in place
  std::thread thread_;
};

}  // namespace rapporteur::postgres
