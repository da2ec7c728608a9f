#include "membership/organizations/pg_organization_store.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pqxx/pqxx"
#include "membership/organizations/organizations.h"
#include "membership_sql.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::membership {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The organisation tree of DESIGN.md §2 glossary (区 -> 镇(街道) -> 村(社区)),
// identified by 12-digit division codes; §5: idempotent creates by request_id.
constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kOtherTown[] = "500114102000";
constexpr char kVillage[] = "500114101201";

Organization Org(const std::string& code, OrganizationKind kind, const std::string& display_name,
                 const std::string& parent_code) {
  Organization organization;
  organization.code = code;
  organization.kind = kind;
  organization.display_name = display_name;
  organization.parent_code = parent_code;
  return organization;
}

std::vector<std::string> CodesOf(const std::vector<Organization>& organizations) {
  std::vector<std::string> codes;
  for (const Organization& organization : organizations) codes.push_back(organization.code);
  return codes;
}

// Each test gets a fresh schema of the binary's one throwaway cluster, with
// the service's migrations and a pool preparing the service's queries.
class PgOrganizationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<gridserve::testing::TestSchema> schema =
        gridserve::testing::MakeTestSchema("membership", sql::Migrations(), sql::Queries());
    ASSERT_TRUE(schema.ok()) << schema.status();
    schema_ = std::move(schema).value();
    store_ = std::make_unique<PgOrganizationStore>(*schema_.pool);
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(10); }

  absl::StatusOr<Organization> Create(const Organization& organization, OrganizationKind parent_kind,
                                      const std::string& request_id = "") {
    return store_->Create(organization, parent_kind, request_id, Deadline());
  }

  // District 黔江区 with town 邻鄂镇 and town 石会镇.
  void CreateDistrictAndTowns() {
    ASSERT_TRUE(Create(Org(kDistrict, OrganizationKind::kDistrict, "黔江区", ""), OrganizationKind::kUnspecified).ok());
    ASSERT_TRUE(Create(Org(kTown, OrganizationKind::kTown, "邻鄂镇", kDistrict), OrganizationKind::kDistrict).ok());
    ASSERT_TRUE(
        Create(Org(kOtherTown, OrganizationKind::kTown, "石会镇", kDistrict), OrganizationKind::kDistrict).ok());
  }

  int64_t CountRows() {
    int64_t count = -1;
    absl::Status status = schema_.pool->Transact(Deadline(), [&](PgTransaction& txn) {
      count = txn.exec1("SELECT count(*) FROM organizations")[0].as<int64_t>();
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return count;
  }

  gridserve::testing::TestSchema schema_;
  std::unique_ptr<PgOrganizationStore> store_;
};

TEST_F(PgOrganizationStoreTest, CreatesDistrictTownAndVillage) {
  auto district = Create(Org(kDistrict, OrganizationKind::kDistrict, "黔江区", ""), OrganizationKind::kUnspecified);
  ASSERT_TRUE(district.ok()) << district.status();
  EXPECT_EQ(district->code, kDistrict);
  EXPECT_EQ(district->kind, OrganizationKind::kDistrict);
  EXPECT_EQ(district->parent_code, "");
  auto town = Create(Org(kTown, OrganizationKind::kTown, "邻鄂镇", kDistrict), OrganizationKind::kDistrict);
  ASSERT_TRUE(town.ok()) << town.status();
  EXPECT_EQ(town->parent_code, kDistrict);
  auto village = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown);
  ASSERT_TRUE(village.ok()) << village.status();
  EXPECT_EQ(village->kind, OrganizationKind::kVillage);
  EXPECT_EQ(village->parent_code, kTown);
  EXPECT_EQ(village->display_name, "七村");
  EXPECT_FALSE(village->demo_data);
  EXPECT_GT(village->create_time, absl::UnixEpoch());
  EXPECT_EQ(village->update_time, village->create_time);

  auto found = store_->Get(kVillage, Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->code, kVillage);
  EXPECT_EQ(found->kind, OrganizationKind::kVillage);
  EXPECT_EQ(found->parent_code, kTown);
  EXPECT_EQ(found->display_name, "七村");
  EXPECT_EQ(found->create_time, village->create_time);
  EXPECT_EQ(CountRows(), 3);
}

TEST_F(PgOrganizationStoreTest, GetOfMissingCodeIsNotFound) {
  auto found = store_->Get(kVillage, Deadline());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kNotFound) << found.status();
  EXPECT_THAT(std::string(found.status().message()), HasSubstr(kVillage));
}

TEST_F(PgOrganizationStoreTest, DuplicateCodeIsAlreadyExists) {
  CreateDistrictAndTowns();
  ASSERT_TRUE(Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown).ok());
  auto again = Create(Org(kVillage, OrganizationKind::kVillage, "另一个村", kTown), OrganizationKind::kTown);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_THAT(std::string(again.status().message()), HasSubstr(kVillage));
  EXPECT_EQ(CountRows(), 4);
}

TEST_F(PgOrganizationStoreTest, DuplicateSiblingNameIsAlreadyExists) {
  CreateDistrictAndTowns();
  ASSERT_TRUE(Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown).ok());
  auto sibling = Create(Org("500114101202", OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown);
  EXPECT_EQ(sibling.status().code(), absl::StatusCode::kAlreadyExists) << sibling.status();
  EXPECT_THAT(std::string(sibling.status().message()), HasSubstr("display_name"));
  // The same name under another town is fine.
  auto cousin = Create(Org("500114102201", OrganizationKind::kVillage, "七村", kOtherTown), OrganizationKind::kTown);
  EXPECT_TRUE(cousin.ok()) << cousin.status();
  // Districts are siblings too.
  auto district =
      Create(Org("500115000000", OrganizationKind::kDistrict, "黔江区", ""), OrganizationKind::kUnspecified);
  EXPECT_EQ(district.status().code(), absl::StatusCode::kAlreadyExists) << district.status();
}

TEST_F(PgOrganizationStoreTest, MissingParentIsFailedPrecondition) {
  ASSERT_TRUE(Create(Org(kDistrict, OrganizationKind::kDistrict, "黔江区", ""), OrganizationKind::kUnspecified).ok());
  auto village = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown);
  EXPECT_EQ(village.status().code(), absl::StatusCode::kFailedPrecondition) << village.status();
  EXPECT_THAT(std::string(village.status().message()), HasSubstr(kTown));
  EXPECT_EQ(CountRows(), 1);
}

TEST_F(PgOrganizationStoreTest, ParentOfWrongKindIsFailedPrecondition) {
  CreateDistrictAndTowns();
  // A village directly under the district.
  auto village = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kDistrict), OrganizationKind::kTown);
  EXPECT_EQ(village.status().code(), absl::StatusCode::kFailedPrecondition) << village.status();
  EXPECT_THAT(std::string(village.status().message()), HasSubstr("DISTRICT"));
  EXPECT_EQ(CountRows(), 3);
}

TEST_F(PgOrganizationStoreTest, RepeatedRequestIdReturnsTheFirstOrganization) {
  CreateDistrictAndTowns();
  auto first = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown, "req-42");
  ASSERT_TRUE(first.ok()) << first.status();
  auto retry = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown, "req-42");
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->code, first->code);
  EXPECT_EQ(retry->display_name, first->display_name);
  EXPECT_EQ(retry->create_time, first->create_time);
  EXPECT_EQ(CountRows(), 4);
}

TEST_F(PgOrganizationStoreTest, RequestIdReusedForAnotherCodeIsAlreadyExists) {
  CreateDistrictAndTowns();
  ASSERT_TRUE(Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown, "req-42").ok());
  auto other =
      Create(Org("500114101202", OrganizationKind::kVillage, "八村", kTown), OrganizationKind::kTown, "req-42");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists) << other.status();
  EXPECT_THAT(std::string(other.status().message()), HasSubstr("request_id"));
  EXPECT_EQ(CountRows(), 4);
}

TEST_F(PgOrganizationStoreTest, CreatesWithoutRequestIdAreIndependent) {
  CreateDistrictAndTowns();
  ASSERT_TRUE(Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown, "").ok());
  ASSERT_TRUE(Create(Org("500114101202", OrganizationKind::kVillage, "八村", kTown), OrganizationKind::kTown, "").ok());
  EXPECT_EQ(CountRows(), 5);
}

TEST_F(PgOrganizationStoreTest, ListChildrenOrdersByCodeAndHonoursPrefixAfterAndLimit) {
  CreateDistrictAndTowns();
  for (const char* code : {"500114101205", "500114101201", "500114101203", "500114101001", "500114101202"}) {
    OrganizationKind kind =
        std::string(code).ends_with("001") ? OrganizationKind::kCommunity : OrganizationKind::kVillage;
    ASSERT_TRUE(Create(Org(code, kind, absl::StrCat("村", code), kTown), OrganizationKind::kTown).ok()) << code;
  }
  ASSERT_TRUE(
      Create(Org("500114102201", OrganizationKind::kVillage, "别镇的村", kOtherTown), OrganizationKind::kTown).ok());

  auto all = store_->ListChildren(kTown, {"500114101"}, "", 100, Deadline());
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(CodesOf(*all),
              ElementsAre("500114101001", "500114101201", "500114101202", "500114101203", "500114101205"));

  auto after = store_->ListChildren(kTown, {"500114101"}, "500114101202", 2, Deadline());
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_THAT(CodesOf(*after), ElementsAre("500114101203", "500114101205"));

  auto limited = store_->ListChildren(kTown, {"500114101"}, "", 2, Deadline());
  ASSERT_TRUE(limited.ok()) << limited.status();
  EXPECT_THAT(CodesOf(*limited), ElementsAre("500114101001", "500114101201"));

  auto one = store_->ListChildren(kTown, {"500114101203"}, "", 100, Deadline());
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_THAT(CodesOf(*one), ElementsAre("500114101203"));

  auto towns = store_->ListChildren(kDistrict, {"500114101"}, "", 100, Deadline());
  ASSERT_TRUE(towns.ok()) << towns.status();
  EXPECT_THAT(CodesOf(*towns), ElementsAre(kTown));

  auto two = store_->ListChildren(kTown, {"500114101001", "500114101203"}, "", 100, Deadline());
  ASSERT_TRUE(two.ok()) << two.status();
  EXPECT_THAT(CodesOf(*two), ElementsAre("500114101001", "500114101203"));

  auto districts = store_->ListChildren("", {"500114"}, "", 100, Deadline());
  ASSERT_TRUE(districts.ok()) << districts.status();
  EXPECT_THAT(CodesOf(*districts), ElementsAre(kDistrict));
}

// Every list is paginated (DESIGN.md §1): pages of 3 over 7 villages.
TEST_F(PgOrganizationStoreTest, OrganizationsPagesThroughAllVillagesOnce) {
  CreateDistrictAndTowns();
  Organizations organizations(*store_);
  Principal town_admin;
  town_admin.subject = "clerk";
  town_admin.bindings = {{"TOWN_ADMIN", kTown}};
  std::vector<std::string> expected;
  for (int i : {7, 3, 1, 6, 2, 5, 4}) {
    std::string code = absl::StrCat("50011410120", i);
    auto created = organizations.Create(
        town_admin, Org(code, OrganizationKind::kVillage, absl::StrCat("第", i, "村"), ""), "", Deadline());
    ASSERT_TRUE(created.ok()) << created.status();
  }
  for (int i = 1; i <= 7; ++i) expected.push_back(absl::StrCat("50011410120", i));

  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  std::string token;
  do {
    auto page = organizations.List(town_admin, kTown, 3, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    page_sizes.push_back(page->organizations.size());
    for (const Organization& organization : page->organizations) seen.push_back(organization.code);
    token = page->next_page_token;
    ASSERT_LE(page_sizes.size(), 5u) << "pagination does not end";
  } while (!token.empty());
  EXPECT_EQ(seen, expected);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size()) << "duplicates";
  EXPECT_THAT(page_sizes, ElementsAre(3, 3, 1));
}

TEST_F(PgOrganizationStoreTest, UpdateDisplayNameChangesNameAndUpdateTime) {
  CreateDistrictAndTowns();
  auto created = Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown);
  ASSERT_TRUE(created.ok()) << created.status();
  auto updated = store_->UpdateDisplayName(kVillage, "七星村", Deadline());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name, "七星村");
  EXPECT_EQ(updated->create_time, created->create_time);
  EXPECT_GT(updated->update_time, created->update_time);
  auto found = store_->Get(kVillage, Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->display_name, "七星村");
  EXPECT_EQ(found->update_time, updated->update_time);
}

TEST_F(PgOrganizationStoreTest, UpdateDisplayNameOfMissingCodeIsNotFound) {
  CreateDistrictAndTowns();
  auto updated = store_->UpdateDisplayName(kVillage, "七星村", Deadline());
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kNotFound) << updated.status();
}

TEST_F(PgOrganizationStoreTest, UpdateDisplayNameToASiblingsNameIsAlreadyExists) {
  CreateDistrictAndTowns();
  ASSERT_TRUE(Create(Org(kVillage, OrganizationKind::kVillage, "七村", kTown), OrganizationKind::kTown).ok());
  ASSERT_TRUE(Create(Org("500114101202", OrganizationKind::kVillage, "八村", kTown), OrganizationKind::kTown).ok());
  auto updated = store_->UpdateDisplayName("500114101202", "七村", Deadline());
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kAlreadyExists) << updated.status();
  auto found = store_->Get("500114101202", Deadline());
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->display_name, "八村");
}

}  // namespace
}  // namespace gridserve::membership
