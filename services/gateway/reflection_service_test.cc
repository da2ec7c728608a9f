#include "gateway/reflection_service.h"

#include "gateway/public_services.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

namespace reflection = grpc::reflection::v1alpha;

TEST(ReflectionServiceTest, ListsPublicServices) {
  ReflectionService service(PublicServiceNames());
  reflection::ServerReflectionRequest request;
  request.set_list_services("");
  auto response = service.Answer(request);
  std::vector<std::string> names;
  for (const auto& entry : response.list_services_response().service()) names.push_back(entry.name());
  EXPECT_NE(std::find(names.begin(), names.end(), "gridserve.membership.v1.OrganizationService"), names.end());
}

TEST(ReflectionServiceTest, DescribesASymbolWithItsDependencies) {
  ReflectionService service(PublicServiceNames());
  reflection::ServerReflectionRequest request;
  request.set_file_containing_symbol("gridserve.membership.v1.OrganizationService");
  auto response = service.Answer(request);
  std::vector<std::string> files;
  for (const std::string& bytes : response.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
  }
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files[0], "gridserve/membership/v1/organization.proto");
  EXPECT_NE(std::find(files.begin(), files.end(), "google/protobuf/field_mask.proto"), files.end());
}

TEST(ReflectionServiceTest, UnknownSymbolIsNotFound) {
  ReflectionService service(PublicServiceNames());
  reflection::ServerReflectionRequest request;
  request.set_file_containing_symbol("gridserve.nothing.v1.Nope");
  auto response = service.Answer(request);
  EXPECT_EQ(response.error_response().error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace gridserve::gateway
