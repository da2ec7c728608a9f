#include "tools/gridctl/gateway.h"

#include "absl/strings/str_cat.h"
#include "common/files.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/gridctl/error_format.h"

namespace gridserve::gridctl {

namespace {

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> CredentialsFor(const ConnectionOptions& options) {
  bool client_certificate = !options.client_cert_file.empty() || !options.client_key_file.empty();
  if (options.tls_ca_file.empty()) {
    if (client_certificate) return LocalError("--client_cert and --client_key need --tls_ca (mTLS runs over TLS)");
    return grpc::InsecureChannelCredentials();
  }
  if (client_certificate && (options.client_cert_file.empty() || options.client_key_file.empty())) {
    return LocalError("give both --client_cert and --client_key, or neither");
  }
  grpc::SslCredentialsOptions ssl;
  for (auto [path, pem] : {std::pair{&options.tls_ca_file, &ssl.pem_root_certs},
                           std::pair{&options.client_cert_file, &ssl.pem_cert_chain},
                           std::pair{&options.client_key_file, &ssl.pem_private_key}}) {
    if (path->empty()) continue;
    std::optional<std::string> text = ReadFile(*path);
    if (!text) return LocalError(absl::StrCat("cannot read ", *path));
    *pem = *std::move(text);
  }
  return grpc::SslCredentials(ssl);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const ConnectionOptions& options) {
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials = CredentialsFor(options);
  if (!credentials.ok()) return credentials.status();
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(options.server, *credentials);
  if (channel == nullptr) return LocalError(absl::StrCat("cannot open a channel to ", options.server));
  return channel;
}

Gateway::Gateway(ConnectionOptions options, std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      auth_(v1::AuthService::NewStub(channel)),
      accounts_(v1::AccountService::NewStub(channel)),
      audit_(v1::AuditService::NewStub(channel)),
      members_(mv1::MemberService::NewStub(channel)),
      duties_(mv1::DutyService::NewStub(channel)),
      commitments_(mv1::CommitmentService::NewStub(channel)),
      member_reports_(mv1::MemberReportService::NewStub(channel)) {}

absl::Status Gateway::Prepare(grpc::ClientContext& context, bool authenticated,
                              std::optional<absl::Duration> timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout.value_or(options_.timeout)));
  // With a client certificate the certificate is the identity: no token.
  if (!authenticated || !options_.client_cert_file.empty()) return absl::OkStatus();
  if (tokens_ == nullptr) return absl::UnauthenticatedError("");
  absl::StatusOr<std::string> token = tokens_->AccessToken();
  if (!token.ok()) return token.status();
  context.AddMetadata("authorization", "Bearer " + *token);
  return absl::OkStatus();
}

absl::StatusOr<v1::Session> Gateway::Refresh(const std::string& refresh_token) {
  grpc::ClientContext context;
  if (absl::Status s = Prepare(context, /*authenticated=*/false); !s.ok()) return s;
  v1::RefreshRequest request;
  request.set_refresh_token(refresh_token);
  v1::RefreshResponse response;
  if (absl::Status s = FromGrpcStatus(auth_->Refresh(&context, request, &response)); !s.ok()) return s;
  return response.session();
}

}  // namespace gridserve::gridctl
