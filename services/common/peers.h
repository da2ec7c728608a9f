#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/server_context.h"

namespace gridserve {

// One long-lived channel per peer service, created on first use.
class PeerChannels {
 public:
  explicit PeerChannels(std::map<std::string, std::string> addresses);

  // Serves `peer` over an existing channel (e.g. an in-process one).
  void Add(const std::string& peer, std::shared_ptr<grpc::Channel> channel, const std::string& description);

  // FAILED_PRECONDITION naming the missing --peers entry for an unknown peer.
  absl::StatusOr<std::shared_ptr<grpc::Channel>> Get(const std::string& peer);
  const std::map<std::string, std::string>& addresses() const { return addresses_; }

 private:
  std::map<std::string, std::string> addresses_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<grpc::Channel>> channels_;
};

// Channel arguments shared by every outbound channel: keepalive and message size.
grpc::ChannelArguments OutboundChannelArguments();

// A client context for a call made while serving `incoming`: its deadline is
// the incoming one, capped at now + `max_timeout`; cancellation propagates;
// authorization, x-request-id and traceparent are passed on.
std::unique_ptr<grpc::ClientContext> OutboundContext(const grpc::ServerContextBase& incoming,
                                                     absl::Duration max_timeout);

}  // namespace gridserve
