#include "gateway/client_certificates.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/division.h"
#include "common/files.h"
#include "common/permissions.h"

namespace gridserve::gateway {
namespace {

bool IsClientName(absl::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!absl::ascii_islower(name[0]) && !absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::optional<std::string> NormalizeFingerprint(absl::string_view fingerprint) {
  std::string hex;
  for (char c : fingerprint) {
    if (c == ':') continue;
    if (!absl::ascii_isxdigit(c)) return std::nullopt;
    hex.push_back(absl::ascii_tolower(c));
  }
  if (hex.size() != 64) return std::nullopt;
  return hex;
}

namespace {

// "500" or "500/1000": calls per second and burst (default twice the rate).
absl::StatusOr<RateLimit> ParseClientRateLimit(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, absl::MaxSplits('/', 1));
  RateLimit limit;
  double burst = 0;
  bool ok = absl::SimpleAtod(parts[0], &limit.per_second) && limit.per_second > 0 && limit.per_second <= 100000;
  if (ok && parts.size() == 2) ok = absl::SimpleAtod(parts[1], &burst) && burst >= 1 && burst <= 1000000;
  if (!ok) {
    return absl::InvalidArgumentError(absl::StrCat(
        "rate limit '", text, "' must be calls per second (0-100000), optionally /burst (1-1000000), e.g. 500/1000"));
  }
  limit.burst = parts.size() == 2 ? static_cast<int>(burst) : std::max(1, static_cast<int>(2 * limit.per_second));
  return limit;
}

}  // namespace

absl::StatusOr<ClientCertificateRegistry> ClientCertificateRegistry::Parse(absl::string_view text,
                                                                           absl::string_view source) {
  ClientCertificateRegistry registry;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    auto fail = [&](const std::string& what) {
      return absl::InvalidArgumentError(absl::StrCat(source, ":", line_number, ": ", what));
    };
    std::vector<absl::string_view> fields = absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() != 4 && fields.size() != 5) {
      return fail(absl::StrCat("expected 4 or 5 fields (sha256 fingerprint, client name, SYSTEM_READER or "
                               "SYSTEM_WRITER, 12-digit org scope, optionally calls/s[/burst]), found ",
                               fields.size()));
    }
    std::optional<std::string> fingerprint = NormalizeFingerprint(fields[0]);
    if (!fingerprint) {
      return fail(absl::StrCat("'", fields[0],
                               "' is not a SHA-256 fingerprint (64 hex digits, colons optional; "
                               "`openssl x509 -in client.crt -noout -fingerprint -sha256` prints it)"));
    }
    RegisteredClient client{.fingerprint = *fingerprint,
                            .name = std::string(fields[1]),
                            .role = std::string(fields[2]),
                            .org_scope = std::string(fields[3])};
    if (!IsClientName(client.name)) {
      return fail(absl::StrCat("client name '", client.name,
                               "' must be 1-63 characters of a-z, 0-9, '-', '_', '.', starting with a letter or digit"));
    }
    if (client.role != "SYSTEM_READER" && client.role != "SYSTEM_WRITER") {
      return fail(absl::StrCat("role '", client.role, "' must be SYSTEM_READER or SYSTEM_WRITER"));
    }
    if (std::string problem = BindingScopeProblem(client.role, client.org_scope); !problem.empty()) {
      return fail(absl::StrCat("org scope '", client.org_scope, "': ", problem));
    }
    if (fields.size() == 5) {
      absl::StatusOr<RateLimit> limit = ParseClientRateLimit(fields[4]);
      if (!limit.ok()) return fail(std::string(limit.status().message()));
      client.rate_limit = *limit;
    }
    if (registry.clients_.contains(client.fingerprint)) {
      return fail(absl::StrCat("fingerprint ", client.fingerprint, " is registered twice"));
    }
    registry.clients_.emplace(client.fingerprint, std::move(client));
  }
  return registry;
}

absl::StatusOr<ClientCertificateRegistry> ClientCertificateRegistry::FromFile(const std::string& path) {
  std::optional<std::string> contents = ReadFile(path);
  if (!contents) {
    return absl::InvalidArgumentError(absl::StrCat("cannot read client certificate registry ", path,
                                                   " (--client_certificates_file); check the path and permissions"));
  }
  return Parse(*contents, path);
}

const RegisteredClient* ClientCertificateRegistry::Find(absl::string_view fingerprint) const {
  std::optional<std::string> normalized = NormalizeFingerprint(fingerprint);
  if (!normalized) return nullptr;
  auto it = clients_.find(*normalized);
  return it == clients_.end() ? nullptr : &it->second;
}

absl::StatusOr<std::string> CertificateFingerprint(absl::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (bio == nullptr) return absl::InternalError("out of memory reading a certificate");
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                          X509_free);
  if (certificate == nullptr) return absl::InvalidArgumentError("not a PEM certificate");
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate.get(), &der);
  if (length <= 0) return absl::InvalidArgumentError("certificate cannot be DER-encoded");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::optional<std::string> PeerCertificateFingerprint(const grpc::AuthContext& auth_context) {
  std::vector<grpc::string_ref> certificates = auth_context.FindPropertyValues("x509_pem_cert");
  if (certificates.empty()) return std::nullopt;
  absl::StatusOr<std::string> fingerprint =
      CertificateFingerprint(absl::string_view(certificates[0].data(), certificates[0].size()));
  if (!fingerprint.ok()) return std::nullopt;
  return *fingerprint;
}

Principal ClientPrincipal(const RegisteredClient& client, int64_t expires_at) {
  return Principal{.subject = "clients/" + client.name,
                   .bindings = {{.role = client.role, .org_scope = client.org_scope}},
                   .expires_at = expires_at};
}

void DefineClientCertificateFlags(Flags& flags) {
  flags.Define("client_certificates_file", "",
               "TSV of consuming systems allowed in by client certificate: sha256 fingerprint, name, "
               "SYSTEM_READER|SYSTEM_WRITER, org scope (needs --tls_client_ca_file)");
}

absl::StatusOr<std::unique_ptr<ClientCertificateRegistry>> ClientCertificatesFromFlags(
    const Flags& flags, const std::string& tls_client_ca_file) {
  std::string path = flags.Get("client_certificates_file");
  if (path.empty()) return nullptr;
  if (tls_client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--client_certificates_file needs --tls_listen and --tls_client_ca_file, so that client certificates are "
        "requested and verified");
  }
  absl::StatusOr<ClientCertificateRegistry> registry = ClientCertificateRegistry::FromFile(path);
  if (!registry.ok()) return registry.status();
  return std::make_unique<ClientCertificateRegistry>(*std::move(registry));
}

}  // namespace gridserve::gateway
