// Proxy fall-through (serve --proxy-unmatched): where a request no interaction answers goes
// instead of the near-miss 404. The mock does not link the client, so the upstream is an
// interface here, made by the recorder module (recorder/proxy: the client's transport, TLS
// verified, and --record-unmatched's recording) and handed to serve by cxone-mock-record.
#pragma once

#include <string>

#include "util/http.hpp"
#include "util/result.hpp"

namespace mockserver {

class Upstream {
 public:
  virtual ~Upstream() = default;
  // The upstream's base URL, as the journal and the start-up line name it.
  virtual std::string base_url() const = 0;
  // The upstream's answer to the request (its path is relative to base_url: a scenario prefix is
  // already stripped), or the mock's 502 saying why there is none. Called on worker threads,
  // possibly from several at once; never throws.
  virtual util::HttpResponse forward(const util::HttpRequest& request) = 0;
  // At stop, after the last answer: finishes what the upstream keeps (the recording) and says
  // what it did in one line ("" for nothing to say).
  virtual util::Result<std::string> finish() = 0;
};

}  // namespace mockserver
