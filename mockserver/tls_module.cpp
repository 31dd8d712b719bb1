// cxone-mock-tls.so: OpenSSL server contexts and TLS bufferevents for the mock (see the header).
#include "mockserver/tls_module.hpp"

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <cstdio>
#include <string>

namespace {

std::string openssl_error() {
  unsigned long code = ERR_get_error();
  if (!code) return "unknown error";
  char buf[256];
  ERR_error_string_n(code, buf, sizeof buf);
  return buf;
}

void* fail(SSL_CTX* ctx, const std::string& message, char* error, std::size_t error_size) {
  if (ctx) SSL_CTX_free(ctx);
  if (error && error_size) std::snprintf(error, error_size, "%s", message.c_str());
  return nullptr;
}

}  // namespace

extern "C" {

void* harness_tls_context_new(const char* cert_file, const char* key_file, char* error, std::size_t error_size) {
  std::string cert(cert_file), key(key_file);
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return fail(nullptr, "cannot create a TLS context: " + openssl_error(), error, error_size);
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1)
    return fail(ctx, cert + ": not a usable PEM certificate: " + openssl_error(), error, error_size);
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
    std::string why = openssl_error();
    if (why.find("mismatch") != std::string::npos)
      return fail(ctx, key + ": the key does not belong to the certificate " + cert, error, error_size);
    return fail(ctx, key + ": not a usable PEM private key: " + why, error, error_size);
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return fail(ctx, key + ": the key does not belong to the certificate " + cert, error, error_size);
  return ctx;
}

void harness_tls_context_free(void* context) { SSL_CTX_free(static_cast<SSL_CTX*>(context)); }

bufferevent* harness_tls_bufferevent(event_base* base, void* context) {
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(context));
  return bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

}  // extern "C"
