#include "tools/devstack/tls.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <sstream>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "tools/devstack/subprocess.h"
#include "common/files.h"

namespace gridserve::devstack {
namespace fs = std::filesystem;
namespace {

constexpr char kCurve[] = "ec_paramgen_curve:prime256v1";

std::string RandomSerial() {
  std::random_device random;
  std::string bytes;
  for (int i = 0; i < 16; ++i) bytes.push_back(static_cast<char>(random() & 0x7f));
  return "0x" + absl::BytesToHexString(bytes);
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

class Openssl {
 public:
  Openssl(std::string dir, std::string log_path) : dir_(std::move(dir)), log_path_(std::move(log_path)) {}

  absl::Status Run(std::vector<std::string> args) {
    args.insert(args.begin(), "openssl");
    absl::Status status = RunCommand(args, {{"PATH", "/usr/local/bin:/usr/bin:/bin"}}, log_path_);
    if (!status.ok()) {
      return absl::Status(status.code(), absl::StrCat(status.message(), " (is the openssl command installed? `tools/dev install` installs it)"));
    }
    return status;
  }

  // A self-signed CA: <name>.crt, <name>.key.
  absl::Status MakeCa(const std::string& name, const std::string& common_name) {
    return Run({"req", "-x509", "-newkey", "ec", "-pkeyopt", kCurve, "-nodes", "-keyout", Path(name + ".key"), "-out",
                Path(name + ".crt"), "-days", "3650", "-subj", "/CN=" + common_name, "-addext",
                "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  }

  // <name>.crt/.key signed by <ca>.crt/.key with the given extensions.
  absl::Status MakeLeaf(const std::string& name, const std::string& common_name, const std::string& ca,
                        const std::string& extensions) {
    if (absl::Status status = WriteFile(Path(name + ".ext"), extensions); !status.ok()) return status;
    if (absl::Status status = Run({"req", "-new", "-newkey", "ec", "-pkeyopt", kCurve, "-nodes", "-keyout",
                                   Path(name + ".key"), "-out", Path(name + ".csr"), "-subj", "/CN=" + common_name});
        !status.ok()) {
      return status;
    }
    absl::Status status = Run({"x509", "-req", "-in", Path(name + ".csr"), "-CA", Path(ca + ".crt"), "-CAkey",
                               Path(ca + ".key"), "-set_serial", RandomSerial(), "-days", "825", "-sha256",
                               "-extfile", Path(name + ".ext"), "-out", Path(name + ".crt")});
    fs::remove(Path(name + ".csr"));
    fs::remove(Path(name + ".ext"));
    return status;
  }

  std::string Path(const std::string& file) const { return dir_ + "/" + file; }

 private:
  std::string dir_;
  std::string log_path_;
};

absl::StatusOr<std::string> Fingerprint(const std::string& path) {
  std::string pem = ReadFile(path).value_or("");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr),
                                                          X509_free);
  if (certificate == nullptr) return absl::InternalError(absl::StrCat(path, " holds no PEM certificate"));
  unsigned char* der = nullptr;
  int length = i2d_X509(certificate.get(), &der);
  if (length <= 0) return absl::InternalError(absl::StrCat(path, ": cannot DER-encode the certificate"));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace

absl::StatusOr<TlsFiles> EnsureTlsFiles(const std::string& dir, const std::string& log_path) {
  fs::create_directories(dir);
  Openssl openssl(dir, log_path);
  TlsFiles files{.dir = dir,
                 .ca_cert = openssl.Path("ca.crt"),
                 .server_cert = openssl.Path("server.crt"),
                 .server_key = openssl.Path("server.key"),
                 .client_cert = openssl.Path("client.crt"),
                 .client_key = openssl.Path("client.key"),
                 .unregistered_cert = openssl.Path("unregistered.crt"),
                 .unregistered_key = openssl.Path("unregistered.key"),
                 .foreign_cert = openssl.Path("foreign.crt"),
                 .foreign_key = openssl.Path("foreign.key"),
                 .registry = openssl.Path("clients.tsv"),
                 .client_name = "dev-system",
                 .client_role = "SYSTEM_READER",
                 .client_scope = "500114000000"};
  bool complete = true;
  for (const std::string* path : {&files.ca_cert, &files.server_cert, &files.server_key, &files.client_cert,
                                  &files.client_key, &files.unregistered_cert, &files.unregistered_key,
                                  &files.foreign_cert, &files.foreign_key, &files.registry}) {
    complete = complete && fs::exists(*path);
  }
  if (!complete) {
    const std::string client_extensions =
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n";
    const std::vector<std::function<absl::Status()>> steps = {
        [&] { return openssl.MakeCa("ca", "GridServe development CA"); },
        [&] {
          return openssl.MakeLeaf("server", "localhost", "ca",
                                  "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                  "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n");
        },
        [&] { return openssl.MakeLeaf("client", files.client_name, "ca", client_extensions); },
        [&] { return openssl.MakeLeaf("unregistered", "unregistered-system", "ca", client_extensions); },
        [&] { return openssl.MakeCa("other-ca", "Some other CA"); },
        [&] { return openssl.MakeLeaf("foreign", "foreign-system", "other-ca", client_extensions); },
    };
    for (const auto& step : steps) {
      if (absl::Status status = step(); !status.ok()) return status;
    }
    fs::remove(openssl.Path("other-ca.key"));
    for (const char* key : {"ca.key", "server.key", "client.key", "unregistered.key", "foreign.key"}) {
      fs::permissions(openssl.Path(key), fs::perms::owner_read | fs::perms::owner_write);
    }
  }
  auto fingerprint = Fingerprint(files.client_cert);
  if (!fingerprint.ok()) return fingerprint.status();
  files.client_fingerprint = *fingerprint;
  if (absl::Status status =
          WriteFile(files.registry,
                    absl::StrCat("# Consuming systems allowed in by client certificate (gateway "
                                 "--client_certificates_file).\n"
                                 "# sha256 fingerprint of the DER certificate\tname\trole\torg scope\tcalls/s/burst\n",
                                 files.client_fingerprint, "\t", files.client_name, "\t", files.client_role, "\t",
                                 files.client_scope, "\t", kClientRateLimit, "\n"));
      !status.ok()) {
    return status;
  }
  return files;
}

}  // namespace gridserve::devstack
