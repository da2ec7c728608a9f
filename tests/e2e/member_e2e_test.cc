// The member register (issue 4, clause 二(一)) through the real gateway: scope
// rules and personal-data masking as a client sees them on the wire.
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gridserve/membership/v1/member.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/e2e/two_villages.h"
#include "tools/devstack/stack.h"

namespace gridserve {
namespace {

namespace v1 = membership::v1;
using devstack::Stack;

using e2e::kDistrict;
using e2e::kOtherVillage;
using e2e::kTown;
using e2e::kVillage;
constexpr char kNationalId[] = "500114197503150013";

class MemberE2eTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto stack = e2e::StartTwoVillageStack("gridserve-member-e2e");
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = std::move(*stack).release();
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }

  static std::shared_ptr<grpc::Channel> Channel() {
    return grpc::CreateChannel(stack_->address("gateway"), grpc::InsecureChannelCredentials());
  }
  static void Prepare(grpc::ClientContext& context, const std::string& token) {
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    context.AddMetadata("authorization", "Bearer " + token);
  }
  static std::string Token(const std::string& subject, const std::string& role, const std::string& scope) {
    return stack_->MintToken(subject, {{role, scope}});
  }
  static std::unique_ptr<v1::MemberService::Stub> Members() { return v1::MemberService::NewStub(Channel()); }

  static grpc::Status Create(const std::string& token, const v1::Member& member, v1::Member* created) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::CreateMemberRequest request;
    *request.mutable_member() = member;
    v1::CreateMemberResponse response;
    grpc::Status status = Members()->CreateMember(&context, request, &response);
    if (created != nullptr) *created = response.member();
    return status;
  }
  static grpc::Status Get(const std::string& token, const std::string& member_id, v1::Member* found) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::GetMemberRequest request;
    request.set_member_id(member_id);
    v1::GetMemberResponse response;
    grpc::Status status = Members()->GetMember(&context, request, &response);
    if (found != nullptr) *found = response.member();
    return status;
  }

  static v1::Member NewMember(const std::string& name, const std::string& branch) {
    v1::Member member;
    member.set_full_name(name);
    member.set_gender(v1::GENDER_MALE);
    member.set_birth_month("1975-03");
    member.set_joined_date("2001-07");
    member.set_phone("13812348000");
    member.set_branch_code(branch);
    return member;
  }

  static inline Stack* stack_ = nullptr;
};

TEST_F(MemberE2eTest, Issue4ScopeAndMaskingOnTheWire) {
  const std::string secretary = Token("users/s1", "VILLAGE_SECRETARY", kVillage);
  v1::Member draft = NewMember("张三", kVillage);
  draft.set_national_id(kNationalId);
  draft.set_user("users/m1");
  v1::Member created;
  grpc::Status status = Create(secretary, draft, &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.joined_date(), "2001-07");
  EXPECT_EQ(created.national_id(), "");
  EXPECT_EQ(created.national_id_last4(), "0013");
  EXPECT_EQ(created.status(), v1::MEMBER_STATUS_ACTIVE);

  // The secretary of another village: as if the member did not exist.
  status = Get(Token("users/s2", "VILLAGE_SECRETARY", kOtherVillage), created.member_id(), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  status = Create(Token("users/s2", "VILLAGE_SECRETARY", kOtherVillage), NewMember("李四", kVillage), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();

  // A grid leader has no PII_READ: phone masked, no id tail.
  v1::Member masked;
  ASSERT_TRUE(Get(Token("users/g1", "GRID_LEADER", kVillage), created.member_id(), &masked).ok());
  EXPECT_EQ(masked.phone(), "138****8000");
  EXPECT_EQ(masked.national_id_last4(), "");
  EXPECT_EQ(masked.national_id(), "");

  // The member sees only his own record, in full.
  ASSERT_TRUE(Create(secretary, NewMember("王五", kVillage), nullptr).ok());
  const std::string member = Token("users/m1", "MEMBER", kVillage);
  grpc::ClientContext context;
  Prepare(context, member);
  v1::ListMembersRequest request;
  request.set_org_code(kVillage);
  v1::ListMembersResponse response;
  status = Members()->ListMembers(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.members_size(), 1);
  EXPECT_EQ(response.members(0).member_id(), created.member_id());
  EXPECT_EQ(response.members(0).phone(), "13812348000");
}

TEST_F(MemberE2eTest, Issue4BadFieldsComeBackAsFieldViolations) {
  v1::Member draft = NewMember("赵六", kVillage);
  draft.set_phone("12345");
  grpc::Status status = Create(stack_->AdminToken(), draft, nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(status.error_message(), "member.phone")) << status.error_message();
  EXPECT_FALSE(status.error_details().empty()) << "google.rpc.BadRequest travels in the details";
}

TEST_F(MemberE2eTest, Issue4TransferAndHistoryThroughTheGateway) {
  const std::string town_admin = Token("users/t1", "TOWN_ADMIN", kTown);
  v1::Member created;
  ASSERT_TRUE(Create(town_admin, NewMember("孙七", kVillage), &created).ok());
  {
    grpc::ClientContext context;
    Prepare(context, town_admin);
    v1::TransferMemberRequest request;
    request.set_member_id(created.member_id());
    request.set_to_branch_code(kOtherVillage);
    request.set_reason("搬迁");
    v1::TransferMemberResponse response;
    grpc::Status status = Members()->TransferMember(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.member().branch_code(), kOtherVillage);
  }
  grpc::ClientContext context;
  Prepare(context, town_admin);
  v1::ListMemberEventsRequest request;
  request.set_member_id(created.member_id());
  v1::ListMemberEventsResponse response;
  grpc::Status status = Members()->ListMemberEvents(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.events_size(), 2);
  EXPECT_EQ(response.events(0).kind(), v1::MEMBER_EVENT_KIND_REGISTERED);
  EXPECT_EQ(response.events(1).kind(), v1::MEMBER_EVENT_KIND_TRANSFERRED);
  EXPECT_EQ(response.events(1).from_branch_code(), kVillage);
  EXPECT_EQ(response.events(1).to_branch_code(), kOtherVillage);
  EXPECT_EQ(response.events(1).actor(), "users/t1");
}

}  // namespace
}  // namespace gridserve
