// Below the event loops: the listening sockets shared by the loops, the connection cap, and the
// checks of a request's framing that evhttp does not make (server.cpp's helpers).
#pragma once

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sys/time.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace mockserver {

// What makes a request's framing ambiguous (RFC 9112 §6), as one line; nullopt if nothing does.
std::optional<std::string> framing_error(const evkeyvalq* headers);

// The method's name as the engine sees it.
const char* method_name(evhttp_cmd_type c);

// A libevent timeout of ms milliseconds.
timeval millis(int ms);

// The local port a bound socket listens on; -1 if it cannot be read.
int bound_port(int fd);

// count listening sockets on host:port sharing the port (SO_REUSEPORT), one per event loop;
// port 0: the OS picks one port for all. A port already in use is an error.
util::Result<std::vector<int>> listen_on(const std::string& host, int port, int count);

// Open connections at most without --max-connections: the open-files limit less a reserve.
std::size_t default_connection_cap();

}  // namespace mockserver
