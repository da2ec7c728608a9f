#include "gateway/forwarding_service.h"

#include "common/permissions.h"
#include "gateway/public_services.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

TEST(BackendOfTest, RoutesByPackageName) {
  EXPECT_EQ(*BackendOf("/gridserve.membership.v1.OrganizationService/ListOrganizations"), "membership");
  EXPECT_EQ(*BackendOf("/gridserve.grid_assignment.v1.GridPolicyService/GetGridPolicy"), "grid_assignment");
}

TEST(BackendOfTest, RefusesOtherMethods) {
  EXPECT_EQ(BackendOf("/grpc.health.v1.Health/Check").status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(BackendOf("/gridserve./X").status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(BackendOf("/gridservex.membership.v1.S/M").status().code(), absl::StatusCode::kUnimplemented);
}

TEST(PublicServicesTest, ListsEveryBackendsServices) {
  std::vector<std::string> names = PublicServiceNames();
  for (const char* expected : {"gridserve.membership.v1.OrganizationService",
                               "gridserve.grid_assignment.v1.GridPolicyService",
                               "gridserve.activity_tracking.v1.ActivityPolicyService",
                               "gridserve.evaluation.v1.EvaluationPolicyService",
                               "gridserve.gateway.v1.AuthService", "grpc.health.v1.Health"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(PublicServicesTest, EveryBackendNeedsAnAddress) {
  std::map<std::string, std::string> peers = {{"membership", "a:1"}, {"grid_assignment", "a:2"},
                                              {"activity_tracking", "a:3"}, {"evaluation", "a:4"}};
  EXPECT_TRUE(CheckBackendsConfigured(peers).ok());
  peers.erase("evaluation");
  absl::Status status = CheckBackendsConfigured(peers);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("evaluation"), absl::string_view::npos);
}

// Issue 3: a method missing from the permission table is refused, so every
// public method must be declared there.
TEST(PublicServicesTest, EveryPublicMethodIsInThePermissionTable) {
  for (const std::string& service : PublicServiceNames()) {
    const google::protobuf::ServiceDescriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    if (descriptor == nullptr) continue;  // health and reflection: not compiled in as C++ protos here
    for (int i = 0; i < descriptor->method_count(); ++i) {
      std::string method = "/" + service + "/" + descriptor->method(i)->name();
      EXPECT_NE(FindMethodRule(method), nullptr) << method << " needs an entry in common/permissions.cc";
    }
  }
}

}  // namespace
}  // namespace gridserve::gateway
