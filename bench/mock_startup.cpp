// Start-up of cxone-mock: wall time from launch (posix_spawn) to the first HTTP 200 on GET
// conversation, read on a raw socket, so no interpreter or HTTP library is in the measurement.
//   mock_startup CXONE_MOCK FIXTURE [RUNS]   prints median, min and p90 in milliseconds
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern char** environ;

namespace {

double since_ms(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// One launch: spawn serve --port 0, read the listening line, GET, read the status line.
bool one_run(const char* mock, const char* fixture, double& ms) {
  int out[2];
  if (pipe(out) != 0) return false;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {mock, "serve", "--port", "0", "--fixtures", fixture};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = 0;
  int rc = posix_spawn(&pid, mock, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) return false;
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
  bool ok = false;
  if (auto colon = line.rfind(':'); colon != std::string::npos) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(std::stoi(line.substr(colon + 1))));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const std::string req =
        "GET /api/v2/conversations/3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47 HTTP/1.1\r\nHost: x\r\n\r\n";
    char buf[32] = {};
    if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size()) && read(fd, buf, sizeof buf - 1) > 12) {
      ms = since_ms(t0);
      ok = std::strncmp(buf, "HTTP/1.1 200", 12) == 0;
    }
    close(fd);
  }
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  close(out[0]);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: mock_startup CXONE_MOCK FIXTURE [RUNS]\n");
    return 2;
  }
  int runs = argc > 3 ? std::max(1, std::atoi(argv[3])) : 30;
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    double t = 0;
    if (!one_run(argv[1], argv[2], t)) {
      std::fprintf(stderr, "mock_startup: run %d did not get a 200\n", i + 1);
      return 1;
    }
    ms.push_back(t);
  }
  std::sort(ms.begin(), ms.end());
  std::printf("cxone-mock launch -> first 200: median %.1f ms, min %.1f ms, p90 %.1f ms (%d runs)\n", ms[ms.size() / 2],
              ms.front(), ms[ms.size() * 9 / 10], runs);
  return 0;
}
