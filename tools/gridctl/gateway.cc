#include "tools/gridctl/gateway.h"

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "tools/gridctl/error_format.h"

namespace gridserve::gridctl {

absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const ConnectionOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(options.server, credentials);
  if (channel == nullptr) return LocalError(absl::StrCat("cannot open a channel to ", options.server));
  return channel;
}

Gateway::Gateway(ConnectionOptions options, std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      auth_(v1::AuthService::NewStub(channel)),
      accounts_(v1::AccountService::NewStub(channel)),
      audit_(v1::AuditService::NewStub(channel)) {}

absl::Status Gateway::Prepare(grpc::ClientContext& context, bool authenticated) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.timeout));
  if (!authenticated) return absl::OkStatus();
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
