#include "common/peers.h"

#include <arpa/inet.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/ascii.h"
#include "absl/time/clock.h"
#include "common/call_auth.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace gridserve {

namespace {

// round_robin over every address; skip an address whose health service says
// NOT_SERVING; retry UNAVAILABLE (the call never reached a handler, or the
// service said it did nothing) on another address. UNAVAILABLE is never the
// answer to a change of unknown outcome (that is UNKNOWN).
constexpr char kServiceConfig[] = R"json({
  "loadBalancingConfig": [{"round_robin": {}}],
  "healthCheckConfig": {"serviceName": ""},
  "methodConfig": [{
    "name": [{}],
    "retryPolicy": {
      "maxAttempts": 3,
      "initialBackoff": "0.05s",
      "maxBackoff": "0.5s",
      "backoffMultiplier": 2,
      "retryableStatusCodes": ["UNAVAILABLE"]
    }
  }]
})json";

bool HasScheme(absl::string_view address) {
  for (absl::string_view scheme : {"dns:", "ipv4:", "ipv6:", "unix:", "unix-abstract:"}) {
    if (absl::StartsWith(address, scheme)) return true;
  }
  return false;
}

// "ipv4" or "ipv6" when host:port has an IP address as its host, else "".
std::string IpFamily(absl::string_view host_port) {
  size_t colon = host_port.rfind(':');
  if (colon == absl::string_view::npos || colon == 0 || colon + 1 == host_port.size()) return "";
  std::string host(host_port.substr(0, colon));
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr address6;
    return inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &address6) == 1 ? "ipv6" : "";
  }
  in_addr address4;
  return inet_pton(AF_INET, host.c_str(), &address4) == 1 ? "ipv4" : "";
}

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ParsePeers(absl::string_view text) {
  std::map<std::string, std::vector<std::string>> addresses;
  for (absl::string_view entry : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    entry = absl::StripAsciiWhitespace(entry);
    std::pair<std::string, std::string> kv = absl::StrSplit(entry, absl::MaxSplits('=', 1));
    if (kv.first.empty() || kv.second.empty() || (!HasScheme(kv.second) && kv.second.find(':') == std::string::npos)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--peers entry '", entry, "' must look like name=host:port or name=dns:///host:port"));
    }
    addresses[kv.first].push_back(kv.second);
  }
  std::map<std::string, std::string> targets;
  for (const auto& [name, list] : addresses) {
    if (list.size() == 1) {
      targets[name] = HasScheme(list[0]) ? list[0] : absl::StrCat("dns:///", list[0]);
      continue;
    }
    std::string family = IpFamily(list[0]);
    for (const std::string& address : list) {
      if (family.empty() || IpFamily(address) != family) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--peers names ", name, " ", list.size(), " times: that is allowed for IP addresses of one family only (",
            address, " is not one); for a name that resolves to every replica give it once, e.g. ", name,
            "=dns:///", name, ":50061"));
      }
    }
    targets[name] = absl::StrCat(family, ":", absl::StrJoin(list, ","));
  }
  return targets;
}

PeerChannels::PeerChannels(std::map<std::string, std::string> targets) : addresses_(std::move(targets)) {}

grpc::ChannelArguments OutboundChannelArguments() {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  args.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  args.SetServiceConfigJSON(kServiceConfig);
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
