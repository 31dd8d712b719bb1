// The upstream of serve --proxy-unmatched (see proxy.hpp).
#include "recorder/proxy.hpp"

#include <mutex>
#include <utility>
#include <vector>

#include "recorder/recorder.hpp"

namespace recorder {

namespace {

constexpr const char* kWho = "cxone-mock --proxy-unmatched";
constexpr const char* kFailed = "mock.proxy.failed";

// Each exchange on a transport of its own (a transport keeps one connection alive and is not
// shared between threads); idle ones are kept for the next exchange, so a tenant's keep-alive
// connection is reused.
class PlainProxy : public mockserver::Upstream {
 public:
  PlainProxy(std::string base, TransportFactory make) : base_(std::move(base)), make_(std::move(make)) {}
  std::string base_url() const override { return base_; }
  util::HttpResponse forward(const util::HttpRequest& request) override {
    std::unique_ptr<client::Transport> transport = take();
    client::TransportResult result = transport->send(outgoing_request(request, base_));
    give_back(std::move(transport));
    return upstream_response(result, kWho, kFailed);
  }
  util::Result<std::string> finish() override { return std::string(); }

 private:
  std::unique_ptr<client::Transport> take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto t = std::move(idle_.back());
        idle_.pop_back();
        return t;
      }
    }
    return make_();
  }
  void give_back(std::unique_ptr<client::Transport> transport) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(transport));
  }
  std::string base_;
  TransportFactory make_;
  std::mutex mu_;
  std::vector<std::unique_ptr<client::Transport>> idle_;
};

// The recorder does the exchanges, one at a time and in order, as its file is written in order.
class RecordingProxy : public mockserver::Upstream {
 public:
  RecordingProxy(std::string base, std::unique_ptr<Recorder> recorder)
      : base_(std::move(base)), recorder_(std::move(recorder)) {}
  std::string base_url() const override { return base_; }
  util::HttpResponse forward(const util::HttpRequest& request) override { return recorder_->handle(request).response; }
  util::Result<std::string> finish() override { return recorder_->finish(); }

 private:
  std::string base_;
  std::unique_ptr<Recorder> recorder_;
};

}  // namespace

util::Result<std::shared_ptr<mockserver::Upstream>> make_proxy(const ProxyOptions& options,
                                                               TransportFactory make_transport) {
  std::string base = options.target;
  if (!base.starts_with("http://") && !base.starts_with("https://"))
    return util::make_error("--proxy-unmatched \"" + base + "\": expected an http:// or https:// URL");
  while (base.ends_with('/')) base.pop_back();
  if (!make_transport) make_transport = [transport = options.transport] { return client::make_transport(transport); };
  if (options.record_file.empty())
    return std::shared_ptr<mockserver::Upstream>(std::make_shared<PlainProxy>(base, std::move(make_transport)));
  auto folder = options.record_file.parent_path();
  std::error_code ec;
  if (!folder.empty() && !std::filesystem::is_directory(folder, ec))
    return util::make_error("--record-unmatched " + options.record_file.string() + ": no folder " + folder.string());
  RecordOptions record;
  record.target = base;
  record.out = options.record_file;
  // A file that exists keeps what it holds (and answers it); else it is started.
  record.mode = std::filesystem::exists(options.record_file, ec) ? Mode::new_episodes : Mode::all;
  record.profile = options.profile;
  record.upstream = options.transport;
  auto recorder = Recorder::create(std::move(record), make_transport());
  if (!recorder) return util::make_error("--record-unmatched: " + recorder.error().message);
  return std::shared_ptr<mockserver::Upstream>(std::make_shared<RecordingProxy>(base, std::move(*recorder)));
}

}  // namespace recorder
