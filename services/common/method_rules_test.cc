#include "common/method_rules.h"

#include "gmock/gmock.h"
#include "gridserve/testing/v1/rule_examples.pb.h"
#include "gtest/gtest.h"

// Issue 8 deliverable 7: who may call what is declared beside each RPC, as the
// (gridserve.api.v1.access) method option, and read from the descriptors.
// testdata/gridserve/testing/v1/rule_examples.proto declares one method of
// each kind; this binary links nothing else of gridserve's.
namespace gridserve {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kService[] = "/gridserve.testing.v1.RuleExamples/";

// The examples are linked in: one message of the file is used.
const bool kLinked = testing::v1::ExampleRequest::descriptor() != nullptr;

TEST(MethodRulesTest, ReadsACompleteDeclaration) {
  ASSERT_TRUE(kLinked);
  const MethodRule* rule = FindMethodRule(std::string(kService) + "Declared");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->permission, Permission::kMemberWrite);
  EXPECT_EQ(rule->audit, AuditKind::kWrite);
  EXPECT_EQ(rule->resource_field, "member.branch_code");
  EXPECT_EQ(rule->timeout, absl::Seconds(5));
  EXPECT_EQ(rule->idle_timeout, absl::Seconds(60)) << "the default";
  EXPECT_FALSE(rule->client_streaming);
}

TEST(MethodRulesTest, StreamingMethodsCarryTheirShapeAndDefaults) {
  const MethodRule* rule = FindMethodRule(std::string(kService) + "Upload");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->permission, Permission::kPublic);
  EXPECT_TRUE(rule->client_streaming);
  EXPECT_TRUE(rule->server_streaming);
  EXPECT_EQ(rule->timeout, absl::Seconds(30)) << "the default";
  EXPECT_EQ(rule->idle_timeout, absl::Seconds(7));
}

// A method no descriptor declares, or one whose declaration is incomplete,
// has no rule: the gateway and the services answer UNIMPLEMENTED for it.
TEST(MethodRulesTest, UndeclaredAndBrokenDeclarationsHaveNoRule) {
  for (const char* method : {"Undeclared", "MissingField", "NotAString", "NoPermission", "NoSuchMethod"}) {
    EXPECT_EQ(FindMethodRule(std::string(kService) + method), nullptr) << method;
  }
  EXPECT_EQ(FindMethodRule("/gridserve.membership.v1.MemberService/DropAll"), nullptr);
}

TEST(MethodRulesTest, ReportsEveryIncompleteDeclaration) {
  EXPECT_THAT(MethodRuleProblems(),
              UnorderedElementsAre(HasSubstr("RuleExamples/Undeclared declares no (gridserve.api.v1.access) option"),
                                   HasSubstr("RuleExamples/MissingField resource_field \"member.no_such_field\": "
                                             "gridserve.testing.v1.Example has no field no_such_field"),
                                   HasSubstr("RuleExamples/NotAString resource_field \"count\": "
                                             "gridserve.testing.v1.ExampleRequest.count is not a string"),
                                   HasSubstr("RuleExamples/NoPermission declares no permission")));
}

TEST(MethodRulesTest, InfrastructureServicesArePublic) {
  for (const char* method : {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
                             "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    const MethodRule* rule = FindMethodRule(method);
    ASSERT_NE(rule, nullptr) << method;
    EXPECT_EQ(rule->permission, Permission::kPublic);
    EXPECT_EQ(rule->audit, AuditKind::kNone);
  }
}

}  // namespace
}  // namespace gridserve
