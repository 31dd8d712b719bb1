// The mock's HTTPS support lives in a module (cxone-mock-tls.so, beside the binaries) that is
// loaded only when --tls-cert is given: OpenSSL's libraries then cost nothing at start-up for
// the plain-HTTP runs (3 of the ~12 ms a start took). This is its C interface.
#pragma once

#include <cstddef>

struct event_base;
struct bufferevent;

extern "C" {
// A server TLS context for a PEM certificate (chain) and key; null with a message in error
// (which names the file and what is wrong) when they are unusable or do not belong together.
void* harness_tls_context_new(const char* cert_file, const char* key_file, char* error, std::size_t error_size);
void harness_tls_context_free(void* context);
// The bufferevent evhttp uses for an accepted connection: TLS from the first byte.
bufferevent* harness_tls_bufferevent(event_base* base, void* context);
}

namespace mockserver {
constexpr const char* kTlsModuleName = "cxone-mock-tls.so";
}
