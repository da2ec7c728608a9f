#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace gridserve::devstack {

// Certificates for trying and testing the gateway's TLS listener and mTLS
// (consuming systems known by their client certificate), all made with the
// openssl command under <dir>:
//   ca.crt/.key                 a local development CA
//   server.crt/.key             the gateway, for localhost and 127.0.0.1
//   client.crt/.key             "dev-system", registered as SYSTEM_READER over 500114000000
//   unregistered.crt/.key       signed by the same CA, not registered
//   other-ca.crt, foreign.crt/.key  a client of another CA (the handshake refuses it)
//   clients.tsv                 the registry (--client_certificates_file)
// Existing files are kept, so `tools/dev up` keeps its certificates.
struct TlsFiles {
  std::string dir;
  std::string ca_cert;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
  std::string unregistered_cert;
  std::string unregistered_key;
  std::string foreign_cert;
  std::string foreign_key;
  std::string registry;
  std::string client_name;          // "dev-system"
  std::string client_role;          // "SYSTEM_READER"
  std::string client_scope;         // "500114000000"
  std::string client_fingerprint;   // SHA-256 of client.crt's DER, lower-case hex
};

// The registered development system's own rate limit (calls/s/burst), far
// above a person's default, as consuming systems are registered in prod.
inline constexpr char kClientRateLimit[] = "200/400";

// Makes (or reuses) the files; openssl's output goes to `log_path`.
absl::StatusOr<TlsFiles> EnsureTlsFiles(const std::string& dir, const std::string& log_path);

}  // namespace gridserve::devstack
