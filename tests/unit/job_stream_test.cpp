#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api/job_socket.h"

namespace dm::api {
namespace {

std::vector<std::string> Stream(const std::vector<nlohmann::json>& jobs) {
  JobStream stream;
  std::vector<std::string> sent;
  for (const auto& job : jobs)
    stream.Send(job, [&](const std::string& text) {
      const auto j = nlohmann::json::parse(text);
      sent.push_back(j["status"].get<std::string>() + " " + j["progress"].dump());
    });
  return sent;
}

nlohmann::json Job(const std::string& status, double progress) {
  return {{"id", "j1"}, {"status", status}, {"progress", progress}};
}

// The snapshot read before a change but sent after it (tests/api saw 1.0, 0.0, 100).
TEST(JobStream, DropsAStateOlderThanTheLastSent) {
  EXPECT_EQ(Stream({Job("running", 1), Job("running", 0), Job("running", 40), Job("succeeded", 100)}),
            (std::vector<std::string>{"running 1.0", "running 40.0", "succeeded 100.0"}));
  EXPECT_EQ(Stream({Job("running", 5), Job("queued", 0), Job("running", 5)}),
            (std::vector<std::string>{"running 5.0", "running 5.0"}));
}

TEST(JobStream, AlwaysSendsTheEndOfAJob) {
  EXPECT_EQ(Stream({Job("queued", 0), Job("running", 60), Job("failed", 60), Job("failed", 60)}),
            (std::vector<std::string>{"queued 0.0", "running 60.0", "failed 60.0", "failed 60.0"}));
  EXPECT_EQ(Stream({Job("canceled", 10), Job("running", 20)}), (std::vector<std::string>{"canceled 10.0"}));
}

}  // namespace
}  // namespace dm::api
