// The mock under hostile clients and the programs under hostile outputs (issue: hostile input,
// second pass). Each test runs the real binaries and checks two things: the attack is bounded
// (memory, descriptors, time), and a normal client is still answered within 100 ms while it
// goes on.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "e2e_support.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace e2e {
namespace {

using Clock = std::chrono::steady_clock;

// The whole answer to a GET on a fresh connection ("" when none in 5 s).
std::string http_get(int port, const std::string& path) {
  int fd = connect_loopback(port);
  if (fd < 0) return "";
  std::string req = "GET ";
  req += path;
  req += " HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n";
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string answer;
  auto until = Clock::now() + std::chrono::seconds(5);
  while (Clock::now() < until) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

// Milliseconds until GET /__admin/health is answered 200 on a fresh connection (-1: not in 5 s).
double health_ms(int port) {
  auto started = Clock::now();
  if (!http_get(port, "/__admin/health").starts_with("HTTP/1.1 200")) return -1;
  return std::chrono::duration<double, std::milli>(Clock::now() - started).count();
}

// The median of five health checks: one scheduling hiccup on a busy CI machine is not the
// mock being starved; a starved mock misses them all.
double median_health_ms(int port) {
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    double t = health_ms(port);
    ms.push_back(t < 0 ? 1e9 : t);
  }
  std::sort(ms.begin(), ms.end());
  return ms[2];
}

std::string post_request(const std::string& body, bool close) {
  std::string req = "POST /__admin/fixtures HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n";
  if (close) req += "Connection: close\r\n";
  req += "Content-Length: ";
  req += std::to_string(body.size());
  req += "\r\n\r\n";
  req += body;
  return req;
}

long rss_kib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return -1;
}

constexpr double kAnsweredWithinMs = 100;

// Under AddressSanitizer freed memory waits in a quarantine (256 MB by default) before reuse,
// which would read as growth: the sanitizer suite's mock gets a small one for the memory tests
// (the option means nothing to a normal build).
struct SmallSanitizerQuarantine {
  std::string saved;
  bool had = false;
  SmallSanitizerQuarantine() {
    if (const char* v = std::getenv("ASAN_OPTIONS")) {
      saved = v;
      had = true;
    }
    std::string options =
        saved + (saved.empty() ? "" : ":") + "quarantine_size_mb=1:thread_local_quarantine_size_kb=64";
    ::setenv("ASAN_OPTIONS", options.c_str(), 1);
  }
  ~SmallSanitizerQuarantine() {
    if (had)
      ::setenv("ASAN_OPTIONS", saved.c_str(), 1);
    else
      ::unsetenv("ASAN_OPTIONS");
  }
};

TEST(HostileClient, PipeliningWithoutReadingStaysBoundedAndOthersAreServed) {
  SmallSanitizerQuarantine quarantine;
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(mock.url().empty());
  int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
  long before = rss_kib(mock.child().pid());
  int fd = connect_loopback(port, false);
  ASSERT_GE(fd, 0);
  std::string burst;
  for (int i = 0; i < 1000; ++i) burst += "GET /__admin/health HTTP/1.1\r\nHost: mock\r\n\r\n";
  std::size_t sent = 0;
  auto until = Clock::now() + std::chrono::seconds(3);
  while (Clock::now() < until) {  // write as fast as the mock takes it, never read
    ssize_t n = ::send(fd, burst.data(), burst.size(), MSG_NOSIGNAL);
    if (n > 0)
      sent += static_cast<std::size_t>(n);
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  long during = rss_kib(mock.child().pid());
  EXPECT_LT(median_health_ms(port), kAnsweredWithinMs);
  ::close(fd);
  std::printf("[ figures ] pipelining client: %zu bytes sent unread in 3 s; mock RSS %ld KiB before, %ld KiB during\n",
              sent, before, during);
  EXPECT_LT(during - before, 32 * 1024) << "the mock buffered what the client sent without bound";
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << mock.child().drain_stderr();
}

TEST(HostileClient, IdleConnectionsBeyondTheFileLimitDoNotStarveANormalClient) {
  // The mock runs with 256 descriptors; the test opens 2,000 idle connections to it.
  rlimit mine{};
  getrlimit(RLIMIT_NOFILE, &mine);
  if (mine.rlim_max < 4096)
    GTEST_SKIP() << "this test needs 4,096 descriptors of its own (hard limit " << mine.rlim_max << ")";
  rlimit raised = mine;
  raised.rlim_cur = std::min<rlim_t>(mine.rlim_max, 8192);
  setrlimit(RLIMIT_NOFILE, &raised);
  Child mock({"/bin/sh", "-c", "ulimit -n 256 && exec \"$0\" \"$@\"", kMock, "serve", "--fixtures",
              kFixtures + "/transfer-202-happy-path.json", "--port", "0"});
  auto line = mock.wait_for_line("listening on ", std::chrono::seconds(10));
  ASSERT_TRUE(line);
  int port = std::stoi(line->substr(line->rfind(':') + 1));
  std::vector<int> idle;
  for (int i = 0; i < 2000; ++i)
    if (int fd = connect_loopback(port, false); fd >= 0) idle.push_back(fd);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  double ms = median_health_ms(port);
  long rss = rss_kib(mock.pid());
  for (int fd : idle) ::close(fd);
  setrlimit(RLIMIT_NOFILE, &mine);
  std::printf(
      "[ figures ] 2,000 idle connections against 256 descriptors: health answered in %.1f ms (median of 5), RSS %ld "
      "KiB\n",
      ms, rss);
  EXPECT_LT(ms, kAnsweredWithinMs);
  const int code = mock.stop(SIGTERM);
  std::string err = mock.drain_stderr();
  EXPECT_EQ(code, 0) << err;
  EXPECT_LT(std::count(err.begin(), err.end(), '\n'), 20) << "the log must be rate-limited:\n" << err.substr(0, 2000);
}

// One request of each kind that froze, crashed or confused the mock, sent in a loop by one
// client while another checks that health is still answered within 100 ms.
struct Attack {
  std::string name;
  std::string request;
};

void PrintTo(const Attack& a, std::ostream* os) { *os << a.name; }

std::string repeat(char c, std::size_t n) { return std::string(n, c); }

std::vector<Attack> attacks() {
  std::string deep = repeat('[', 60000) + repeat(']', 60000);
  std::string field = "{\"x\": \"" + repeat('b', 10000) + "\"}";
  return {
      {"backtracking_path_pattern",
       "GET /r/" + repeat('a', 40) + "! HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n"},
      {"regex_on_a_30_KB_basic_header",
       "GET /t HTTP/1.1\r\nHost: mock\r\nAuthorization: Basic " + repeat('Q', 30000) + "\r\nConnection: close\r\n\r\n"},
      {"regex_on_a_10_KB_body_field",
       "POST /b HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nConnection: close\r\n"
       "Content-Length: " +
           std::to_string(field.size()) + "\r\n\r\n" + field},
      {"body_nested_60000_deep",
       "POST /j HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nConnection: close\r\n"
       "Content-Length: " +
           std::to_string(deep.size()) + "\r\n\r\n" + deep},
      {"two_content_lengths",
       "POST /b HTTP/1.1\r\nHost: mock\r\nContent-Length: 7\r\nContent-Length: 48\r\n\r\n{\"a\":1}"
       "GET /__admin/health HTTP/1.1\r\nHost: mock\r\n\r\n"},
  };
}

class AttackInALoop : public ::testing::TestWithParam<Attack> {};

TEST_P(AttackInALoop, LeavesTheMockAnsweringOthersWithin100Ms) {
  TempDir dir;
  ServedFixture mock(dir, R"({"fixtureVersion": 1, "name": "hostile", "interactions": [
      {"id": "redos", "request": {"method": "GET", "pathPattern": "^/r/(a+)+$"}, "response": {"status": 200}},
      {"id": "basic", "request": {"method": "GET", "path": "/t", "headers": {"Authorization": {"matches": "^Basic [A-Za-z0-9+/]+=*$"}}},
       "response": {"status": 200}},
      {"id": "field", "request": {"method": "POST", "path": "/b", "bodyFields": {"/x": {"matches": "^(a|b)*$"}}}, "response": {"status": 200}},
      {"id": "json", "request": {"method": "POST", "path": "/j", "json": {"a": {"b": 1}}}, "response": {"status": 200}}]})",
                     {"--threads", "1"});
  ASSERT_FALSE(mock.url.empty());
  std::atomic<bool> stop{false};
  std::atomic<int> sent{0};
  const std::string request = GetParam().request;
  std::thread attacker([&] {
    while (!stop) {
      int fd = connect_loopback(mock.port());
      if (fd < 0) continue;
      (void)::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
      char buf[4096];
      while (::recv(fd, buf, sizeof buf, 0) > 0) {
      }
      ::close(fd);
      ++sent;
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  double ms = median_health_ms(mock.port());
  stop = true;
  attacker.join();
  std::printf("[ figures ] %s: %d attacking requests; health answered in %.1f ms (median of 5)\n",
              GetParam().name.c_str(), sent.load(), ms);
  EXPECT_GT(sent.load(), 0);
  EXPECT_LT(ms, kAnsweredWithinMs);
  EXPECT_EQ(mock.child.stop(SIGTERM, std::chrono::seconds(5)), 0) << "SIGTERM must end the mock";
}

INSTANTIATE_TEST_SUITE_P(Hostile, AttackInALoop, ::testing::ValuesIn(attacks()),
                         [](const auto& info) { return info.param.name; });

std::string big_fixture(const std::string& name, int n) {
  util::Json doc = {{"fixtureVersion", 1}, {"name", name}, {"interactions", util::Json::array()}};
  for (int i = 0; i < n; ++i) {
    std::string number = std::to_string(i);
    std::string id = "i", path = "/big/";
    id += number;
    path += number;
    doc["interactions"].push_back({{"id", id},
                                   {"request", {{"method", "GET"}, {"path", path}}},
                                   {"response", {{"status", 200}, {"json", {{"n", i}}}}}});
  }
  return doc.dump();
}

TEST(HostileClient, ALargeFixturePostedToTheAdminApiDoesNotStopServing) {
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json", {"--threads", "1"});
  ASSERT_FALSE(mock.url().empty());
  int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
  std::string body = big_fixture("big", 50000);
  std::atomic<bool> posted{false};
  std::string answer;
  std::thread poster([&] {
    int fd = connect_loopback(port);
    std::string req = post_request(body, true);
    std::size_t off = 0;
    while (off < req.size()) {
      ssize_t n = ::send(fd, req.data() + off, req.size() - off, MSG_NOSIGNAL);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) answer.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    posted = true;
  });
  std::vector<double> during;
  while (!posted && during.size() < 20000) during.push_back(health_ms(port));
  poster.join();
  if (!during.empty()) {
    auto sorted = during;
    std::sort(sorted.begin(), sorted.end());
    std::printf(
        "[ figures ] 50,000 interactions posted to the admin API: %zu health checks during the load, median %.1f ms, "
        "worst %.1f ms\n",
        sorted.size(), sorted[sorted.size() / 2], sorted.back());
  }
  ASSERT_TRUE(answer.starts_with("HTTP/1.1 201")) << answer.substr(0, 300);
  EXPECT_NE(answer.find("\"interactions\": 50000"), std::string::npos);
  for (double ms : during) EXPECT_GE(ms, 0) << "a health check failed during the load";
  if (!during.empty()) {
    std::sort(during.begin(), during.end());
    EXPECT_LT(during[during.size() / 2], kAnsweredWithinMs);
  }
  // The posted interactions answer.
  EXPECT_TRUE(http_get(port, "/big/49999").starts_with("HTTP/1.1 200"));
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << mock.child().drain_stderr();
}

TEST(HostileClient, SigtermDuringAnAdminLoadEndsTheMockWithinItsDrain) {
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json", {"--threads", "1"});
  ASSERT_FALSE(mock.url().empty());
  int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
  std::string body = big_fixture("big", 50000);
  int fd = connect_loopback(port);
  std::string req = post_request(body, false);
  std::thread sender([&] { (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL); });
  sender.join();
  auto started = Clock::now();
  int code = mock.child().stop(SIGTERM, std::chrono::seconds(8));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  ::close(fd);
  EXPECT_GE(code, 0) << "the mock did not end after SIGTERM";
  EXPECT_LT(ms, 6000);
}

TEST(HostileClient, SighupStopsTheMockAndWritesTheJournal) {
  TempDir dir;
  fs::path journal = dir.path / "journal.json";
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json", {"--journal", journal.string()});
  ASSERT_FALSE(mock.url().empty());
  int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
  health_ms(port);
  EXPECT_EQ(mock.child().stop(SIGHUP), 0);
  EXPECT_NE(mock.child().drain_stderr().find("stopped (SIGHUP)"), std::string::npos);
  auto text = util::read_file(journal);
  ASSERT_TRUE(text) << "no journal after SIGHUP";
  EXPECT_NE(text->find("\"requests\""), std::string::npos);
}

TEST(HostileClient, TheRecorderSurvivesA100000DeepBody) {
  TempDir dir;
  RunningMock tenant(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(tenant.url().empty());
  fs::path out = dir.path / "recorded.json";
  Child recorder({kMock, "record", "--port", "0", "--target", tenant.url(), "--out", out.string()});
  auto line = recorder.wait_for_line("listening on ", std::chrono::seconds(10));
  ASSERT_TRUE(line);
  int port = std::stoi(line->substr(line->rfind(':') + 1));
  std::string deep(100000, '[');
  deep.append(100000, ']');
  int fd = connect_loopback(port);
  std::string req =
      "POST /api/v2/conversations/x HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nConnection: close\r\n";
  req += "Content-Length: ";
  req += std::to_string(deep.size());
  req += "\r\n\r\n";
  req += deep;
  (void)::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  char buf[256];
  ssize_t n = ::recv(fd, buf, sizeof buf, 0);
  ::close(fd);
  ASSERT_GT(n, 0) << "the recorder gave no answer";
  EXPECT_TRUE(std::string(buf, static_cast<std::size_t>(n)).starts_with("HTTP/1.1 "));
  EXPECT_TRUE(http_get(port, "/api/v2/conversations/" + kConv).starts_with("HTTP/1.1 "));
  EXPECT_EQ(recorder.stop(SIGTERM), 0) << recorder.drain_stderr();
  auto text = util::read_file(out);
  ASSERT_TRUE(text);
  EXPECT_TRUE(util::parse_json(*text, out.string())) << "the recording is not a loadable scenario";
}

TEST(HostileOutput, AnUnwritableSaveFixtureIsRefusedBeforeTheTransferIsSent) {
  TempDir dir;
  RunningMock mock(kFixtures + "/transfer-202-happy-path.json");
  ASSERT_FALSE(mock.url().empty());
  auto r = run({kDiag, "diagnose", "--client-id", kClient, "--client-secret", kSecret, "--conversation", kConv,
                "--queue", kQueue, "--wrapup", kWrap, "--base-url", mock.url(), "--execute", "--save-fixture",
                (dir.path / "missing" / "case.json").string()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--save-fixture"), std::string::npos) << r.err;
  std::string journal = http_get(std::stoi(mock.url().substr(mock.url().rfind(':') + 1)), "/__admin/requests");
  auto doc = util::parse_json_lenient(journal.substr(std::min(journal.size(), journal.find("\r\n\r\n") + 4)));
  ASSERT_FALSE(doc.is_discarded()) << journal;
  EXPECT_EQ(doc["total"], 0) << "a request was sent before the output path was checked";
}

TEST(HostileOutput, OutputsGoThroughDevicesAndLinksInsteadOfReplacingThem) {
  TempDir dir;
  // A symlink to a character device: written through, the link and the device stay.
  fs::path to_null = dir.path / "to-null";
  fs::create_symlink("/dev/null", to_null);
  auto r = run({kDiag, "replay", "--format", "junit", "--output", to_null.string(),
                kFixtures + "/transfer-202-happy-path.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(to_null));
  struct stat st {};
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode)) << "/dev/null was replaced";
  // A symlink to a regular file: the file gets the report, the link stays a link.
  fs::path real = dir.path / "real.xml", link = dir.path / "link.xml";
  std::ofstream(real) << "old";
  fs::create_symlink(real, link);
  r = run(
      {kDiag, "replay", "--format", "junit", "--output", link.string(), kFixtures + "/transfer-202-happy-path.json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(link));
  auto text = util::read_file(real);
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("<testsuite"), std::string::npos);
  // A FIFO with a reader: written through.
  fs::path fifo = dir.path / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string read_back;
  std::thread reader([&] {
    std::ifstream in(fifo);
    read_back.assign(std::istreambuf_iterator<char>(in), {});
  });
  r = run(
      {kDiag, "replay", "--format", "junit", "--output", fifo.string(), kFixtures + "/transfer-202-happy-path.json"});
  reader.join();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_back.find("<testsuite"), std::string::npos);
  struct stat fst {};
  ASSERT_EQ(::stat(fifo.c_str(), &fst), 0);
  EXPECT_TRUE(S_ISFIFO(fst.st_mode)) << "the FIFO was replaced by a file";
}

TEST(HostileOutput, AFailedWriteToStdoutFailsTheCommand) {
  for (const std::string format : {"text", "junit", "json"}) {
    auto r = run({"/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", kDiag, "replay", "--format", format,
                  kFixtures + "/transfer-202-happy-path.json"});
    EXPECT_EQ(r.exit_code, 2) << format << ": " << r.err;
    EXPECT_NE(r.err.find("cannot write to standard output"), std::string::npos) << r.err;
  }
  auto r = run({"/bin/sh", "-c", "exec \"$0\" \"$@\" > /dev/full", kMock, "check", kFixtures});
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace e2e
