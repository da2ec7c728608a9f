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

// --peers: "name=address,name=address,...", as a gRPC target per peer name.
// An address is host:port, or a gRPC target URI such as dns:///host:port.
//  - name=host:port once: "dns:///host:port", so every address the name
//    resolves to gets calls (a Kubernetes headless Service: every pod);
//  - the same name with several host:port entries, all IP addresses: one
//    static list, "ipv4:a:p,b:q" (e.g. two replicas on one machine);
//  - name=<scheme>:... once: that target as it is.
// INVALID_ARGUMENT naming the entry otherwise.
absl::StatusOr<std::map<std::string, std::string>> ParsePeers(absl::string_view text);

// One long-lived channel per peer service, created on first use. Calls
// spread over every address of the peer (round_robin); an address whose
// grpc.health.v1 status is NOT_SERVING (a replica draining before it stops)
// gets none; a call that fails with UNAVAILABLE before the peer answered is
// tried again, at most twice, on another address (docs/2026-12-04-scaling.md).
class PeerChannels {
 public:
  // `targets`: peer name -> gRPC target (ParsePeers).
  explicit PeerChannels(std::map<std::string, std::string> targets);

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

// Channel arguments shared by every outbound channel: keepalive, message
// size and the service config (round_robin, client-side health checks, the
// retry policy).
grpc::ChannelArguments OutboundChannelArguments();

// A client context for a call made while serving `incoming`: its deadline is
// the incoming one, capped at now + `max_timeout`; cancellation propagates;
// authorization, x-request-id and traceparent are passed on.
std::unique_ptr<grpc::ClientContext> OutboundContext(const grpc::ServerContextBase& incoming,
                                                     absl::Duration max_timeout);

}  // namespace gridserve
