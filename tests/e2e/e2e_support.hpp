// Shared by the end-to-end test files: the binaries' paths, temp folders, a running mock.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>

#include "process.hpp"
#include "util/file.hpp"
#include "util/json_text.hpp"

namespace e2e {

namespace fs = std::filesystem;

inline const std::string kMock = HARNESS_MOCK_BIN;
inline const std::string kDiag = HARNESS_DIAG_BIN;
inline const std::string kFixtures = std::string(HARNESS_SOURCE_DIR) + "/fixtures";
inline const std::string kPayloads = std::string(HARNESS_SOURCE_DIR) + "/tests/data/payloads";

// The bundled scenario files, as replay and check find them in fixtures/ (payloads/ and bodies/
// skipped, and the editors' fixture.schema.json is not a scenario).
inline std::vector<std::filesystem::path> bundled_scenarios() {
  auto files = *util::expand_paths({kFixtures}, {".json"}, {"payloads", "bodies"});
  std::erase_if(files, [](const auto& f) { return f.string().ends_with(".schema.json"); });
  return files;
}
inline const std::string kConv = "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47";
inline const std::string kQueue = "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13";
inline const std::string kWrap = "9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e";
inline const std::string kClient = "0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90";
inline const std::string kSecret = "canary-s3cr3t-9f8e7d";

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "harness-e2e-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

// A TCP connection to 127.0.0.1:port (-1 on failure); non-blocking ones may still be connecting.
inline int connect_loopback(int port, bool blocking = true) {
  int fd = ::socket(AF_INET, SOCK_STREAM | (blocking ? 0 : SOCK_NONBLOCK), 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// Starts cxone-mock serve --port 0 on a fixture file and returns its base URL.
class RunningMock {
 public:
  explicit RunningMock(const std::string& fixture, const std::vector<std::string>& extra = {})
      : child_([&] {
          std::vector<std::string> argv = {kMock, "serve", "--fixtures", fixture, "--port", "0"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    auto line = child_.wait_for_line("listening on ", std::chrono::seconds(10));
    if (line) url_ = line->substr(std::string("listening on ").size());
  }
  const std::string& url() const { return url_; }
  e2e::Child& child() { return child_; }

 private:
  e2e::Child child_;
  std::string url_;
};

// cxone-mock serve on a fixture text (written to dir) with extra flags; returns the child and URL.
struct ServedFixture {
  e2e::Child child;
  std::string url;
  ServedFixture(const TempDir& dir, const std::string& fixture_text, std::vector<std::string> extra)
      : child([&] {
          fs::path f = dir.path / "fixture.json";
          std::ofstream(f) << fixture_text;
          std::vector<std::string> argv = {kMock, "serve", "--fixtures", f.string(), "--port", "0"};
          argv.insert(argv.end(), extra.begin(), extra.end());
          return argv;
        }()) {
    if (auto line = child.wait_for_line("listening on ", std::chrono::seconds(10)))
      url = line->substr(std::string("listening on ").size());
  }
  int port() const { return std::stoi(url.substr(url.rfind(':') + 1)); }
};

// The payload of a bundled scenario (its inputs.payload) as a file in dir.
inline std::string payload_file(const TempDir& dir, const std::string& fixture) {
  auto text = util::read_file(kFixtures + "/" + fixture);
  auto doc = util::Json::parse(*text);
  fs::path p = dir.path / "payload.json";
  std::ofstream(p) << doc["inputs"]["payload"].dump(2);
  return p.string();
}

// handover-diag diagnose --execute against url with the shared IDs and credentials.
inline std::vector<std::string> diagnose_args(const std::string& url, const std::string& payload) {
  return {kDiag,       "diagnose",       "--base-url", url,       "--client-id", kClient,    "--client-secret",
          kSecret,     "--conversation", kConv,        "--queue", kQueue,        "--wrapup", kWrap,
          "--payload", payload,          "--execute"};
}

}  // namespace e2e
