// Integration tests (real PostgreSQL) of 亮职责 and 亮承诺 — clause 二(一)2-3,
// rules R2 and R3, attachment 1 (党员承诺践诺书) and the reports — through the
// rules classes on PgPledgeStore, with the callers' scopes of DESIGN.md §4.
// Members are inserted with plain SQL: the register's own code is not needed.
#include "membership/pledges/pg_pledge_store.h"

#include <atomic>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "membership/pledges/commitments.h"
#include "membership/pledges/duties.h"
#include "membership/pledges/grid_directory.h"
#include "membership/pledges/member_reports.h"
#include "membership_sql.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::membership {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";       // 邻鄂镇
constexpr char kVillageA[] = "500114101201";   // 七村
constexpr char kVillageB[] = "500114101202";   // 八村
constexpr char kCommunity[] = "500114101001";  // 新街社区 (no members)
constexpr char kOtherTown[] = "500114102000";
constexpr char kOtherVillage[] = "500114102201";

// Members of 七村 unless said otherwise.
constexpr char kZhang[] = "10000000-0000-4000-8000-000000000001";  // user users/zhang
constexpr char kLi[] = "10000000-0000-4000-8000-000000000002";     // user users/li
constexpr char kWang[] = "10000000-0000-4000-8000-000000000003";   // ended
constexpr char kZhao[] = "10000000-0000-4000-8000-000000000004";   // 八村
constexpr char kChen[] = "10000000-0000-4000-8000-000000000005";   // other town
constexpr char kNobody[] = "10000000-0000-4000-8000-0000000000ff";

constexpr int kYear = 2026;

Principal Caller(const std::string& subject, const std::string& role, const std::string& scope) {
  return Principal{.subject = subject, .bindings = {{.role = role, .org_scope = scope}}};
}

const Principal kTownAdmin = Caller("users/town", "TOWN_ADMIN", kTown);
const Principal kSecretaryA = Caller("users/secretary-a", "VILLAGE_SECRETARY", kVillageA);
const Principal kSecretaryB = Caller("users/secretary-b", "VILLAGE_SECRETARY", kVillageB);
const Principal kGridLeaderA = Caller("users/grid-leader-a", "GRID_LEADER", kVillageA);  // no PII_READ
const Principal kZhangSelf = Caller("users/zhang", "MEMBER", kVillageA);
const Principal kLiSelf = Caller("users/li", "MEMBER", kVillageA);
const Principal kOtherTownAdmin = Caller("users/other", "TOWN_ADMIN", kOtherTown);

// 2026-06-15 10:00 in China.
absl::Time FixedNow() {
  return absl::FromCivil(absl::CivilSecond(2026, 6, 15, 10, 0, 0), ProgrammeTimeZone());
}

absl::Time Deadline() { return absl::Now() + absl::Seconds(20); }

Commitment NewCommitment(const std::string& member_id, const std::string& target) {
  Commitment commitment;
  commitment.member_id = member_id;
  commitment.year = kYear;
  commitment.target = target;
  commitment.measures = "每月走访一次，帮助解决实际困难";
  commitment.due_date = "2026-12-31";
  commitment.signed_date = "2026-03-01";
  return commitment;
}

MemberDuties DutiesOf(const std::string& member_id, std::vector<std::string> codes, const std::string& text = "") {
  return MemberDuties{.member_id = member_id, .year = kYear, .area_codes = std::move(codes), .free_text = text};
}

class PgPledgeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("pledges", sql::Migrations(), sql::Queries(), 6);
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgPledgeStore>(*schema_.pool);
    duties_ = std::make_unique<Duties>(*store_, FixedNow);
    commitments_ = std::make_unique<Commitments>(*store_, *store_, grids_, FixedNow);
    reports_ = std::make_unique<MemberReports>(*store_, FixedNow);
    ASSERT_TRUE(Sql(absl::StrCat(
                        "INSERT INTO organizations (code, kind, parent_code, display_name) VALUES ",
                        "('", kDistrict, "', 'DISTRICT', NULL, '黔江区'),", "('", kTown, "', 'TOWN', '", kDistrict,
                        "', '邻鄂镇'),", "('", kOtherTown, "', 'TOWN', '", kDistrict, "', '石会镇'),", "('", kVillageA,
                        "', 'VILLAGE', '", kTown, "', '七村'),", "('", kVillageB, "', 'VILLAGE', '", kTown, "', '八村'),",
                        "('", kCommunity, "', 'COMMUNITY', '", kTown, "', '新街社区'),", "('", kOtherVillage,
                        "', 'VILLAGE', '", kOtherTown, "', '石会村')"))
                    .ok());
    InsertMember(kZhang, "张三", kVillageA, "users/zhang", "13812348000");
    InsertMember(kLi, "李四", kVillageA, "users/li", "023-79223456");
    InsertMember(kWang, "王五", kVillageA, "", "13900000000", /*active=*/false);
    InsertMember(kZhao, "赵六", kVillageB, "", "13700000000");
    InsertMember(kChen, "陈七", kOtherVillage, "", "13600000000");
  }

  absl::Status Sql(const std::string& sql) { return schema_.Execute(sql); }

  void InsertMember(const std::string& id, const std::string& name, const std::string& branch,
                    const std::string& user, const std::string& phone, bool active = true) {
    absl::Status status = Sql(absl::StrCat(
        "INSERT INTO members (member_id, full_name, gender, birth_month, joined_date, joined_month_only, phone, "
        "branch_code, person_key, user_ref, status, end_reason, end_date) VALUES ('",
        id, "', '", name, "', 'MALE', '1970-05-01', '1995-07-01', true, '", phone, "', '", branch, "', 'key-", id,
        "', '", user, "', ", active ? "'ACTIVE', NULL, NULL" : "'ENDED', 'DECEASED', '2026-01-10'", ")"));
    ASSERT_TRUE(status.ok()) << status;
  }

  int64_t Count(const std::string& sql) {
    int64_t count = -1;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      count = txn.exec1(sql)[0].as<int64_t>();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  Commitment MustCreate(const Principal& caller, const std::string& member_id, const std::string& target) {
    absl::StatusOr<Commitment> created = commitments_->Create(caller, NewCommitment(member_id, target), "", Deadline());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(Commitment{});
  }

  absl::StatusOr<Commitment> SetStatus(const Principal& caller, const Commitment& commitment, FulfilmentStatus status) {
    Commitment change;
    change.commitment_id = commitment.commitment_id;
    change.status = status;
    return commitments_->Update(caller, change, {"status"}, Deadline());
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgPledgeStore> store_;
  UnavailableGridDirectory grids_;
  std::unique_ptr<Duties> duties_;
  std::unique_ptr<Commitments> commitments_;
  std::unique_ptr<MemberReports> reports_;
};

// ---- R3 / 二(一)3: 1-2 commitments per member per year -------------------------

TEST_F(PgPledgeStoreTest, R3_Clause2_1_3_ThirdCommitmentIsRejectedNamingTheTwo) {
  Commitment first = MustCreate(kSecretaryA, kZhang, "帮助3户发展中药材");
  Commitment second = MustCreate(kSecretaryA, kZhang, "调解邻里纠纷");
  absl::StatusOr<Commitment> third =
      commitments_->Create(kSecretaryA, NewCommitment(kZhang, "第三件事"), "", Deadline());
  ASSERT_EQ(third.status().code(), absl::StatusCode::kFailedPrecondition) << third.status();
  const std::string message(third.status().message());
  EXPECT_THAT(message, HasSubstr("帮助3户发展中药材"));
  EXPECT_THAT(message, HasSubstr(first.commitment_id));
  EXPECT_THAT(message, HasSubstr("调解邻里纠纷"));
  EXPECT_THAT(message, HasSubstr(second.commitment_id));
  EXPECT_THAT(message, HasSubstr("R3"));
  EXPECT_THAT(message, HasSubstr("二(一)3"));
  EXPECT_THAT(message, HasSubstr("1-2"));
  // Another year is counted on its own.
  Commitment next_year = NewCommitment(kZhang, "明年的承诺");
  next_year.year = kYear + 1;
  next_year.due_date = "";
  EXPECT_TRUE(commitments_->Create(kSecretaryA, next_year, "", Deadline()).ok());
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM commitments WHERE year = ", kYear)), 2);
}

TEST_F(PgPledgeStoreTest, R3_Clause2_1_3_ConcurrentCreatesNeverExceedTwo) {
  MustCreate(kSecretaryA, kZhang, "已有一件");
  constexpr int kCallers = 5;
  std::atomic<int> created{0};
  std::atomic<int> refused{0};
  // The count is checked inside the create's transaction; the pause widens
  // the window between counting and inserting, so without the member lock
  // every caller would count one and insert.
  auto slow_limit = [](const Member& member, const std::vector<Commitment>& same_year) -> absl::Status {
    absl::SleepFor(absl::Milliseconds(200));
    if (same_year.size() >= static_cast<size_t>(kMaxCommitmentsPerYear)) {
      return absl::FailedPreconditionError("R3: 1-2 commitments per year");
    }
    return absl::OkStatus();
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < kCallers; ++i) {
    threads.emplace_back([&, i] {
      absl::StatusOr<Commitment> result =
          store_->CreateCommitment(NewCommitment(kZhang, absl::StrCat("并发承诺", i)), "", slow_limit, Deadline());
      if (result.ok()) {
        ++created;
      } else if (result.status().code() == absl::StatusCode::kFailedPrecondition) {
        ++refused;
      } else {
        ADD_FAILURE() << result.status();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused.load(), kCallers - 1);
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM commitments WHERE member_id = '", kZhang, "'")), 2);
}

// The same through the rules, as concurrent calls arrive.
TEST_F(PgPledgeStoreTest, R3_Clause2_1_3_ConcurrentCallsThroughTheRulesNeverExceedTwo) {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      (void)commitments_->Create(kSecretaryA, NewCommitment(kLi, absl::StrCat("并发", i)), "", Deadline());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(Count(absl::StrCat("SELECT count(*) FROM commitments WHERE member_id = '", kLi, "'")), 2);
}

TEST_F(PgPledgeStoreTest, R3_CreateIsIdempotentOnRequestId) {
  absl::StatusOr<Commitment> first =
      commitments_->Create(kSecretaryA, NewCommitment(kZhang, "一件事"), "req-1", Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Commitment> again =
      commitments_->Create(kSecretaryA, NewCommitment(kZhang, "一件事"), "req-1", Deadline());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->commitment_id, first->commitment_id);
  EXPECT_EQ(Count("SELECT count(*) FROM commitments"), 1);
  // The same request_id for another member is a mistake, not a retry.
  absl::StatusOr<Commitment> misuse =
      commitments_->Create(kSecretaryA, NewCommitment(kLi, "一件事"), "req-1", Deadline());
  EXPECT_EQ(misuse.status().code(), absl::StatusCode::kAlreadyExists) << misuse.status();
}

TEST_F(PgPledgeStoreTest, R3_OnlyActiveMembersMakeNewCommitments) {
  absl::StatusOr<Commitment> ended = commitments_->Create(kSecretaryA, NewCommitment(kWang, "事"), "", Deadline());
  EXPECT_EQ(ended.status().code(), absl::StatusCode::kFailedPrecondition) << ended.status();
  EXPECT_THAT(std::string(ended.status().message()), HasSubstr("active"));
}

TEST_F(PgPledgeStoreTest, R3_FieldsAreValidated) {
  Commitment commitment = NewCommitment(kZhang, "");
  commitment.year = 1999;
  commitment.due_date = "2030-01-01";
  commitment.evidence = {"photos/1"};
  commitment.signed_date = "2026-06-16";  // tomorrow in FixedNow
  absl::StatusOr<Commitment> created = commitments_->Create(kSecretaryA, commitment, "", Deadline());
  ASSERT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(created.status())) fields.push_back(violation.field);
  EXPECT_THAT(fields, UnorderedElementsAre("commitment.year", "commitment.target", "commitment.due_date",
                                           "commitment.evidence[0]", "commitment.signed_date"));
}

// ---- status transitions and who may change what ---------------------------------

TEST_F(PgPledgeStoreTest, R3_MemberReportsStatusAndEvidenceOfOwnCommitment) {
  Commitment commitment = MustCreate(kSecretaryA, kZhang, "帮助3户发展中药材");
  absl::StatusOr<Commitment> started = SetStatus(kZhangSelf, commitment, FulfilmentStatus::kInProgress);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->status, FulfilmentStatus::kInProgress);

  Commitment evidence;
  evidence.commitment_id = commitment.commitment_id;
  evidence.evidence = {"activities/a1", "activities/a2"};
  absl::StatusOr<Commitment> with_evidence = commitments_->Update(kZhangSelf, evidence, {"evidence"}, Deadline());
  ASSERT_TRUE(with_evidence.ok()) << with_evidence.status();
  EXPECT_THAT(with_evidence->evidence, ElementsAre("activities/a1", "activities/a2"));

  absl::StatusOr<Commitment> fulfilled = SetStatus(kZhangSelf, commitment, FulfilmentStatus::kFulfilled);
  ASSERT_TRUE(fulfilled.ok()) << fulfilled.status();
  EXPECT_EQ(fulfilled->status, FulfilmentStatus::kFulfilled);
  EXPECT_THAT(fulfilled->evidence, ElementsAre("activities/a1", "activities/a2"));
}

TEST_F(PgPledgeStoreTest, R3_MemberMayNotChangeTheTargetButTheBranchMay) {
  Commitment commitment = MustCreate(kSecretaryA, kZhang, "原来的目标");
  Commitment change;
  change.commitment_id = commitment.commitment_id;
  change.target = "改过的目标";
  change.status = FulfilmentStatus::kInProgress;
  absl::StatusOr<Commitment> by_member = commitments_->Update(kZhangSelf, change, {"status", "target"}, Deadline());
  EXPECT_EQ(by_member.status().code(), absl::StatusCode::kPermissionDenied) << by_member.status();
  EXPECT_THAT(std::string(by_member.status().message()), HasSubstr("target"));
  absl::StatusOr<Commitment> unchanged = commitments_->Get(kZhangSelf, commitment.commitment_id, Deadline());
  ASSERT_TRUE(unchanged.ok()) << unchanged.status();
  EXPECT_EQ(unchanged->target, "原来的目标");
  EXPECT_EQ(unchanged->status, FulfilmentStatus::kPledged);

  absl::StatusOr<Commitment> by_branch = commitments_->Update(kSecretaryA, change, {"target"}, Deadline());
  ASSERT_TRUE(by_branch.ok()) << by_branch.status();
  EXPECT_EQ(by_branch->target, "改过的目标");
  EXPECT_EQ(by_branch->status, FulfilmentStatus::kPledged);  // not in the mask
}

TEST_F(PgPledgeStoreTest, R3_StatusTransitionsAreEnforced) {
  Commitment commitment = MustCreate(kSecretaryA, kZhang, "目标");
  absl::StatusOr<Commitment> skipped = SetStatus(kSecretaryA, commitment, FulfilmentStatus::kFulfilled);
  EXPECT_EQ(skipped.status().code(), absl::StatusCode::kFailedPrecondition) << skipped.status();
  ASSERT_TRUE(SetStatus(kZhangSelf, commitment, FulfilmentStatus::kInProgress).ok());
  ASSERT_TRUE(SetStatus(kZhangSelf, commitment, FulfilmentStatus::kNotFulfilled).ok());
  // A verdict is reopened by the branch only.
  absl::StatusOr<Commitment> reopened_by_member = SetStatus(kZhangSelf, commitment, FulfilmentStatus::kInProgress);
  EXPECT_EQ(reopened_by_member.status().code(), absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<Commitment> reopened = SetStatus(kSecretaryA, commitment, FulfilmentStatus::kInProgress);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->status, FulfilmentStatus::kInProgress);
  absl::StatusOr<Commitment> unspecified = SetStatus(kSecretaryA, commitment, FulfilmentStatus::kUnspecified);
  EXPECT_EQ(unspecified.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(PgPledgeStoreTest, R3_DeleteOnlyWhilePledgedAndByTheBranch) {
  Commitment pledged = MustCreate(kSecretaryA, kZhang, "录错了");
  Commitment started = MustCreate(kSecretaryA, kZhang, "在做了");
  ASSERT_TRUE(SetStatus(kSecretaryA, started, FulfilmentStatus::kInProgress).ok());
  EXPECT_EQ(commitments_->Delete(kZhangSelf, pledged.commitment_id, Deadline()).code(),
            absl::StatusCode::kPermissionDenied);
  absl::Status refused = commitments_->Delete(kSecretaryA, started.commitment_id, Deadline());
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;
  EXPECT_THAT(std::string(refused.message()), HasSubstr("PLEDGED"));
  EXPECT_TRUE(commitments_->Delete(kSecretaryA, pledged.commitment_id, Deadline()).ok());
  EXPECT_EQ(commitments_->Get(kSecretaryA, pledged.commitment_id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  // The freed place can be used again (still 1-2).
  MustCreate(kSecretaryA, kZhang, "重新录入");
}

// ---- scope --------------------------------------------------------------------------

TEST_F(PgPledgeStoreTest, Scope_AnotherMembersCommitmentIsNotFoundForAMember) {
  Commitment lis = MustCreate(kSecretaryA, kLi, "李四的承诺");
  absl::StatusOr<Commitment> read = commitments_->Get(kZhangSelf, lis.commitment_id, Deadline());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound) << read.status();
  absl::StatusOr<Commitment> update = SetStatus(kZhangSelf, lis, FulfilmentStatus::kInProgress);
  EXPECT_EQ(update.status().code(), absl::StatusCode::kNotFound) << update.status();
  // Same answer as for an id that does not exist.
  Commitment missing = lis;
  missing.commitment_id = kNobody;
  EXPECT_EQ(SetStatus(kZhangSelf, missing, FulfilmentStatus::kInProgress).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(commitments_->List(kZhangSelf, kLi, "", kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(commitments_->GetForm(kZhangSelf, kLi, kYear, Deadline()).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(duties_->Get(kZhangSelf, kLi, kYear, Deadline()).status().code(), absl::StatusCode::kNotFound);
  // A member lists only itself, even over its whole village.
  MustCreate(kSecretaryA, kZhang, "张三的承诺");
  absl::StatusOr<CommitmentPage> own = commitments_->List(kZhangSelf, "", kVillageA, kYear, 0, "", Deadline());
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_THAT(own->commitments, SizeIs(1));
  EXPECT_EQ(own->commitments[0].member_id, kZhang);
}

TEST_F(PgPledgeStoreTest, Scope_SecretaryOfAnotherVillageIsDenied) {
  Commitment commitment = MustCreate(kSecretaryA, kZhang, "七村的承诺");
  EXPECT_EQ(commitments_->Get(kSecretaryB, commitment.commitment_id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(commitments_->Create(kSecretaryB, NewCommitment(kZhang, "越权"), "", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(SetStatus(kSecretaryB, commitment, FulfilmentStatus::kInProgress).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(commitments_->Delete(kSecretaryB, commitment.commitment_id, Deadline()).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(duties_->Set(kSecretaryB, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(commitments_->List(kSecretaryB, "", kVillageA, kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(duties_->List(kSecretaryB, kVillageA, kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->ListMembersMissingPledges(kSecretaryB, kVillageA, kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->CountMembersByBranch(kSecretaryB, kTown, kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  // The town admin reaches every village of its town, and no other town.
  EXPECT_TRUE(commitments_->Get(kTownAdmin, commitment.commitment_id, Deadline()).ok());
  EXPECT_EQ(commitments_->Get(kOtherTownAdmin, commitment.commitment_id, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
}

// ---- R2 / 二(一)2: duties ------------------------------------------------------------

TEST_F(PgPledgeStoreTest, R2_Clause2_1_2_StandardAreasUntilTheTownConfiguresItsOwn) {
  absl::StatusOr<TownDutyAreas> areas = duties_->ListAreas(kZhangSelf, kTown, Deadline());
  ASSERT_TRUE(areas.ok()) << areas.status();
  EXPECT_FALSE(areas->configured);
  ASSERT_THAT(areas->areas, SizeIs(4));
  EXPECT_EQ(areas->areas[0].code, "INDUSTRY_GUIDANCE");
  // Readable above the town (district) and from its villages, not from another town.
  Principal district_admin = Caller("users/district", "DISTRICT_ADMIN", kDistrict);
  EXPECT_TRUE(duties_->ListAreas(district_admin, kTown, Deadline()).ok());
  EXPECT_EQ(duties_->ListAreas(kOtherTownAdmin, kTown, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(duties_->ListAreas(district_admin, "500114109000", Deadline()).status().code(),
            absl::StatusCode::kNotFound);  // no such town

  absl::StatusOr<MemberDuties> set =
      duties_->Set(kSecretaryA, DutiesOf(kZhang, {"INDUSTRY_GUIDANCE", "POLICY_PUBLICITY"}, "联系5户"), Deadline());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_THAT(set->area_codes, ElementsAre("INDUSTRY_GUIDANCE", "POLICY_PUBLICITY"));
  absl::StatusOr<MemberDuties> unknown = duties_->Set(kSecretaryA, DutiesOf(kLi, {"TOURISM"}), Deadline());
  ASSERT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument) << unknown.status();
  EXPECT_THAT(std::string(unknown.status().message()), HasSubstr("INDUSTRY_GUIDANCE"));  // says what to choose
}

TEST_F(PgPledgeStoreTest, R2_CustomTownListAppliesToThatTownOnly) {
  // Only the town (POLICY_WRITE over it) changes its list.
  std::vector<DutyArea> list = {{.code = "INDUSTRY_GUIDANCE", .display_name = "指导帮扶产业发展"},
                                {.code = "TOURISM", .display_name = "乡村旅游引导"}};
  EXPECT_EQ(duties_->UpdateAreas(kSecretaryA, kTown, list, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(duties_->UpdateAreas(kOtherTownAdmin, kTown, list, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<std::vector<DutyArea>> stored = duties_->UpdateAreas(kTownAdmin, kTown, list, Deadline());
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_TRUE((*stored)[0].standard);
  EXPECT_FALSE((*stored)[1].standard);
  absl::StatusOr<TownDutyAreas> areas = duties_->ListAreas(kSecretaryA, kTown, Deadline());
  ASSERT_TRUE(areas.ok());
  EXPECT_TRUE(areas->configured);
  EXPECT_THAT(areas->areas, SizeIs(2));

  EXPECT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"TOURISM"}), Deadline()).ok());
  // POLICY_PUBLICITY is no longer offered in this town...
  EXPECT_EQ(duties_->Set(kSecretaryA, DutiesOf(kLi, {"POLICY_PUBLICITY"}), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  // ...and TOURISM is not offered in the other town, which keeps the standard list.
  Principal other_secretary = Caller("users/s", "VILLAGE_SECRETARY", kOtherVillage);
  EXPECT_EQ(duties_->Set(other_secretary, DutiesOf(kChen, {"TOURISM"}), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(duties_->Set(other_secretary, DutiesOf(kChen, {"POLICY_PUBLICITY"}), Deadline()).ok());
}

TEST_F(PgPledgeStoreTest, R2_AreaInUseCannotBeRemovedOnlyRetired) {
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"DISPUTE_MEDIATION"}), Deadline()).ok());
  std::vector<DutyArea> without = {{.code = "INDUSTRY_GUIDANCE", .display_name = "指导帮扶产业发展"}};
  absl::StatusOr<std::vector<DutyArea>> refused = duties_->UpdateAreas(kTownAdmin, kTown, without, Deadline());
  ASSERT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition) << refused.status();
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("DISPUTE_MEDIATION"));
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("retired"));
  EXPECT_FALSE(duties_->ListAreas(kTownAdmin, kTown, Deadline())->configured);  // nothing changed

  std::vector<DutyArea> retired = {{.code = "INDUSTRY_GUIDANCE", .display_name = "指导帮扶产业发展"},
                                   {.code = "DISPUTE_MEDIATION", .display_name = "矛盾纠纷化解", .retired = true}};
  ASSERT_TRUE(duties_->UpdateAreas(kTownAdmin, kTown, retired, Deadline()).ok());
  // A retired area is not offered for new duties, but the duties that had it may keep it.
  EXPECT_EQ(duties_->Set(kSecretaryA, DutiesOf(kLi, {"DISPUTE_MEDIATION"}), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<MemberDuties> kept =
      duties_->Set(kSecretaryA, DutiesOf(kZhang, {"DISPUTE_MEDIATION"}, "另加：调解邻里纠纷"), Deadline());
  EXPECT_TRUE(kept.ok()) << kept.status();
}

TEST_F(PgPledgeStoreTest, R2_SetIsAnIdempotentReplace) {
  EXPECT_EQ(duties_->Set(kSecretaryA, DutiesOf(kZhang, {}), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);  // at least one area or free text
  EXPECT_EQ(duties_->Set(kSecretaryA, DutiesOf(kZhang, {}, std::string(501, 'x')), Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(duties_->Set(kSecretaryA, DutiesOf(kWang, {"POLICY_PUBLICITY"}), Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);  // ended member
  absl::StatusOr<MemberDuties> first = duties_->Set(kSecretaryA, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<MemberDuties> repeat = duties_->Set(kSecretaryA, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline());
  ASSERT_TRUE(repeat.ok()) << repeat.status();
  EXPECT_EQ(repeat->update_time, first->update_time);
  absl::StatusOr<MemberDuties> replaced =
      duties_->Set(kSecretaryA, DutiesOf(kZhang, {"ENVIRONMENT_SUPERVISION"}, "监督河道保洁"), Deadline());
  ASSERT_TRUE(replaced.ok());
  absl::StatusOr<MemberDuties> read = duties_->Get(kZhangSelf, kZhang, kYear, Deadline());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->area_codes, ElementsAre("ENVIRONMENT_SUPERVISION"));
  EXPECT_EQ(read->free_text, "监督河道保洁");
  EXPECT_EQ(read->member_full_name, "张三");
  EXPECT_EQ(Count("SELECT count(*) FROM member_duties"), 1);
  // A member reads but does not set its duties.
  EXPECT_EQ(duties_->Set(kZhangSelf, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(PgPledgeStoreTest, R2_ListMemberDutiesByBranchAndNamePaginated) {
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline()).ok());
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kLi, {"INDUSTRY_GUIDANCE"}), Deadline()).ok());
  ASSERT_TRUE(duties_->Set(kSecretaryB, DutiesOf(kZhao, {}, "护林防火"), Deadline()).ok());
  std::vector<std::string> seen;
  std::string token;
  do {
    absl::StatusOr<MemberDutiesPage> page = duties_->List(kTownAdmin, kTown, kYear, 1, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const MemberDuties& duties : page->duties) seen.push_back(duties.branch_code + " " + duties.member_full_name);
    token = page->next_page_token;
  } while (!token.empty() && seen.size() < 10);
  // Ordered by branch code, then name as the database collates it.
  ASSERT_THAT(seen, SizeIs(3));
  EXPECT_EQ(seen[2], absl::StrCat(kVillageB, " 赵六"));
  EXPECT_THAT(seen, Contains(absl::StrCat(kVillageA, " 张三")));
  EXPECT_THAT(seen, Contains(absl::StrCat(kVillageA, " 李四")));
  absl::StatusOr<MemberDutiesPage> own = duties_->List(kLiSelf, kVillageA, kYear, 0, "", Deadline());
  ASSERT_TRUE(own.ok()) << own.status();
  ASSERT_THAT(own->duties, SizeIs(1));
  EXPECT_EQ(own->duties[0].member_id, kLi);
  EXPECT_EQ(duties_->List(kTownAdmin, kTown, kYear + 1, 1, token.empty() ? "bogus" : token, Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PgPledgeStoreTest, R3_ListCommitmentsUnderAnOrganisationPaginated) {
  MustCreate(kSecretaryA, kZhang, "张三一");
  MustCreate(kSecretaryA, kZhang, "张三二");
  MustCreate(kSecretaryA, kLi, "李四一");
  MustCreate(kSecretaryB, kZhao, "赵六一");
  std::vector<std::string> targets;
  std::string token;
  do {
    absl::StatusOr<CommitmentPage> page = commitments_->List(kTownAdmin, "", kTown, kYear, 1, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Commitment& commitment : page->commitments) targets.push_back(commitment.target);
    token = page->next_page_token;
  } while (!token.empty() && targets.size() < 10);
  ASSERT_THAT(targets, SizeIs(4));
  EXPECT_EQ(targets.back(), "赵六一");
  // One member's commitments: oldest first.
  absl::StatusOr<CommitmentPage> zhang = commitments_->List(kZhangSelf, kZhang, "", kYear, 0, "", Deadline());
  ASSERT_TRUE(zhang.ok()) << zhang.status();
  ASSERT_THAT(zhang->commitments, SizeIs(2));
  EXPECT_EQ(zhang->commitments[0].target, "张三一");
  EXPECT_EQ(commitments_->List(kTownAdmin, kZhang, kTown, kYear, 0, "", Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);  // exactly one of member_id and org_code
}

// ---- attachment 1: 党员承诺践诺书 ------------------------------------------------------

TEST_F(PgPledgeStoreTest, Attachment1_FormHasEveryFieldWithPhoneMaskedWithoutPii) {
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"INDUSTRY_GUIDANCE"}, "联系3户"), Deadline()).ok());
  Commitment first = NewCommitment(kZhang, "帮助3户发展中药材");
  first.signed_date = "2026-02-01";
  Commitment second = NewCommitment(kZhang, "调解邻里纠纷");
  second.signed_date = "2026-03-05";
  ASSERT_TRUE(commitments_->Create(kSecretaryA, first, "", Deadline()).ok());
  ASSERT_TRUE(commitments_->Create(kSecretaryA, second, "", Deadline()).ok());

  absl::StatusOr<CommitmentForm> form = commitments_->GetForm(kSecretaryA, kZhang, kYear, Deadline());
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_EQ(form->year, kYear);                                  // （ 年度）
  EXPECT_EQ(form->member.member_id, kZhang);
  EXPECT_EQ(form->member.full_name, "张三");                       // 姓名
  EXPECT_EQ(form->member.gender, Gender::kMale);                 // 性别
  EXPECT_EQ(form->member.birth_month, absl::CivilMonth(1970, 5));  // 出生年月
  EXPECT_EQ(form->member.joined_date, absl::CivilDay(1995, 7, 1));  // 入党时间
  EXPECT_TRUE(form->member.joined_month_only);
  EXPECT_EQ(form->member.phone, "13812348000");                  // 联系电话, PII_READ over the branch
  EXPECT_EQ(form->member.branch_code, kVillageA);                // 所在党支部
  EXPECT_EQ(form->branch_name, "七村");
  // （网格）and 联系的群众: grid_assignment has no data yet; empty, never invented.
  EXPECT_EQ(form->grid_name, "");
  EXPECT_THAT(form->linked_households, IsEmpty());
  EXPECT_FALSE(form->grid_data_available);
  ASSERT_THAT(form->commitments, SizeIs(2));                     // 服务承诺
  EXPECT_EQ(form->commitments[0].target, "帮助3户发展中药材");
  ASSERT_TRUE(form->duties.has_value());
  EXPECT_THAT(form->duties->area_codes, ElementsAre("INDUSTRY_GUIDANCE"));
  EXPECT_EQ(form->signed_date, "2026-03-05");                    // 签名 年月日: the latest

  absl::StatusOr<CommitmentForm> masked = commitments_->GetForm(kGridLeaderA, kZhang, kYear, Deadline());
  ASSERT_TRUE(masked.ok()) << masked.status();
  EXPECT_EQ(masked->member.phone, "138****8000");
  absl::StatusOr<CommitmentForm> own = commitments_->GetForm(kZhangSelf, kZhang, kYear, Deadline());
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->member.phone, "13812348000");  // one's own phone in full
  absl::StatusOr<CommitmentForm> landline = commitments_->GetForm(kGridLeaderA, kLi, kYear, Deadline());
  ASSERT_TRUE(landline.ok()) << landline.status();
  EXPECT_EQ(landline->member.phone, "023-******56");
  EXPECT_THAT(landline->commitments, IsEmpty());
  EXPECT_FALSE(landline->duties.has_value());
  EXPECT_EQ(landline->signed_date, "");
}

// A directory that knows the grid: the form shows what it reports.
class FakeGridDirectory final : public GridDirectory {
 public:
  absl::StatusOr<GridPlacement> PlacementOf(const Member& member, int year, bool reveal_personal_data,
                                            absl::Time deadline) override {
    return GridPlacement{.grid_name = "一组网格",
                         .linked_households = {reveal_personal_data ? "households/1 张大" : "households/1 张*"}};
  }
};

TEST_F(PgPledgeStoreTest, Attachment1_GridAndLinkedHouseholdsComeFromTheGridDirectory) {
  FakeGridDirectory grids;
  Commitments with_grids(*store_, *store_, grids, FixedNow);
  absl::StatusOr<CommitmentForm> form = with_grids.GetForm(kGridLeaderA, kZhang, kYear, Deadline());
  ASSERT_TRUE(form.ok()) << form.status();
  EXPECT_TRUE(form->grid_data_available);
  EXPECT_EQ(form->grid_name, "一组网格");
  EXPECT_THAT(form->linked_households, ElementsAre("households/1 张*"));
}

// ---- reports ------------------------------------------------------------------------------

TEST_F(PgPledgeStoreTest, R3_YearWithZeroCommitmentsIsReportedMissing) {
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline()).ok());
  MustCreate(kSecretaryA, kZhang, "张三的承诺");
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kLi, {"POLICY_PUBLICITY"}), Deadline()).ok());  // no commitment
  // 赵六 (八村) has nothing; 王五 has ended and is not reported.
  absl::StatusOr<MembersMissingPledgesPage> page =
      reports_->ListMembersMissingPledges(kTownAdmin, kTown, kYear, 0, "", Deadline());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->members, SizeIs(2));
  EXPECT_EQ(page->members[0].member_id, kLi);
  EXPECT_EQ(page->members[0].branch_name, "七村");
  EXPECT_FALSE(page->members[0].missing_duties);
  EXPECT_TRUE(page->members[0].missing_commitments);
  EXPECT_EQ(page->members[1].member_id, kZhao);
  EXPECT_TRUE(page->members[1].missing_duties);
  EXPECT_TRUE(page->members[1].missing_commitments);
  // Another year: everyone active is missing both.
  absl::StatusOr<MembersMissingPledgesPage> next_year =
      reports_->ListMembersMissingPledges(kTownAdmin, kTown, kYear + 1, 1, "", Deadline());
  ASSERT_TRUE(next_year.ok()) << next_year.status();
  EXPECT_THAT(next_year->members, SizeIs(1));
  EXPECT_FALSE(next_year->next_page_token.empty());
  absl::StatusOr<MembersMissingPledgesPage> rest = reports_->ListMembersMissingPledges(
      kTownAdmin, kTown, kYear + 1, 5, next_year->next_page_token, Deadline());
  ASSERT_TRUE(rest.ok()) << rest.status();
  EXPECT_THAT(rest->members, SizeIs(2));  // 3 active members in the town
  EXPECT_TRUE(rest->next_page_token.empty());
  // A member sees only itself.
  absl::StatusOr<MembersMissingPledgesPage> self =
      reports_->ListMembersMissingPledges(kLiSelf, kVillageA, kYear, 0, "", Deadline());
  ASSERT_TRUE(self.ok()) << self.status();
  ASSERT_THAT(self->members, SizeIs(1));
  EXPECT_EQ(self->members[0].member_id, kLi);
}

TEST_F(PgPledgeStoreTest, Report_CountsByBranchIncludeBranchesWithoutMembers) {
  ASSERT_TRUE(duties_->Set(kSecretaryA, DutiesOf(kZhang, {"POLICY_PUBLICITY"}), Deadline()).ok());
  MustCreate(kSecretaryA, kZhang, "张三的承诺");
  MustCreate(kSecretaryA, kZhang, "张三的第二件");
  MustCreate(kSecretaryA, kLi, "李四的承诺");
  absl::StatusOr<BranchCountsPage> page = reports_->CountMembersByBranch(kTownAdmin, kTown, kYear, 0, "", Deadline());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_THAT(page->branches, SizeIs(3));  // 新街社区, 七村, 八村 — by code
  const BranchMemberCounts& community = page->branches[0];
  EXPECT_EQ(community.branch_code, kCommunity);
  EXPECT_EQ(community.active_members, 0);
  EXPECT_EQ(community.missing_pledges, 0);
  const BranchMemberCounts& a = page->branches[1];
  EXPECT_EQ(a.branch_name, "七村");
  EXPECT_EQ(a.active_members, 2);
  EXPECT_EQ(a.ended_members, 1);
  EXPECT_EQ(a.with_duties, 1);
  EXPECT_EQ(a.with_commitments, 2);  // members, not commitments
  EXPECT_EQ(a.missing_pledges, 1);   // 李四 has no duties
  const BranchMemberCounts& b = page->branches[2];
  EXPECT_EQ(b.active_members, 1);
  EXPECT_EQ(b.missing_pledges, 1);
  // Paginated by branch code.
  absl::StatusOr<BranchCountsPage> first = reports_->CountMembersByBranch(kTownAdmin, kTown, kYear, 2, "", Deadline());
  ASSERT_TRUE(first.ok());
  ASSERT_THAT(first->branches, SizeIs(2));
  absl::StatusOr<BranchCountsPage> second =
      reports_->CountMembersByBranch(kTownAdmin, kTown, kYear, 2, first->next_page_token, Deadline());
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_THAT(second->branches, SizeIs(1));
  EXPECT_EQ(second->branches[0].branch_code, kVillageB);
  EXPECT_TRUE(second->next_page_token.empty());
  // A village secretary sees its village only.
  absl::StatusOr<BranchCountsPage> village = reports_->CountMembersByBranch(kSecretaryA, kVillageA, kYear, 0, "", Deadline());
  ASSERT_TRUE(village.ok()) << village.status();
  ASSERT_THAT(village->branches, SizeIs(1));
  EXPECT_EQ(village->branches[0].active_members, 2);
}

// Both reports are one set-based query each; at the district's scale (~20,000
// members, DESIGN.md §1) they answer within interactive time.
TEST_F(PgPledgeStoreTest, Report_TwentyThousandMembersAnswerQuickly) {
  ASSERT_TRUE(Sql(absl::StrCat(
                      "INSERT INTO organizations (code, kind, parent_code, display_name) "
                      "SELECT '500114101' || (300 + v)::text, 'VILLAGE', '", kTown, "', '村' || v "
                      "FROM generate_series(1, 40) AS v; "
                      "INSERT INTO members (full_name, gender, birth_month, joined_date, phone, branch_code, "
                      "person_key) "
                      "SELECT '党员' || i, 'FEMALE', '1980-01-01', '2005-01-01', '', "
                      "'500114101' || (300 + 1 + i % 40)::text, 'bulk-' || i "
                      "FROM generate_series(1, 20000) AS i; "
                      "INSERT INTO member_duties (member_id, year, area_codes) "
                      "SELECT member_id, ", kYear, ", '{POLICY_PUBLICITY}' FROM members WHERE person_key LIKE 'bulk-%' "
                      "AND right(person_key, 1) IN ('0', '2', '4', '6', '8'); "
                      "INSERT INTO commitments (member_id, year, target, measures) "
                      "SELECT member_id, ", kYear, ", '目标', '举措' FROM members WHERE person_key LIKE 'bulk-%' "
                      "AND right(person_key, 1) IN ('0', '3', '6', '9'); ANALYZE"))
                  .ok());
  absl::Time start = absl::Now();
  absl::StatusOr<BranchCountsPage> counts =
      reports_->CountMembersByBranch(kTownAdmin, kTown, kYear, 500, "", Deadline());
  absl::Duration counting = absl::Now() - start;
  ASSERT_TRUE(counts.ok()) << counts.status();
  int active = 0, with_duties = 0, with_commitments = 0, missing = 0;
  for (const BranchMemberCounts& branch : counts->branches) {
    active += branch.active_members;
    with_duties += branch.with_duties;
    with_commitments += branch.with_commitments;
    missing += branch.missing_pledges;
  }
  EXPECT_EQ(active, 20000 + 3);  // and 张三, 李四, 赵六
  EXPECT_EQ(with_duties, 10000);
  EXPECT_EQ(with_commitments, 8000);
  EXPECT_EQ(missing, 20000 - 4000 + 3);  // both: last digit 0 or 6
  start = absl::Now();
  absl::StatusOr<MembersMissingPledgesPage> page =
      reports_->ListMembersMissingPledges(kTownAdmin, kTown, kYear, 500, "", Deadline());
  absl::Duration listing = absl::Now() - start;
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_THAT(page->members, SizeIs(500));
  std::cerr << "20,000 members: CountMembersByBranch " << counting << ", ListMembersMissingPledges (500) " << listing
            << "\n";
  EXPECT_LT(counting, absl::Seconds(2));
  EXPECT_LT(listing, absl::Seconds(2));
}

}  // namespace
}  // namespace gridserve::membership
