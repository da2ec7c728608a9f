#pragma once

#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "gridserve/gateway/v1/account.grpc.pb.h"
#include "gridserve/gateway/v1/audit.grpc.pb.h"
#include "gridserve/gateway/v1/auth.grpc.pb.h"
#include "gridserve/membership/v1/commitment.grpc.pb.h"
#include "gridserve/membership/v1/duty.grpc.pb.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "gridserve/membership/v1/member_report.grpc.pb.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tools/gridctl/session.h"

namespace gridserve::gridctl {

namespace v1 = ::gridserve::gateway::v1;
namespace mv1 = ::gridserve::membership::v1;

// How to reach the gateway. TLS settings (CA, client certificate and key for
// mTLS) belong here and in OpenChannel only.
struct ConnectionOptions {
  std::string server;  // HOST:PORT
  absl::Duration timeout = absl::Seconds(10);
  std::string tls_ca_file;      // "": plaintext
  std::string client_cert_file;  // mTLS: the certificate is the caller's identity
  std::string client_key_file;
};

// The one place that creates the channel (and, later, its credentials).
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const ConnectionOptions& options);

// The gateway's own services, with deadlines and the caller's token on every call.
class Gateway {
 public:
  Gateway(ConnectionOptions options, std::shared_ptr<grpc::Channel> channel);

  // Sets the deadline (--timeout, or `timeout` for calls that legitimately
  // take longer, such as a roster import); with a token source, adds
  // "authorization: Bearer ...".
  absl::Status Prepare(grpc::ClientContext& context, bool authenticated,
                       std::optional<absl::Duration> timeout = std::nullopt);
  // Token source for authenticated calls (set once the store is known).
  void set_tokens(std::unique_ptr<TokenSource> tokens) { tokens_ = std::move(tokens); }

  const ConnectionOptions& options() const { return options_; }
  v1::AuthService::Stub& auth() { return *auth_; }
  v1::AccountService::Stub& accounts() { return *accounts_; }
  v1::AuditService::Stub& audit() { return *audit_; }
  // The membership services, forwarded by the gateway to the membership backend.
  mv1::MemberService::Stub& members() { return *members_; }
  mv1::DutyService::Stub& duties() { return *duties_; }
  mv1::CommitmentService::Stub& commitments() { return *commitments_; }
  mv1::MemberReportService::Stub& member_reports() { return *member_reports_; }

  // AuthService.Refresh without a token (what TokenSource calls).
  absl::StatusOr<v1::Session> Refresh(const std::string& refresh_token);

 private:
  ConnectionOptions options_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::AccountService::Stub> accounts_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<mv1::MemberService::Stub> members_;
  std::unique_ptr<mv1::DutyService::Stub> duties_;
  std::unique_ptr<mv1::CommitmentService::Stub> commitments_;
  std::unique_ptr<mv1::MemberReportService::Stub> member_reports_;
  std::unique_ptr<TokenSource> tokens_;
};

}  // namespace gridserve::gridctl
