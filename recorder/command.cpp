// cxone-mock record (see command.hpp).
#include "recorder/command.hpp"

#include <iostream>
#include <memory>

#include "mockserver/commands.hpp"
#include "recorder/proxy.hpp"
#include "util/exit_codes.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace recorder {

using util::kExitOk, util::kExitUsage;

int record_command(RecordOptions ro, const RecordFlags& flags, mockserver::ServerOptions options) {
  auto mode = parse_mode(flags.mode);
  if (!mode) {
    std::cerr << "cxone-mock: " << mode.error().message << "\n";
    return kExitUsage;
  }
  ro.mode = *mode;
  for (const auto& r : flags.routes) {
    auto route = parse_route(r);
    if (!route) {
      std::cerr << "cxone-mock: " << route.error().message << "\n";
      return kExitUsage;
    }
    ro.routes.push_back(*route);
  }
  for (const auto& p : ro.redact_pointers)
    if (!util::is_json_pointer(p) || p.empty()) {
      std::cerr << "cxone-mock: --redact \"" << p
                << "\": not a JSON pointer (RFC 6901: /contextData/customerName, not contextData.customerName)\n";
      return kExitUsage;
    }
  auto rec = Recorder::create(ro);
  if (!rec) {
    std::cerr << "cxone-mock: record: " << rec.error().message << "\n";
    return kExitUsage;
  }
  std::shared_ptr<Recorder> shared = std::move(*rec);
  sigset_t stop_signals = mockserver::block_stop_signals();
  options.threads = 1;  // one upstream exchange at a time, recorded in order
  mockserver::MockServer server([shared](const util::HttpRequest& r) { return shared->handle(r); }, options);
  auto port = server.start();
  if (!port) {
    std::cerr << "cxone-mock: " << port.error().message << "\n";
    return kExitUsage;
  }
  std::cout << "listening on " << server.base_url() << std::endl;
  if (shared->replay_only())
    std::cerr << "cxone-mock: replaying " << ro.out.string() << " (mode " << mode_name(ro.mode) << ")\n";
  else
    std::cerr << "cxone-mock: recording " << ro.target << " into " << ro.out.string() << " (mode " << mode_name(ro.mode)
              << ")\n";
  int sig = 0;
  sigwait(&stop_signals, &sig);
  server.stop();
  auto summary = shared->finish();
  if (!summary) {
    std::cerr << "cxone-mock: record: " << summary.error().message << "\n";
    return kExitUsage;
  }
  std::cerr << "cxone-mock: " << *summary << "\n";
  return kExitOk;
}

int proxy_serve_command(const mockserver::ServeArgs& serve) {
  ProxyOptions proxy;
  proxy.target = serve.flags.proxy_unmatched;
  proxy.record_file = serve.flags.record_unmatched;
  proxy.transport.cacert = serve.flags.proxy_cacert;
  proxy.transport.timeout_ms = serve.flags.proxy_timeout_ms;
  auto upstream = make_proxy(proxy);
  if (!upstream) {
    std::cerr << "cxone-mock: " << upstream.error().message << "\n";
    return kExitUsage;
  }
  return mockserver::serve_command(serve.fixtures, serve.options, serve.flags, *upstream);
}

}  // namespace recorder
