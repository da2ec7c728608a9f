#include "common/call_auth.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace gridserve {

std::string ClientMetadata(const grpc::ServerContextBase& context, absl::string_view key) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(grpc::string_ref(key.data(), key.size()));
  if (it == metadata.end()) return "";
  return std::string(it->second.data(), it->second.size());
}

absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Duration max_wait) {
  return std::min(absl::FromChrono(context.deadline()), absl::Now() + max_wait);
}

}  // namespace gridserve
