// Target: Pact files (cxone-mock serve --pact, POST /__admin/fixtures with a pact) — the pact read
// into a scenario (versions, rules, JSONPaths, date formats, generators, provider states), then a
// request built from the input's own first interaction matched against every interaction (XML
// bodies too), a response compared as verify would, and the response generators applied.
// Seeds: fuzz/seeds/pact.
#include "fuzz/fuzz_support.hpp"
#include "mockserver/generators.hpp"
#include "mockserver/matcher.hpp"
#include "mockserver/pact.hpp"
#include "mockserver/pact_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto doc = util::parse_json(fuzz::as_text(data, size), "fuzz.json");
  if (!doc) return 0;
  std::vector<std::string> warnings;
  auto fixture = mockserver::fixture_from_pact_document(*doc, "fuzz", warnings);
  if (!fixture) return 0;
  std::size_t checked = 0;
  for (const auto& x : fixture->interactions) {
    if (++checked > 16 || !x.request.pact) break;
    const auto& e = *x.request.pact;
    util::HttpRequest req;
    req.method = e.request.method.empty() ? "GET" : e.request.method;
    req.path = e.request.path;
    if (e.request.query)
      for (const auto& [name, values] : *e.request.query)
        if (!values.empty()) req.query[name] = values.front();
    for (const auto& [name, value] : e.request.headers) req.headers.add(name, value);
    req.body = e.request.body_kind == mockserver::pact::Message::Body::json ? e.request.body.dump() : e.request.text;
    mockserver::IncomingRequest in(req);
    for (const auto& other : fixture->interactions) (void)mockserver::match_request(other.request, in);
    (void)mockserver::pact::match_response(e.request, e.rules, e.request);
    if (x.response.generators) {
      util::HttpResponse answer{x.response.status, x.response.headers, x.response.body};
      req.headers.add("Host", "127.0.0.1:8089");
      mockserver::apply_generators(*x.response.generators, answer, req, "http");
    }
  }
  return 0;
}
