#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/flags.h"
#include "common/token.h"
#include "gateway/rate_limiter.h"
#include "grpcpp/security/auth_context.h"

namespace gridserve::gateway {

// One consuming system allowed to call with a client certificate (mTLS).
struct RegisteredClient {
  std::string fingerprint;  // SHA-256 of the certificate's DER, 64 lower-case hex digits
  std::string name;         // e.g. "billing": the principal is "clients/billing"
  std::string role;         // SYSTEM_READER or SYSTEM_WRITER
  std::string org_scope;    // 12-digit division code
  // Its own rate limit instead of the gateway's per-principal default
  // (a consuming system often needs more than a person at a keyboard).
  std::optional<RateLimit> rate_limit;
};

// The registry of consuming systems, read once at start from a TSV file:
//
//   # sha256 fingerprint of the DER certificate   name      role           org scope      [calls/s[/burst]]
//   3f:9a:...:01                                   billing   SYSTEM_READER  500114000000   500/1000
//
// The optional fifth field gives the system its own rate limit: calls per
// second and the burst (default twice the rate); without it the gateway's
// --rate_limit_per_principal applies.
// Fields are separated by tabs (or spaces); the fingerprint is hex, colons
// and upper case optional (as `openssl x509 -noout -fingerprint -sha256`
// prints it); lines starting with # and blank lines are ignored.
class ClientCertificateRegistry {
 public:
  // INVALID_ARGUMENT "<source>:<line>: ..." for the first bad line.
  static absl::StatusOr<ClientCertificateRegistry> Parse(absl::string_view text, absl::string_view source);
  static absl::StatusOr<ClientCertificateRegistry> FromFile(const std::string& path);

  // The client registered for `fingerprint` (any accepted spelling), or nullptr.
  const RegisteredClient* Find(absl::string_view fingerprint) const;
  // Every registered client, by fingerprint.
  const std::map<std::string, RegisteredClient>& clients() const { return clients_; }
  size_t size() const { return clients_.size(); }

 private:
  std::map<std::string, RegisteredClient> clients_;  // by normalized fingerprint
};

// "3F:9A:..." or "3f9a..." -> 64 lower-case hex digits; nullopt if it is not
// a SHA-256 fingerprint.
std::optional<std::string> NormalizeFingerprint(absl::string_view fingerprint);

// SHA-256 of the DER encoding of the first certificate in `pem`, as 64
// lower-case hex digits; INVALID_ARGUMENT if `pem` holds no certificate.
absl::StatusOr<std::string> CertificateFingerprint(absl::string_view pem);

// The fingerprint of the client certificate the peer presented and the TLS
// handshake verified (gRPC's "x509_pem_cert" auth property); nullopt when
// the call came without one (plain TCP, or TLS without a client certificate).
std::optional<std::string> PeerCertificateFingerprint(const grpc::AuthContext& auth_context);

// The principal of a registered client: subject "clients/<name>", one
// binding {role, org_scope}, expiring at `expires_at` (Unix seconds).
Principal ClientPrincipal(const RegisteredClient& client, int64_t expires_at);

// Gateway flag --client_certificates_file.
void DefineClientCertificateFlags(Flags& flags);
// The registry named by --client_certificates_file, or nullptr when the flag
// is empty (client certificates are then not accepted). The file needs a TLS
// listener that verifies client certificates: `tls_client_ca_file` (from
// ServerSettings) must be set, else INVALID_ARGUMENT.
absl::StatusOr<std::unique_ptr<ClientCertificateRegistry>> ClientCertificatesFromFlags(
    const Flags& flags, const std::string& tls_client_ca_file);

}  // namespace gridserve::gateway
