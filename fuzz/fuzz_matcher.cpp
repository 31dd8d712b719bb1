// Target: request matching. Any request against every bundled fixture plus one exercising
// every matcher kind (regex, templates, JSON subset, forms, scenarios, times), from a clean
// state each time (reset, or a fresh engine for admin calls, which may load or drop fixtures)
// so a crash reproduces from its input alone.
// Input: "METHOD TARGET\r\n", header lines "Name: value\r\n", an empty line, then the body.
// Seeds: fuzz/seeds/matcher (made from the fixtures' requests by fuzz/make-seeds.sh).
#include <memory>

#include "fuzz/fuzz_support.hpp"
#include "mockserver/engine.hpp"
#include "mockserver/fixture_loader.hpp"
#include "util/http.hpp"
#include "util/strings.hpp"

namespace {

std::vector<mockserver::Fixture>* fixtures = nullptr;
mockserver::MockEngine* shared = nullptr;

std::unique_ptr<mockserver::MockEngine> fresh_engine() {
  auto e = std::make_unique<mockserver::MockEngine>();
  for (const auto& f : *fixtures) e->add_fixture(f);
  return e;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fixtures = new std::vector<mockserver::Fixture>;
  auto files = mockserver::fixture_files(
      {(fuzz::source_dir() / "fixtures").string(), (fuzz::source_dir() / "fuzz" / "matcher-fixture.json").string()});
  if (!files) std::abort();
  for (const auto& f : *files) {
    auto fixture = mockserver::load_fixture(f);
    if (!fixture) std::abort();
    fixtures->push_back(std::move(*fixture));
  }
  shared = fresh_engine().release();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto [head, body] = fuzz::cut(fuzz::as_text(data, size), "\r\n\r\n");
  auto lines = fuzz::split_all(head, "\r\n");
  auto [method, target] = fuzz::cut(lines[0], " ");
  util::HttpRequest request;
  request.method = std::string(method);
  auto [path, query] = util::split_target(target);
  request.path = util::url_decode(path);
  request.query = std::move(query);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto [name, value] = fuzz::cut(lines[i], ": ");
    request.headers.add(std::string(name), std::string(value));
  }
  request.body = std::string(body);
  request.peer = "127.0.0.1";

  std::unique_ptr<mockserver::MockEngine> own;
  if (request.path.starts_with("/__admin/"))
    own = fresh_engine();
  else
    shared->reset();
  mockserver::MockEngine& engine = own ? *own : *shared;
  (void)engine.handle(request);
  (void)engine.handle(request);  // again: scenario states and "times" have moved on
  (void)engine.verify_report();
  return 0;
}
