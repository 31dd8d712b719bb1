// Runs the real binaries for end-to-end tests: spawn with pipes, read with deadlines, signal.
#pragma once

#include <sys/types.h>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace e2e {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv to completion (killed after timeout); env entries are added to the environment.
RunResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
              std::chrono::milliseconds timeout = std::chrono::seconds(30), const std::string& cwd = "");

// A long-running child (cxone-mock serve).
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();
  // Reads stdout until a line starting with prefix arrives; returns that line.
  std::optional<std::string> wait_for_line(const std::string& prefix, std::chrono::milliseconds timeout);
  // Sends sig and waits for exit; returns the exit code (-1 on timeout, then SIGKILL).
  int stop(int sig, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::string drain_stderr();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::string out_buf_;
};

// A loopback port nothing listens on (bound by the OS, then closed).
int closed_port();

}  // namespace e2e
