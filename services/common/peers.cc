#include "common/peers.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace gridserve {

PeerChannels::PeerChannels(std::map<std::string, std::string> addresses)
    : addresses_(std::move(addresses)) {}

grpc::ChannelArguments OutboundChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  return args;
}

void PeerChannels::Add(const std::string& peer, std::shared_ptr<grpc::Channel> channel,
                       const std::string& description) {
  std::lock_guard lock(mutex_);
  addresses_[peer] = description;
  channels_[peer] = std::move(channel);
}

absl::StatusOr<std::shared_ptr<grpc::Channel>> PeerChannels::Get(const std::string& peer) {
  std::lock_guard lock(mutex_);
  if (auto it = channels_.find(peer); it != channels_.end()) return it->second;
  auto address = addresses_.find(peer);
  if (address == addresses_.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no address configured for peer '", peer, "'; add ", peer, "=host:port to --peers"));
  }
  auto channel = grpc::CreateCustomChannel(address->second, grpc::InsecureChannelCredentials(),
                                           OutboundChannelArguments());
  channels_[peer] = channel;
  return channel;
}

std::unique_ptr<grpc::ClientContext> OutboundContext(const grpc::ServerContextBase& incoming,
                                                     absl::Duration max_timeout) {
  auto context = grpc::ClientContext::FromServerContext(incoming);
  context->set_deadline(absl::ToChronoTime(absl::Now() + max_timeout));
  for (const char* key : {kAuthorizationHeader, kRequestIdHeader, kTraceparentHeader}) {
    std::string value = ClientMetadata(incoming, key);
    if (!value.empty()) context->AddMetadata(key, value);
  }
  return context;
}

}  // namespace gridserve
