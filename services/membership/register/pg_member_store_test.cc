#include "membership/register/pg_member_store.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "membership/register/member_validation.h"
#include "membership/register/members.h"
#include "membership/organizations/organizations.h"
#include "membership/organizations/pg_organization_store.h"
#include "membership_sql.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::membership {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

// The member register of issue 4 (clause 二(一) of the seed and attachment 1),
// its rules (Members) on the real schema (PgMemberStore, migration 0002).

constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kVillage[] = "500114101201";       // 一村
constexpr char kOtherVillage[] = "500114101202";  // 二村
constexpr char kCommunity[] = "500114101001";     // 社区
constexpr char kOtherTown[] = "500114102000";
constexpr char kOtherTownVillage[] = "500114102201";
constexpr char kNationalId[] = "500114197503150013";  // male, born 1975-03

Principal Caller(const std::string& subject, const std::string& role, const std::string& scope) {
  return Principal{.subject = subject, .bindings = {{role, scope}}, .expires_at = 0};
}

MemberDraft Draft(const std::string& name, const std::string& branch, const std::string& phone = "13812348000") {
  MemberDraft draft;
  draft.member.full_name = name;
  draft.member.gender = Gender::kMale;
  draft.member.phone = phone;
  draft.member.branch_code = branch;
  draft.birth_month = "1975-03";
  draft.joined_date = "2001-07-01";
  return draft;
}

std::vector<std::string> NamesOf(const std::vector<Member>& members) {
  std::vector<std::string> names;
  for (const Member& member : members) names.push_back(member.full_name);
  return names;
}

std::vector<std::string> ViolationFields(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldViolation& violation : FieldViolationsOf(status)) fields.push_back(violation.field);
  return fields;
}

class MembersOnPgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("members", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    absl::StatusOr<PersonalDataSealer> sealer = PersonalDataSealer::Create(std::string(32, 'k'));
    ASSERT_TRUE(sealer.ok()) << sealer.status();
    sealer_ = std::make_unique<PersonalDataSealer>(*std::move(sealer));
    store_ = std::make_unique<PgMemberStore>(*schema_.pool);
    members_ = std::make_unique<Members>(*store_, *sealer_, [] {
      return absl::FromCivil(absl::CivilSecond(2026, 11, 28, 12, 0, 0), absl::FixedTimeZone(8 * 3600));
    });
    PgOrganizationStore organizations(*schema_.pool);
    auto create = [&](const std::string& code, OrganizationKind kind, const std::string& name,
                      const std::string& parent, OrganizationKind parent_kind) {
      Organization organization{.code = code, .kind = kind, .parent_code = parent, .display_name = name};
      absl::StatusOr<Organization> created = organizations.Create(organization, parent_kind, "", Deadline());
      ASSERT_TRUE(created.ok()) << created.status();
    };
    create(kDistrict, OrganizationKind::kDistrict, "黔江区", "", OrganizationKind::kUnspecified);
    create(kTown, OrganizationKind::kTown, "邻鄂镇", kDistrict, OrganizationKind::kDistrict);
    create(kOtherTown, OrganizationKind::kTown, "石会镇", kDistrict, OrganizationKind::kDistrict);
    create(kVillage, OrganizationKind::kVillage, "一村", kTown, OrganizationKind::kTown);
    create(kOtherVillage, OrganizationKind::kVillage, "二村", kTown, OrganizationKind::kTown);
    create(kCommunity, OrganizationKind::kCommunity, "社区", kTown, OrganizationKind::kTown);
    create(kOtherTownVillage, OrganizationKind::kVillage, "石会一村", kOtherTown, OrganizationKind::kTown);
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  Member MustCreate(MemberDraft draft, const std::string& request_id = "") {
    absl::StatusOr<Member> created = members_->Create(district_admin_, std::move(draft), request_id, Deadline());
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? *created : Member();
  }

  std::vector<MemberEvent> Events(const std::string& member_id) {
    absl::StatusOr<MemberEventPage> page = members_->ListEvents(town_admin_, member_id, 0, "", Deadline());
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? page->events : std::vector<MemberEvent>();
  }

  // One column of one member row as stored, read around the service.
  std::string RawColumn(const std::string& member_id, const std::string& column) {
    std::string value;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      pqxx::row row = txn.exec1(absl::StrCat("SELECT ", column, " FROM members WHERE member_id = ",
                                             txn.quote(member_id), "::uuid"));
      if (!row[0].is_null()) value = pqxx::binarystring(row[0]).str();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

  int64_t Count(const std::string& table) {
    int64_t count = -1;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      count = txn.exec1(absl::StrCat("SELECT count(*) FROM ", table))[0].as<int64_t>();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PersonalDataSealer> sealer_;
  std::unique_ptr<PgMemberStore> store_;
  std::unique_ptr<Members> members_;
  const Principal district_admin_ = Caller("users/district", "DISTRICT_ADMIN", kDistrict);
  const Principal town_admin_ = Caller("users/town", "TOWN_ADMIN", kTown);
  const Principal secretary_ = Caller("users/secretary1", "VILLAGE_SECRETARY", kVillage);
  const Principal other_secretary_ = Caller("users/secretary2", "VILLAGE_SECRETARY", kOtherVillage);
};

TEST_F(MembersOnPgTest, Attachment1FieldsAreRegisteredAndReadBack) {
  MemberDraft draft = Draft(" 张三 ", kVillage, "138 1234 8000");
  draft.joined_date = "2001-07";
  draft.member.grid = "grids/g1";
  draft.member.household = "households/h1";
  draft.member.courtyard = "courtyards/c1";
  draft.member.is_group_head = true;
  draft.member.publicity_consent = true;
  draft.member.notes = "组长";
  draft.member.user = "users/u1";
  draft.member.national_id = kNationalId;
  Member created = MustCreate(draft);
  EXPECT_EQ(created.member_id.size(), 36u);
  EXPECT_EQ(created.full_name, "张三");
  EXPECT_EQ(created.phone, "13812348000");

  absl::StatusOr<Member> found = members_->Get(secretary_, created.member_id, Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->full_name, "张三");
  EXPECT_EQ(found->gender, Gender::kMale);
  EXPECT_EQ(found->birth_month, absl::CivilMonth(1975, 3));
  EXPECT_EQ(found->joined_date, absl::CivilDay(2001, 7, 1));
  EXPECT_TRUE(found->joined_month_only);
  EXPECT_EQ(found->phone, "13812348000");
  EXPECT_EQ(found->branch_code, kVillage);
  EXPECT_EQ(found->grid, "grids/g1");
  EXPECT_EQ(found->household, "households/h1");
  EXPECT_EQ(found->courtyard, "courtyards/c1");
  EXPECT_TRUE(found->is_group_head);
  EXPECT_TRUE(found->publicity_consent);
  EXPECT_EQ(found->notes, "组长");
  EXPECT_EQ(found->user, "users/u1");
  EXPECT_EQ(found->national_id, "");  // never returned
  EXPECT_EQ(found->national_id_last4, "0013");
  EXPECT_EQ(found->status, MemberStatus::kActive);
  EXPECT_EQ(found->create_time, created.create_time);

  std::vector<MemberEvent> events = Events(created.member_id);
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(events[0].kind, MemberEventKind::kRegistered);
  EXPECT_EQ(events[0].to_branch_code, kVillage);
  EXPECT_EQ(events[0].actor, "users/district");
  EXPECT_EQ(events[0].effective_date, absl::CivilDay(2026, 11, 28));
}

TEST_F(MembersOnPgTest, Issue4ValidationRejectsWithFieldViolations) {
  MemberDraft draft = Draft("张三", kVillage, "12345");
  draft.joined_date = "1990-01-01";  // 14 years old
  absl::StatusOr<Member> created = members_->Create(town_admin_, draft, "", Deadline());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ViolationFields(created.status()), ElementsAre("member.joined_date", "member.phone"));
  EXPECT_EQ(Count("members"), 0);
}

TEST_F(MembersOnPgTest, CreateIsIdempotentOnRequestId) {
  Member first = MustCreate(Draft("张三", kVillage), "req-1");
  Member retry = MustCreate(Draft("张三", kVillage), "req-1");
  EXPECT_EQ(retry.member_id, first.member_id);
  EXPECT_EQ(Count("members"), 1);
  EXPECT_EQ(Count("member_events"), 1);
}

TEST_F(MembersOnPgTest, Issue4OneActiveRecordPerPersonPerBranch) {
  Member first = MustCreate(Draft("张三", kVillage));
  absl::StatusOr<Member> again = members_->Create(town_admin_, Draft("张三", kVillage, "13900000000"), "", Deadline());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(first.member_id));
  // Another person of the same name (born another month), or the same person in
  // another branch, is not a duplicate.
  MemberDraft namesake = Draft("张三", kVillage);
  namesake.birth_month = "1980-01";
  MustCreate(namesake);
  MustCreate(Draft("张三", kOtherVillage));
  // Once the record has ended, the person may be registered again.
  ASSERT_TRUE(members_->EndMembership(town_admin_, first.member_id, EndReason::kWithdrawn, "", "", Deadline()).ok());
  MustCreate(Draft("张三", kVillage));
  EXPECT_EQ(Count("members"), 4);
}

TEST_F(MembersOnPgTest, Issue4OneActiveRecordPerPersonPerBranchByNationalId) {
  MemberDraft draft = Draft("张三", kVillage);
  draft.member.national_id = kNationalId;
  Member first = MustCreate(draft);
  // A differently written name with the same id is the same person.
  MemberDraft respelled = Draft("张叁", kVillage);
  respelled.member.national_id = "500114197503150013 ";
  absl::StatusOr<Member> again = members_->Create(town_admin_, respelled, "", Deadline());
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(first.member_id));
}

TEST_F(MembersOnPgTest, BranchMustBeAnExistingVillageOrCommunity) {
  absl::StatusOr<Member> missing = members_->Create(town_admin_, Draft("张三", "500114101299"), "", Deadline());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition) << missing.status();
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("500114101299"));
  MustCreate(Draft("李四", kCommunity));
}

TEST_F(MembersOnPgTest, ListFiltersAndPaginates) {
  MustCreate(Draft("王一", kVillage));
  MustCreate(Draft("王二", kVillage));
  MemberDraft in_grid = Draft("李一", kVillage);
  in_grid.member.grid = "grids/g7";
  MustCreate(in_grid);
  MemberDraft joined_2010 = Draft("赵一", kOtherVillage);
  joined_2010.joined_date = "2010-05";
  MustCreate(joined_2010);
  MustCreate(Draft("钱一", kCommunity));
  Member ended = MustCreate(Draft("孙一", kOtherVillage));
  ASSERT_TRUE(members_->EndMembership(town_admin_, ended.member_id, EndReason::kDeceased, "", "", Deadline()).ok());
  MustCreate(Draft("周一", kOtherTownVillage));

  // Whole town, two per page, ordered by branch, name, id; active only.
  std::vector<Member> all;
  ListMembersQuery query{.org_code = kTown, .page_size = 2};
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<MemberPage> page = members_->List(town_admin_, query, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->members.size(), 2u);
    all.insert(all.end(), page->members.begin(), page->members.end());
    if (page->next_page_token.empty()) break;
    query.page_token = page->next_page_token;
  }
  std::vector<std::string> branches;
  for (const Member& member : all) branches.push_back(member.branch_code);
  EXPECT_THAT(branches, ElementsAre(kCommunity, kVillage, kVillage, kVillage, kOtherVillage));
  EXPECT_THAT(NamesOf(all), SizeIs(5));

  auto list = [&](ListMembersQuery filter) {
    const Principal& caller = filter.org_code == kDistrict ? district_admin_ : town_admin_;
    absl::StatusOr<MemberPage> page = members_->List(caller, filter, Deadline());
    EXPECT_TRUE(page.ok()) << page.status();
    return page.ok() ? NamesOf(page->members) : std::vector<std::string>{"error"};
  };
  EXPECT_THAT(list({.org_code = kVillage}), SizeIs(3));
  EXPECT_THAT(list({.org_code = kTown, .status = MemberStatus::kEnded}), ElementsAre("孙一"));
  EXPECT_THAT(list({.org_code = kTown, .grid = "grids/g7"}), ElementsAre("李一"));
  EXPECT_THAT(list({.org_code = kTown, .name_prefix = "王"}), SizeIs(2));
  EXPECT_THAT(list({.org_code = kTown, .joined_year = 2010}), ElementsAre("赵一"));
  EXPECT_THAT(list({.org_code = kDistrict}), SizeIs(6)) << "as seen by the district";
  // The town admin's reach ends at its town.
  EXPECT_EQ(members_->List(town_admin_, {.org_code = kDistrict}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);

  // A token belongs to its listing.
  absl::StatusOr<MemberPage> first = members_->List(town_admin_, {.org_code = kTown, .page_size = 1}, Deadline());
  ASSERT_TRUE(first.ok());
  absl::StatusOr<MemberPage> mixed = members_->List(
      town_admin_, {.org_code = kTown, .name_prefix = "王", .page_size = 1, .page_token = first->next_page_token},
      Deadline());
  EXPECT_EQ(mixed.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(MembersOnPgTest, Issue4TransferKeepsHistoryAndChecksTheDestination) {
  Member member = MustCreate(Draft("张三", kVillage));
  absl::StatusOr<Member> moved =
      members_->Transfer(town_admin_, member.member_id, kOtherVillage, "搬迁", "2026-10-01", "move-1", Deadline());
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->member_id, member.member_id);
  EXPECT_EQ(moved->branch_code, kOtherVillage);
  // A retry of the same call returns the record as it is.
  absl::StatusOr<Member> retried =
      members_->Transfer(town_admin_, member.member_id, kOtherVillage, "搬迁", "2026-10-01", "move-1", Deadline());
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->branch_code, kOtherVillage);

  std::vector<MemberEvent> events = Events(member.member_id);
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].kind, MemberEventKind::kTransferred);
  EXPECT_EQ(events[1].from_branch_code, kVillage);
  EXPECT_EQ(events[1].to_branch_code, kOtherVillage);
  EXPECT_EQ(events[1].detail, "搬迁");
  EXPECT_EQ(events[1].effective_date, absl::CivilDay(2026, 10, 1));

  auto transfer = [&](const std::string& to, const std::string& effective = "") {
    return members_->Transfer(town_admin_, member.member_id, to, "搬迁", effective, "", Deadline()).status();
  };
  EXPECT_EQ(transfer(kOtherVillage).code(), absl::StatusCode::kFailedPrecondition);  // already there
  EXPECT_EQ(transfer(kTown).code(), absl::StatusCode::kInvalidArgument);  // a town is not a branch
  EXPECT_EQ(transfer("500114101299").code(), absl::StatusCode::kFailedPrecondition);  // no such village
  EXPECT_EQ(transfer(kVillage, "2026-12-01").code(), absl::StatusCode::kInvalidArgument);  // future
  EXPECT_EQ(members_->Transfer(town_admin_, member.member_id, kVillage, " ", "", "", Deadline()).status().code(),
            absl::StatusCode::kInvalidArgument);  // reason required
  // The same person is active at the destination already.
  Member twin = MustCreate(Draft("张三", kVillage));
  absl::Status clash = transfer(kVillage);
  EXPECT_EQ(clash.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(clash.message()), HasSubstr(twin.member_id));
  // Outside the town admin's scope.
  EXPECT_EQ(transfer(kOtherTownVillage).code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(MembersOnPgTest, Issue4EndMembershipKeepsTheRecord) {
  Member member = MustCreate(Draft("张三", kVillage));
  auto end = [&](EndReason reason, const std::string& note, const std::string& date) {
    return members_->EndMembership(town_admin_, member.member_id, reason, note, date, Deadline());
  };
  EXPECT_THAT(ViolationFields(end(EndReason::kOther, "", "").status()), ElementsAre("note"));
  EXPECT_THAT(ViolationFields(end(EndReason::kUnspecified, "", "").status()), ElementsAre("reason"));
  EXPECT_THAT(ViolationFields(end(EndReason::kDeceased, "", "2026-11-29").status()), ElementsAre("end_date"));
  EXPECT_EQ(end(EndReason::kDeceased, "", "2000-01-01").status().code(), absl::StatusCode::kInvalidArgument);

  absl::StatusOr<Member> ended = end(EndReason::kOther, "长期失联", "2026-11-01");
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_EQ(ended->status, MemberStatus::kEnded);
  EXPECT_EQ(ended->end_reason, EndReason::kOther);
  EXPECT_EQ(ended->end_note, "长期失联");
  EXPECT_EQ(ended->end_date, absl::CivilDay(2026, 11, 1));
  EXPECT_EQ(end(EndReason::kDeceased, "", "").status().code(), absl::StatusCode::kFailedPrecondition);
  // A retry of the same call answers as the first did, and records nothing more.
  absl::StatusOr<Member> retried = end(EndReason::kOther, "长期失联", "2026-11-01");
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_EQ(retried->end_date, absl::CivilDay(2026, 11, 1));
  EXPECT_TRUE(end(EndReason::kOther, "长期失联", "").ok()) << "no date given: the first call's date stands";
  EXPECT_EQ(end(EndReason::kOther, "长期失联", "2026-10-01").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(end(EndReason::kOther, "另一原因", "2026-11-01").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(members_->Transfer(town_admin_, member.member_id, kOtherVillage, "搬迁", "", "", Deadline()).status().code(),
            absl::StatusCode::kFailedPrecondition);

  // Never deleted: still readable, with its history.
  EXPECT_EQ(Count("members"), 1);
  absl::StatusOr<Member> found = members_->Get(town_admin_, member.member_id, Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->status, MemberStatus::kEnded);
  std::vector<MemberEvent> events = Events(member.member_id);
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].kind, MemberEventKind::kEnded);
  EXPECT_EQ(events[1].detail, "OTHER: 长期失联");
}

TEST_F(MembersOnPgTest, UpdateChangesOnlyTheMaskedFields) {
  MemberDraft draft = Draft("张三", kVillage);
  draft.member.notes = "原备注";
  Member member = MustCreate(draft);
  MemberDraft change = Draft("不应改变", kOtherVillage, "023-79223456");
  change.member.notes = "新备注";
  absl::StatusOr<Member> updated =
      members_->Update(secretary_, member.member_id, change, {"phone", "notes"}, Deadline());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->phone, "023-79223456");
  EXPECT_EQ(updated->notes, "新备注");
  EXPECT_EQ(updated->full_name, "张三");
  EXPECT_EQ(updated->branch_code, kVillage);
  EXPECT_GT(updated->update_time, member.update_time);
  std::vector<MemberEvent> events = Events(member.member_id);
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].kind, MemberEventKind::kUpdated);
  EXPECT_EQ(events[1].detail, "changed: notes, phone");
  EXPECT_EQ(events[1].actor, "users/secretary1");

  auto update = [&](const std::vector<std::string>& paths, const MemberDraft& values) {
    return members_->Update(secretary_, member.member_id, values, paths, Deadline()).status();
  };
  EXPECT_THAT(ViolationFields(update({"branch_code"}, change)), ElementsAre("update_mask"));
  EXPECT_THAT(ViolationFields(update({"status"}, change)), ElementsAre("update_mask"));
  EXPECT_THAT(ViolationFields(update({"favourite_colour"}, change)), ElementsAre("update_mask"));
  EXPECT_THAT(ViolationFields(update({}, change)), ElementsAre("update_mask"));
  MemberDraft too_young = change;
  too_young.joined_date = "1990-01-01";
  EXPECT_THAT(ViolationFields(update({"joined_date"}, too_young)), ElementsAre("member.joined_date"));

  // Renaming to an active namesake (same birth month) makes them one person: refused.
  Member other = MustCreate(Draft("李四", kVillage));
  MemberDraft rename = Draft("李四", kVillage);
  absl::Status clash = update({"full_name"}, rename);
  EXPECT_EQ(clash.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(clash.message()), HasSubstr(other.member_id));
}

TEST_F(MembersOnPgTest, WriteOnAStaleReadIsAborted) {
  Member member = MustCreate(Draft("张三", kVillage));
  absl::Time read_at = member.update_time;
  ASSERT_TRUE(members_->Update(secretary_, member.member_id, Draft("张三", kVillage, "13900000000"), {"phone"},
                               Deadline()).ok());
  MemberChange change{.actor = "users/x", .effective_date = absl::CivilDay(2026, 11, 28)};
  absl::StatusOr<Member> stale = store_->Transfer(member.member_id, kOtherVillage, read_at, change, Deadline());
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
}

TEST_F(MembersOnPgTest, Issue4Scope_VillageSecretaryCannotReachAnotherVillage) {
  Member mine = MustCreate(Draft("张三", kVillage));
  Member theirs = MustCreate(Draft("李四", kOtherVillage));
  EXPECT_TRUE(members_->Get(secretary_, mine.member_id, Deadline()).ok());
  absl::StatusOr<Member> read = members_->Get(secretary_, theirs.member_id, Deadline());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  // The same answer as for an id that does not exist.
  absl::StatusOr<Member> unknown = members_->Get(secretary_, "00000000-0000-0000-0000-000000000000", Deadline());
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(members_->Update(secretary_, theirs.member_id, Draft("x", kVillage), {"phone"}, Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(members_->EndMembership(secretary_, theirs.member_id, EndReason::kDeceased, "", "", Deadline())
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(members_->ListEvents(secretary_, theirs.member_id, 0, "", Deadline()).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(members_->Create(secretary_, Draft("王五", kOtherVillage), "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(members_->List(secretary_, {.org_code = kOtherVillage}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(members_->List(secretary_, {.org_code = kTown}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Moving one's own member into another village needs write access there too.
  EXPECT_EQ(members_->Transfer(secretary_, mine.member_id, kOtherVillage, "搬迁", "", "", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<MemberPage> own = members_->List(secretary_, {.org_code = kVillage}, Deadline());
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_THAT(NamesOf(own->members), ElementsAre("张三"));
}

TEST_F(MembersOnPgTest, Issue4Scope_MemberSeesOnlySelf) {
  MemberDraft self_draft = Draft("张三", kVillage);
  self_draft.member.user = "users/m1";
  Member self = MustCreate(self_draft);
  Member neighbour = MustCreate(Draft("李四", kVillage, "13900001111"));
  Principal member = Caller("users/m1", "MEMBER", kVillage);

  absl::StatusOr<Member> own = members_->Get(member, self.member_id, Deadline());
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->phone, "13812348000");  // one's own record in full
  EXPECT_EQ(members_->Get(member, neighbour.member_id, Deadline()).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<MemberPage> listed = members_->List(member, {.org_code = kVillage}, Deadline());
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_THAT(NamesOf(listed->members), ElementsAre("张三"));
  // A member may not edit the register, not even his own record.
  EXPECT_EQ(members_->Update(member, self.member_id, self_draft, {"notes"}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(MembersOnPgTest, Issue4PhoneMaskedWithoutPiiRead) {
  MemberDraft draft = Draft("张三", kVillage);
  draft.member.national_id = kNationalId;
  Member member = MustCreate(draft);
  Principal grid_leader = Caller("users/leader", "GRID_LEADER", kVillage);
  absl::StatusOr<Member> masked = members_->Get(grid_leader, member.member_id, Deadline());
  ASSERT_TRUE(masked.ok()) << masked.status();
  EXPECT_EQ(masked->phone, "138****8000");
  EXPECT_EQ(masked->national_id_last4, "");
  absl::StatusOr<MemberPage> listed = members_->List(grid_leader, {.org_code = kVillage}, Deadline());
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_THAT(listed->members, SizeIs(1));
  EXPECT_EQ(listed->members[0].phone, "138****8000");

  absl::StatusOr<Member> full = members_->Get(secretary_, member.member_id, Deadline());
  ASSERT_TRUE(full.ok()) << full.status();
  EXPECT_EQ(full->phone, "13812348000");
  EXPECT_EQ(full->national_id_last4, "0013");
  EXPECT_EQ(full->national_id, "");
}

TEST_F(MembersOnPgTest, Issue4NationalIdIsStoredEncrypted) {
  MemberDraft draft = Draft("张三", kVillage);
  draft.member.national_id = kNationalId;
  Member member = MustCreate(draft);
  std::string sealed = RawColumn(member.member_id, "national_id_sealed");
  ASSERT_FALSE(sealed.empty());
  EXPECT_THAT(sealed, Not(HasSubstr(kNationalId)));
  EXPECT_THAT(sealed, Not(HasSubstr("19750315")));
  absl::StatusOr<std::string> opened = sealer_->Open(sealed);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);
  EXPECT_THAT(RawColumn(member.member_id, "person_key"), Not(HasSubstr(kNationalId)));
  EXPECT_EQ(RawColumn(member.member_id, "national_id_last4"), "0013");

  // Removing the id through the update mask removes it at rest too.
  absl::StatusOr<Member> cleared =
      members_->Update(town_admin_, member.member_id, Draft("张三", kVillage), {"national_id"}, Deadline());
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_EQ(cleared->national_id_last4, "");
  EXPECT_EQ(RawColumn(member.member_id, "national_id_sealed"), "");
  EXPECT_EQ(RawColumn(member.member_id, "person_key"), sealer_->PersonKey([] {
    Member person;
    person.full_name = "张三";
    person.birth_month = absl::CivilMonth(1975, 3);
    return person;
  }()));
}

TEST_F(MembersOnPgTest, EventsArePaginated) {
  Member member = MustCreate(Draft("张三", kVillage));
  for (const char* phone : {"13900000001", "13900000002", "13900000003"}) {
    ASSERT_TRUE(members_->Update(town_admin_, member.member_id, Draft("张三", kVillage, phone), {"phone"},
                                 Deadline()).ok());
  }
  std::vector<MemberEventKind> kinds;
  std::string token;
  do {
    absl::StatusOr<MemberEventPage> page = members_->ListEvents(town_admin_, member.member_id, 3, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const MemberEvent& event : page->events) kinds.push_back(event.kind);
    token = page->next_page_token;
  } while (!token.empty());
  EXPECT_THAT(kinds, ElementsAre(MemberEventKind::kRegistered, MemberEventKind::kUpdated, MemberEventKind::kUpdated,
                                 MemberEventKind::kUpdated));
}

}  // namespace
}  // namespace gridserve::membership
