// The bad-input table (tests/e2e/bad-inputs.json), data-driven: every case runs the real
// binary on its inputs, or sends its bytes to a real mock's socket, and must end with the
// stated exit code and error text. Held for every case besides: no crash (signal, sanitizer
// report, exit 3), no hang, a one-line error on stderr, and no file left behind but the
// inputs (outputs are written to a temp file and renamed, or not at all).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <regex>
#include <set>

#include "e2e_support.hpp"
#include "support/tls_cert.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace e2e {
namespace {

const fs::path kTable = fs::path(HARNESS_SOURCE_DIR) / "tests" / "e2e" / "bad-inputs.json";

const util::Json& table() {
  static const util::Json doc = util::Json::parse(*util::read_file(kTable));
  return doc;
}

std::vector<std::string> case_names() {
  std::vector<std::string> names;
  for (const auto& c : table()["cases"]) names.push_back(c["name"].get<std::string>());
  return names;
}

// The bytes a content spec stands for (see the table's "about").
std::string content(const util::Json& spec) {
  if (spec.is_string()) return spec.get<std::string>();
  std::string out;
  if (spec.contains("hex")) {
    auto hex = spec["hex"].get<std::string>();
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
      out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  if (spec.contains("concat"))
    for (const auto& part : spec["concat"]) out += content(part);
  if (spec.contains("text")) out += spec["text"].get<std::string>();
  if (spec.contains("repeat")) {
    auto unit = spec["repeat"].get<std::string>();
    for (int i = 0, n = spec["times"].get<int>(); i < n; ++i) out += unit;
  }
  std::string suffix = spec.contains("suffix") ? content(spec["suffix"]) : "";
  if (spec.contains("sizeBytes")) {
    auto total = spec["sizeBytes"].get<std::size_t>();
    if (out.size() + suffix.size() < total)
      out.append(total - out.size() - suffix.size(), spec["fill"].get<std::string>()[0]);
  }
  return out + suffix;
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// Shared for the whole table: a mock on the happy path over HTTP, one over HTTPS with a
// certificate nobody trusts, and a port nothing listens on.
struct Targets {
  TempDir dir;
  testsupport::TlsFiles tls;
  std::unique_ptr<RunningMock> plain, secure;
  std::string closed_url;
  Targets() {
    std::string fixture = kFixtures + "/transfer-202-happy-path.json";
    tls = testsupport::make_self_signed(dir.path);
    plain = std::make_unique<RunningMock>(fixture);
    secure =
        std::make_unique<RunningMock>(fixture, std::vector<std::string>{"--tls-cert", tls.cert, "--tls-key", tls.key});
    closed_url = "http://127.0.0.1:" + std::to_string(closed_port());
  }
};

Targets& targets() {
  static Targets t;
  return t;
}

std::string expand(std::string s, const fs::path& dir, const std::string& case_mock_url = "") {
  auto& t = targets();
  s = replace_all(s, "{secret}", kSecret);
  s = replace_all(s, "{case_mock_url}", case_mock_url);
  std::string https = t.secure->url(), http = t.plain->url();
  s = replace_all(s, "{diag}", kDiag);
  s = replace_all(s, "{mock}", kMock);
  s = replace_all(s, "{dir}", dir.string());
  s = replace_all(s, "{src}", HARNESS_SOURCE_DIR);
  s = replace_all(s, "{fixtures}", kFixtures);
  s = replace_all(s, "{mock_url_https}", "https://" + http.substr(std::string("http://").size()));
  s = replace_all(s, "{mock_url}", http);
  s = replace_all(s, "{tls_url_http}", "http://" + https.substr(std::string("https://").size()));
  s = replace_all(s, "{tls_url}", https);
  s = replace_all(s, "{tls_ca}", t.tls.cert);
  s = replace_all(s, "{closed_url}", t.closed_url);
  return s;
}

std::set<fs::path> tree(const fs::path& dir) {
  std::set<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) out.insert(e.path());
  return out;
}

// ---- socket cases -------------------------------------------------------------------------------

// Sends bytes (as far as the peer takes them) and reads until the peer closes or within_ms
// passes. Returns everything answered (whole_answer) or the first line of the answer,
// "closed" when the peer closed without one, or "" when it neither answered nor closed in time.
std::string talk(int port, const std::string& bytes, bool half_close, int within_ms, bool whole_answer = false) {
  int fd = connect_loopback(port);
  if (fd < 0) return "connect failed";
  std::size_t sent = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(within_ms);
  std::string answer;
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, static_cast<short>(POLLIN | (sent < bytes.size() ? POLLOUT : 0)), 0};
    if (poll(&p, 1, 20) <= 0) continue;
    if (p.revents & POLLIN) {
      char buf[8192];
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0)
        closed = true;
      else
        answer.append(buf, static_cast<std::size_t>(n));
    } else if (p.revents & (POLLERR | POLLHUP)) {
      closed = true;
    } else if (p.revents & POLLOUT) {
      ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n < 0)
        closed = true;  // the peer refused the rest (and may have answered already)
      else if ((sent += static_cast<std::size_t>(n)) == bytes.size() && half_close)
        shutdown(fd, SHUT_WR);
    }
    if (answer.find("\r\n\r\n") != std::string::npos && !half_close && !whole_answer) break;  // a head is enough
  }
  close(fd);
  if (whole_answer) return answer;
  if (!answer.empty()) return answer.substr(0, answer.find("\r\n"));
  return closed ? "closed" : "";
}

std::string health_line(int port) {
  return talk(port, "GET /__admin/health HTTP/1.1\r\nHost: mock\r\nConnection: close\r\n\r\n", false, 5000);
}

void run_socket_case(const util::Json& c) {
  TempDir dir;
  std::vector<std::string> extra;
  if (c.contains("mockArgs")) extra = c["mockArgs"].get<std::vector<std::string>>();
  std::string fixture = kFixtures + "/transfer-202-happy-path.json";
  if (c.contains("fixture")) {  // the mock serves this scenario instead
    fixture = (dir.path / "fixture.json").string();
    ASSERT_TRUE(util::write_file_atomic(fixture, content(c["fixture"])));
  }
  RunningMock mock(fixture, extra);
  ASSERT_FALSE(mock.url().empty()) << "the mock did not start";
  int port = std::stoi(mock.url().substr(mock.url().rfind(':') + 1));
  int within = c.value("withinMs", 5000);
  auto started = std::chrono::steady_clock::now();
  std::string got = talk(port, content(c["socket"]), c.value("halfClose", false), within);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  bool ok = false;
  for (const auto& a : c["answer"]) ok = ok || got.starts_with(a.get<std::string>());
  EXPECT_TRUE(ok) << "answer \"" << got << "\" (after " << ms << " ms), expected one of " << c["answer"].dump();
  if (c.contains("answerCount")) {
    // Framing: the bytes after an ambiguous request must not be answered as a request of their own.
    std::string whole = talk(port, content(c["socket"]), c.value("halfClose", false), within, true);
    std::size_t answers = 0;
    for (auto at = whole.find("HTTP/1.1 "); at != std::string::npos; at = whole.find("HTTP/1.1 ", at + 1)) ++answers;
    EXPECT_EQ(answers, c["answerCount"].get<std::size_t>()) << whole.substr(0, 2000);
  }
  EXPECT_EQ(health_line(port), "HTTP/1.1 200 OK") << "the mock must keep serving after this input";
  EXPECT_EQ(mock.child().stop(SIGTERM), 0) << mock.child().drain_stderr();
}

// ---- command cases ------------------------------------------------------------------------------

void run_command_case(const util::Json& c) {
  TempDir dir;
  if (c.contains("files")) {
    for (const auto& [name, spec] : c["files"].items()) {
      fs::path p = dir.path / name;
      fs::create_directories(p.parent_path());
      if (spec.is_object() && spec.contains("symlink"))
        fs::create_symlink(spec["symlink"].get<std::string>(), p);
      else
        ASSERT_TRUE(util::write_file_atomic(p, content(spec))) << p;
    }
  }
  std::unique_ptr<RunningMock> case_mock;  // a mock of the case's own ("mock": a file of "files")
  if (c.contains("mock")) {
    case_mock = std::make_unique<RunningMock>((dir.path / c["mock"].get<std::string>()).string());
    ASSERT_FALSE(case_mock->url().empty()) << "the case's mock did not start";
  }
  std::string case_url = case_mock ? case_mock->url() : "";
  auto before = tree(dir.path);
  std::vector<std::string> argv;
  for (const auto& a : c["run"]) {
    auto s = a.get<std::string>();
    if (s == "{ids}") {
      for (const char* x : {"--client-id", kClient.c_str(), "--client-secret", kSecret.c_str(), "--conversation",
                            kConv.c_str(), "--queue", kQueue.c_str(), "--wrapup", kWrap.c_str()})
        argv.push_back(x);
    } else {
      argv.push_back(expand(s, dir.path, case_url));
    }
  }
  std::map<std::string, std::string> env;
  if (c.contains("env")) env = c["env"].get<std::map<std::string, std::string>>();
  int timeout = c.value("timeoutMs", 30000);
  auto r = run(argv, env, std::chrono::milliseconds(timeout), dir.path.string());
  std::string context = "stdout:\n" + r.out.substr(0, 2000) + "\nstderr:\n" + r.err.substr(0, 2000);

  ASSERT_NE(r.exit_code, -1) << "no exit within " << timeout << " ms\n" << context;
  EXPECT_EQ(r.exit_code, c["exit"].get<int>()) << context;
  EXPECT_LT(r.exit_code, 3) << "bad input is never an internal error or a signal\n" << context;
  for (const char* crash : {"Sanitizer", "runtime error:", "terminate called", "internal error", "Segmentation"})
    EXPECT_EQ(r.err.find(crash), std::string::npos) << crash << "\n" << context;
  for (const auto& want : c.value("out", util::Json::array()))
    EXPECT_NE(r.out.find(expand(want.get<std::string>(), dir.path, case_url)), std::string::npos)
        << "stdout lacks " << want << "\n"
        << context;
  for (const auto& want : c.value("err", util::Json::array()))
    EXPECT_NE(r.err.find(expand(want.get<std::string>(), dir.path, case_url)), std::string::npos)
        << "stderr lacks " << want << "\n"
        << context;
  for (const auto& unwanted : c.value("notOut", util::Json::array()))
    EXPECT_EQ((r.out + r.err).find(expand(unwanted.get<std::string>(), dir.path, case_url)), std::string::npos)
        << "output holds " << unwanted << "\n"
        << context;
  // The error is one line (reports on stdout carry the detail: "lines": 0 there).
  auto lines = std::count(r.err.begin(), r.err.end(), '\n');
  EXPECT_EQ(lines, c.value("lines", r.exit_code == 2 ? 1 : 0)) << context;
  // Secrets never appear, whatever failed.
  EXPECT_EQ((r.out + r.err).find(kSecret), std::string::npos) << context;
  // Nothing written but the inputs: no partial output, no temp file left over.
  auto after = tree(dir.path);
  for (const auto& p : after) EXPECT_TRUE(before.count(p)) << "left behind: " << p;
}

class BadInput : public ::testing::TestWithParam<std::string> {};

TEST_P(BadInput, FailsCleanly) {
  const util::Json* c = nullptr;
  for (const auto& x : table()["cases"])
    if (x["name"] == GetParam()) c = &x;
  ASSERT_NE(c, nullptr);
  if (c->contains("socket"))
    run_socket_case(*c);
  else
    run_command_case(*c);
}

INSTANTIATE_TEST_SUITE_P(Table, BadInput, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return replace_all(replace_all(info.param, "-", "_"), ".", "_"); });

TEST(BadInputTable, HasAtLeastFortyCasesWithUniqueNames) {
  auto names = case_names();
  EXPECT_GE(names.size(), 40u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
}

}  // namespace
}  // namespace e2e
