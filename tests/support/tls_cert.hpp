// Test support: a self-signed certificate for 127.0.0.1/localhost made with OpenSSL's API (no
// shell-out), written as PEM files, for the HTTPS tests of the mock and the client.
#pragma once

#include <filesystem>
#include <string>

namespace testsupport {

struct TlsFiles {
  std::string cert;  // PEM certificate; also the CA a client must trust
  std::string key;   // PEM private key
};

// Writes cert.pem and key.pem into dir (CN and SAN 127.0.0.1 and localhost, valid for a day).
TlsFiles make_self_signed(const std::filesystem::path& dir, const std::string& common_name = "127.0.0.1");

}  // namespace testsupport
