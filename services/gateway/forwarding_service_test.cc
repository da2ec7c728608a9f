#include "gateway/forwarding_service.h"

#include "common/method_rules.h"
#include "gateway/public_services.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/descriptor_database.h"
#include "gmock/gmock.h"
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

// Issue 8 deliverable 7: every public method declares its access rule in its
// proto, completely (permission, audit kind, a resource field that exists in
// its request as a string). This binary links every public proto package
// (gridserve_public_protos), as the gateway does.
TEST(PublicServicesTest, EveryPublicMethodDeclaresACompleteAccessRule) {
  EXPECT_THAT(MethodRuleProblems(), ::testing::IsEmpty());
  std::vector<std::string> files;
  google::protobuf::DescriptorPool::internal_generated_database()->FindAllFileNames(&files);
  int methods = 0;
  for (const std::string& name : files) {
    if (!name.starts_with("gridserve/")) continue;
    const google::protobuf::FileDescriptor* file = google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    for (int s = 0; s < file->service_count(); ++s) {
      for (int m = 0; m < file->service(s)->method_count(); ++m) {
        std::string method = "/" + file->service(s)->full_name() + "/" + file->service(s)->method(m)->name();
        EXPECT_NE(FindMethodRule(method), nullptr) << method;
        ++methods;
      }
    }
  }
  EXPECT_GE(methods, 41) << "the public protos are not all linked in";
}

TEST(PublicServicesTest, ListsTheServicesOfEveryPublicPackage) {
  std::vector<std::string> names = PublicServiceNames();
  for (const char* expected : {"gridserve.membership.v1.MemberService", "gridserve.membership.v1.CommitmentService",
                               "gridserve.gateway.v1.AuditService", "grpc.reflection.v1alpha.ServerReflection"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

}  // namespace
}  // namespace gridserve::gateway
