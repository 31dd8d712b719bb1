// The plain-HTTP transport: HTTP/1.1 over a POSIX socket with keep-alive, deadlines and exact
// failure kinds (DNS, refused, connect timeout, reset, empty answer, timeout). It serves
// http:// URLs (a mock, a local proxy): it starts in microseconds, where linking libcurl costs
// ~13 ms of every process start. https:// goes to libcurl, loaded only when needed
// (make_transport in transport.hpp).
#pragma once

#include <memory>

#include "client/transport.hpp"

namespace client {

std::unique_ptr<Transport> make_plain_http_transport(const TransportOptions& options);

}  // namespace client
