#include "gateway/client_certificates.h"

#include <filesystem>
#include <cstdlib>
#include <fstream>

#include "common/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;

// A self-signed test certificate and the fingerprint
// `openssl x509 -noout -fingerprint -sha256` printed for it.
constexpr char kCertificate[] = R"(-----BEGIN CERTIFICATE-----
MIIBlzCCAT2gAwIBAgIUFeScSV3KXlXL52rjoOALdQYEsDUwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVZ3JpZHNlcnZlLXRlc3QtY2xpZW50MCAXDTI2MTEyODAxNDA1
NFoYDzIxMjYxMTA0MDE0MDU0WjAgMR4wHAYDVQQDDBVncmlkc2VydmUtdGVzdC1j
bGllbnQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASEGqHj4FleePDb5c1v5/xG
Nxw4uu4MVFnU/rPVyZRpuc9Ac4OOy8Yw8vP8LhXam0Yi3hlkHt5axYh7Bx2BUjCj
o1MwUTAdBgNVHQ4EFgQUREWUsgu+JekBnbZuU+dXgZZRY84wHwYDVR0jBBgwFoAU
REWUsgu+JekBnbZuU+dXgZZRY84wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNIADBFAiEAwHJjxdBU9iEtqBnzDkxREt91VlCz1VFnSENMp59p9SkCICmBS/cl
tkPF2gR4uxN5qkWJnxx7zopcEr9xb57UMezy
-----END CERTIFICATE-----
)";
constexpr char kOpensslFingerprint[] =
    "16:08:02:50:23:60:12:68:94:CF:54:07:2A:7E:17:58:F9:47:71:C4:48:A1:B2:F9:43:88:8E:18:32:D3:80:A9";
constexpr char kFingerprint[] = "160802502360126894cf54072a7e1758f94771c448a1b2f943888e1832d380a9";

TEST(CertificateFingerprintTest, IsSha256OfTheDerLikeOpenssl) {
  auto fingerprint = CertificateFingerprint(kCertificate);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status();
  EXPECT_EQ(*fingerprint, kFingerprint);
  EXPECT_EQ(NormalizeFingerprint(kOpensslFingerprint), kFingerprint);
}

TEST(CertificateFingerprintTest, RefusesNonCertificates) {
  EXPECT_EQ(CertificateFingerprint("hello").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(NormalizeFingerprint("abc"), std::nullopt);
  EXPECT_EQ(NormalizeFingerprint(std::string(64, 'g')), std::nullopt);
}

TEST(ClientCertificateRegistryTest, ParsesCommentsColonsAndCase) {
  std::string text = absl::StrCat("# fingerprint\tname\trole\tscope\n\n", kOpensslFingerprint,
                                  "\tbilling\tSYSTEM_READER\t500114000000\n",
                                  std::string(64, 'a'), "  census  SYSTEM_WRITER  500114101000\n");
  auto registry = ClientCertificateRegistry::Parse(text, "clients.tsv");
  ASSERT_TRUE(registry.ok()) << registry.status();
  EXPECT_EQ(registry->size(), 2u);
  const RegisteredClient* billing = registry->Find(kFingerprint);
  ASSERT_NE(billing, nullptr);
  EXPECT_EQ(billing->name, "billing");
  EXPECT_EQ(billing->role, "SYSTEM_READER");
  EXPECT_EQ(billing->org_scope, "500114000000");
  EXPECT_NE(registry->Find(std::string(64, 'A')), nullptr);
  EXPECT_EQ(registry->Find(std::string(64, 'b')), nullptr);
  EXPECT_FALSE(billing->rate_limit.has_value()) << "the gateway's per-principal default applies";
  Principal principal = ClientPrincipal(*billing, 1234);
  EXPECT_EQ(principal.subject, "clients/billing");
  EXPECT_EQ(principal.bindings, (std::vector<RoleBinding>{{"SYSTEM_READER", "500114000000"}}));
  EXPECT_EQ(principal.expires_at, 1234);
}

// Issue 8: a registered consuming system may have its own rate limit.
TEST(ClientCertificateRegistryTest, AFifthFieldIsTheSystemsOwnRateLimit) {
  std::string text = absl::StrCat(std::string(64, 'a'), " census SYSTEM_WRITER 500114101000 500/1200\n",
                                  std::string(64, 'b'), " tally SYSTEM_READER 500114000000 25\n");
  auto registry = ClientCertificateRegistry::Parse(text, "clients.tsv");
  ASSERT_TRUE(registry.ok()) << registry.status();
  const RegisteredClient* census = registry->Find(std::string(64, 'a'));
  ASSERT_NE(census, nullptr);
  ASSERT_TRUE(census->rate_limit.has_value());
  EXPECT_EQ(census->rate_limit->per_second, 500);
  EXPECT_EQ(census->rate_limit->burst, 1200);
  const RegisteredClient* tally = registry->Find(std::string(64, 'b'));
  ASSERT_TRUE(tally->rate_limit.has_value());
  EXPECT_EQ(tally->rate_limit->burst, 50) << "twice the rate by default";
}

TEST(ClientCertificateRegistryTest, NamesTheBadLineAndWhatIsWrong) {
  std::string good = std::string(64, 'a');
  struct Case {
    std::string line;
    std::string expected;
  } cases[] = {
      {"abc billing SYSTEM_READER 500114000000", "'abc' is not a SHA-256 fingerprint"},
      {good + " billing SYSTEM_READER", "expected 4 or 5 fields"},
      {good + " billing SYSTEM_READER 500114000000 fast", "rate limit 'fast' must be calls per second"},
      {good + " billing SYSTEM_READER 500114000000 0", "rate limit '0'"},
      {good + " billing SYSTEM_READER 500114000000 10/0", "rate limit '10/0'"},
      {good + " billing SYSTEM_READER 500114000000 10/20 x", "expected 4 or 5 fields"},
      {good + " Billing! SYSTEM_READER 500114000000", "client name 'Billing!'"},
      {good + " billing DISTRICT_ADMIN 500114000000", "role 'DISTRICT_ADMIN' must be SYSTEM_READER or SYSTEM_WRITER"},
      {good + " billing SYSTEM_READER 5001", "org scope '5001': must be a 12-digit division code"},
      {good + " billing SYSTEM_READER 500100000000", "org scope '500100000000': SYSTEM_READER applies to a district"},
  };
  for (const Case& c : cases) {
    auto registry = ClientCertificateRegistry::Parse("# header\n" + c.line + "\n", "clients.tsv");
    EXPECT_EQ(registry.status().code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_THAT(registry.status().message(), HasSubstr("clients.tsv:2: ")) << c.line;
    EXPECT_THAT(registry.status().message(), HasSubstr(c.expected)) << c.line;
  }
  auto twice = ClientCertificateRegistry::Parse(
      good + " a SYSTEM_READER 500114000000\n" + good + " b SYSTEM_READER 500114000000\n", "f");
  EXPECT_THAT(twice.status().message(), HasSubstr("f:2: fingerprint " + good + " is registered twice"));
}

TEST(ClientCertificatesFromFlagsTest, OffWhenUnsetAndNeedsAClientCa) {
  Flags flags;
  DefineClientCertificateFlags(flags);
  auto none = ClientCertificatesFromFlags(flags, "");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, nullptr);

  std::string path = std::filesystem::temp_directory_path() / ("clients-" + std::to_string(getpid()) + ".tsv");
  std::ofstream(path) << kOpensslFingerprint << "\tbilling\tSYSTEM_READER\t500114000000\n";
  std::string flag = "--client_certificates_file=" + path;
  const char* argv[] = {"gateway", flag.c_str()};
  ASSERT_TRUE(flags.Parse(2, argv, [](const std::string&) { return std::nullopt; }).ok());
  auto without_ca = ClientCertificatesFromFlags(flags, "");
  EXPECT_EQ(without_ca.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(without_ca.status().message(), HasSubstr("--tls_client_ca_file"));
  auto loaded = ClientCertificatesFromFlags(flags, "/etc/ca.pem");
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_NE((*loaded)->Find(kFingerprint), nullptr);
  std::filesystem::remove(path);

  auto missing = ClientCertificatesFromFlags(flags, "/etc/ca.pem");
  EXPECT_THAT(missing.status().message(), HasSubstr("cannot read client certificate registry"));
}

// The registries shipped with deploy/k8s parse, and the dev overlay's
// registered client is the certificate committed beside it.
TEST(ShippedRegistriesTest, DeployRegistriesParseAndMatchTheDevClient) {
  const char* source = std::getenv("GRIDSERVE_SOURCE_DIR");
  ASSERT_NE(source, nullptr) << "run through ctest";
  std::string tls = std::string(source) + "/deploy/k8s/overlays/dev/tls/";
  auto dev = ClientCertificateRegistry::FromFile(tls + "clients.tsv");
  ASSERT_TRUE(dev.ok()) << dev.status();
  std::optional<std::string> pem = ReadFile(tls + "dev-system.crt");
  ASSERT_TRUE(pem.has_value());
  absl::StatusOr<std::string> fingerprint = CertificateFingerprint(*pem);
  ASSERT_TRUE(fingerprint.ok()) << fingerprint.status();
  const RegisteredClient* client = dev->Find(*fingerprint);
  ASSERT_NE(client, nullptr) << "dev-system.crt is not the registered dev client";
  EXPECT_EQ(client->role, "SYSTEM_READER");
  auto prod = ClientCertificateRegistry::FromFile(std::string(source) + "/deploy/k8s/overlays/prod/clients.tsv");
  ASSERT_TRUE(prod.ok()) << prod.status();
  EXPECT_EQ(prod->size(), 0u) << "production registers its clients itself";
}

}  // namespace
}  // namespace gridserve::gateway
