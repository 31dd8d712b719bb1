// cxone-mock health: asks a running mock's GET /__admin/health whether it serves, for a
// container's HEALTHCHECK or a CI step waiting for the mock, with no curl in the image.
#pragma once

#include <string>

namespace mockserver {

struct HealthArgs {
  std::string url = "http://127.0.0.1:8089";  // the mock's base URL (plain HTTP)
  int timeout_ms = 2000;                      // connect and answer, in all
  std::string admin_token;                    // sent as a bearer token when the mock wants one
};

// One line on stdout when the mock answers 200 {"status":"ok"} (exit 0), one on stderr when it
// does not answer or answers otherwise (exit 1); a URL that is not http://HOST[:PORT] exits 2.
int health_command(const HealthArgs& args);

}  // namespace mockserver
