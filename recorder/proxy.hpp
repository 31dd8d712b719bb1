// serve --proxy-unmatched: the upstream requests no interaction answers are sent to, through the
// client's transport (http://, or https:// verified, --proxy-cacert for a private CA). With
// --record-unmatched FILE each proxied exchange is recorded by a Recorder into FILE (appended
// after what FILE holds, redacted as cxone-mock record redacts), which is how a scenario grows
// from real traffic.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "client/transport.hpp"
#include "mockserver/upstream.hpp"
#include "util/result.hpp"

namespace recorder {

struct ProxyOptions {
  std::string target;  // the upstream's base URL
  client::TransportOptions transport;
  std::filesystem::path record_file;  // empty: nothing recorded
  std::string profile = "v2";         // how a recording derives its inputs
};

// Makes a transport to the upstream (tests give a scripted one).
using TransportFactory = std::function<std::unique_ptr<client::Transport>()>;

// The upstream for serve, or an error naming the bad option.
util::Result<std::shared_ptr<mockserver::Upstream>> make_proxy(const ProxyOptions& options,
                                                               TransportFactory make_transport = nullptr);

}  // namespace recorder
