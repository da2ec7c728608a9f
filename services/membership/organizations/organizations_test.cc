#include "membership/organizations/organizations.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/paging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::membership {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The organisation tree and its codes follow DESIGN.md §2 glossary: 12-digit
// statistical division codes; 6 county digits (500114 黔江区), 3 town digits
// (0xx 街道, 1xx 镇, 2xx-3xx 乡), 3 village digits (0xx-1xx 社区, 2xx-3xx 村);
// scope checks are prefix checks on the code.
constexpr char kDistrict[] = "500114000000";
constexpr char kTown[] = "500114101000";
constexpr char kOtherTown[] = "500114102000";
constexpr char kVillage[] = "500114101201";
constexpr char kOtherTownsVillage[] = "500114102201";

Organization Org(const std::string& code, OrganizationKind kind, const std::string& display_name,
                 const std::string& parent_code = "") {
  Organization organization;
  organization.code = code;
  organization.kind = kind;
  organization.display_name = display_name;
  organization.parent_code = parent_code;
  return organization;
}

std::vector<std::string> FieldsOf(const std::vector<FieldViolation>& violations) {
  std::vector<std::string> fields;
  for (const FieldViolation& v : violations) fields.push_back(v.field);
  return fields;
}

std::vector<std::string> ViolatedFields(const Organization& organization) {
  return FieldsOf(ValidateNewOrganization(organization, "organization."));
}

std::string Repeat(const std::string& text, int times) {
  std::string result;
  for (int i = 0; i < times; ++i) result += text;
  return result;
}

// --- ValidateNewOrganization -------------------------------------------------

TEST(ValidateNewOrganizationTest, ValidOrganizationsOfEveryKindPass) {
  EXPECT_THAT(ViolatedFields(Org(kDistrict, OrganizationKind::kDistrict, "黔江区")), IsEmpty());
  EXPECT_THAT(ViolatedFields(Org(kTown, OrganizationKind::kTown, "邻鄂镇", kDistrict)), IsEmpty());
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, "七村", kTown)), IsEmpty());
  EXPECT_THAT(ViolatedFields(Org("500114101001", OrganizationKind::kCommunity, "社区", kTown)), IsEmpty());
}

TEST(ValidateNewOrganizationTest, CodeMustBeTwelveDigits) {
  for (const char* code : {"", "50011410120", "5001141012011", "50011410120x", "500114-01201"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kVillage, "七村")), ElementsAre("organization.code"))
        << code;
  }
}

TEST(ValidateNewOrganizationTest, FieldPrefixIsPrepended) {
  EXPECT_THAT(FieldsOf(ValidateNewOrganization(Org("x", OrganizationKind::kVillage, ""), "")),
              ElementsAre("code", "display_name"));
}

TEST(ValidateNewOrganizationTest, KindIsRequired) {
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kUnspecified, "七村")), ElementsAre("organization.kind"));
}

// A district code has a non-zero county part and ends in six zeros.
TEST(ValidateNewOrganizationTest, DistrictCodeEndsInSixZeros) {
  for (const char* code : {"500114101000", "500114101201", "500114000001", "500000000000", "500100000000"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kDistrict, "区")), ElementsAre("organization.code")) << code;
  }
}

// A town segment is 001-399 (街道 0xx, 镇 1xx, 乡 2xx-3xx) and the village part is 000.
TEST(ValidateNewOrganizationTest, TownSegmentIs001To399AndEndsInZeros) {
  for (const char* code : {"500114001000", "500114101000", "500114201000", "500114399000"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kTown, "镇")), IsEmpty()) << code;
  }
  for (const char* code : {"500114000000", "500114400000", "500114999000", "500114101201", "500114101001"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kTown, "镇")), ElementsAre("organization.code")) << code;
  }
}

// Village (村委会) codes end in 200-399, under a town.
TEST(ValidateNewOrganizationTest, VillageSegmentIs200To399) {
  for (const char* code : {"500114101200", "500114101201", "500114101399"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kVillage, "村")), IsEmpty()) << code;
  }
  for (const char* code : {"500114101000", "500114101001", "500114101199", "500114101400", "500114000201"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kVillage, "村")), ElementsAre("organization.code")) << code;
  }
}

// Community (社区居委会) codes end in 001-199, under a town.
TEST(ValidateNewOrganizationTest, CommunitySegmentIs001To199) {
  for (const char* code : {"500114101001", "500114101099", "500114101199"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kCommunity, "社区")), IsEmpty()) << code;
  }
  for (const char* code : {"500114101000", "500114101200", "500114101399", "500114000001"}) {
    EXPECT_THAT(ViolatedFields(Org(code, OrganizationKind::kCommunity, "社区")), ElementsAre("organization.code"))
        << code;
  }
}

TEST(ValidateNewOrganizationTest, ParentCodeMustBeTheOneImpliedByTheCode) {
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, "七村", kOtherTown)),
              ElementsAre("organization.parent_code"));
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, "七村", kDistrict)),
              ElementsAre("organization.parent_code"));
  EXPECT_THAT(ViolatedFields(Org(kTown, OrganizationKind::kTown, "邻鄂镇", "500115000000")),
              ElementsAre("organization.parent_code"));
  EXPECT_THAT(ViolatedFields(Org(kDistrict, OrganizationKind::kDistrict, "黔江区", "500100000000")),
              ElementsAre("organization.parent_code"));
  // Empty means "derive it".
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, "七村")), IsEmpty());
}

TEST(ValidateNewOrganizationTest, ParentCodeViolationSaysWhichParent) {
  std::vector<FieldViolation> violations =
      ValidateNewOrganization(Org(kVillage, OrganizationKind::kVillage, "七村", kOtherTown), "organization.");
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_THAT(violations[0].description, HasSubstr(kTown));
}

TEST(ValidateNewOrganizationTest, DisplayNameIsRequired) {
  for (const char* name : {"", " ", " \t\n "}) {
    EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, name)),
                ElementsAre("organization.display_name"))
        << "'" << name << "'";
  }
}

// At most 50 characters; a Chinese character counts as one (three UTF-8 bytes).
TEST(ValidateNewOrganizationTest, DisplayNameAtMostFiftyCharacters) {
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, Repeat("村", 50))), IsEmpty());
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, Repeat("a", 50))), IsEmpty());
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, Repeat("村", 51))),
              ElementsAre("organization.display_name"));
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, Repeat("a", 51))),
              ElementsAre("organization.display_name"));
  // Surrounding spaces are trimmed before counting.
  EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, "  " + Repeat("村", 50) + "  ")), IsEmpty());
}

TEST(ValidateNewOrganizationTest, DisplayNameWithoutControlCharacters) {
  for (const std::string& name :
       {std::string("七\t村"), std::string("七\n村"), std::string("七\x7f村"), std::string("七\0村", 7)}) {
    EXPECT_THAT(ViolatedFields(Org(kVillage, OrganizationKind::kVillage, name)),
                ElementsAre("organization.display_name"));
  }
}

TEST(ValidateNewOrganizationTest, ReportsEveryViolationAtOnce) {
  EXPECT_THAT(ViolatedFields(Org("bad", OrganizationKind::kUnspecified, "")),
              ElementsAre("organization.code", "organization.kind", "organization.display_name"));
}

TEST(ParentCodeOfTest, DerivesTheParentFromTheCode) {
  EXPECT_EQ(ParentCodeOf(kDistrict, OrganizationKind::kDistrict), "");
  EXPECT_EQ(ParentCodeOf(kTown, OrganizationKind::kTown), kDistrict);
  EXPECT_EQ(ParentCodeOf(kVillage, OrganizationKind::kVillage), kTown);
  EXPECT_EQ(ParentCodeOf("500114101001", OrganizationKind::kCommunity), kTown);
}

TEST(KindNameTest, RoundTrips) {
  for (OrganizationKind kind : {OrganizationKind::kDistrict, OrganizationKind::kTown, OrganizationKind::kVillage,
                                OrganizationKind::kCommunity}) {
    EXPECT_EQ(KindFromName(KindName(kind)), kind);
  }
  EXPECT_EQ(KindFromName("UNSPECIFIED"), std::nullopt);
  EXPECT_EQ(KindFromName("village"), std::nullopt);
}

// --- Organizations: roles, scope, pagination ------------------------------------

// A tiny in-memory store; it records what Organizations asked of it.
class FakeOrganizationStore : public OrganizationStore {
 public:
  struct ListCall {
    std::string parent_code;
    std::vector<std::string> code_prefixes;
    std::string after_code;
    int limit = 0;
  };

  void Put(const Organization& organization) { rows_[organization.code] = organization; }

  absl::StatusOr<Organization> Create(const Organization& organization, OrganizationKind parent_kind,
                                      const std::string& request_id, absl::Time) override {
    ++calls;
    last_parent_kind = parent_kind;
    last_request_id = request_id;
    rows_[organization.code] = organization;
    return organization;
  }
  absl::StatusOr<Organization> Get(const std::string& code, absl::Time) override {
    ++calls;
    auto it = rows_.find(code);
    if (it == rows_.end()) return absl::NotFoundError(code);
    return it->second;
  }
  absl::StatusOr<std::vector<Organization>> ListChildren(const std::string& parent_code,
                                                         const std::vector<std::string>& code_prefixes,
                                                         const std::string& after_code, int limit,
                                                         absl::Time) override {
    ++calls;
    list_calls.push_back({parent_code, code_prefixes, after_code, limit});
    std::vector<Organization> result;
    for (const auto& [code, organization] : rows_) {  // std::map: ordered by code
      bool visible = std::any_of(code_prefixes.begin(), code_prefixes.end(),
                                 [&](const std::string& prefix) { return absl::StartsWith(code, prefix); });
      if (organization.parent_code == parent_code && visible && code > after_code &&
          static_cast<int>(result.size()) < limit) {
        result.push_back(organization);
      }
    }
    return result;
  }
  absl::StatusOr<Organization> UpdateDisplayName(const std::string& code, const std::string& display_name,
                                                 absl::Time) override {
    ++calls;
    auto it = rows_.find(code);
    if (it == rows_.end()) return absl::NotFoundError(code);
    it->second.display_name = display_name;
    return it->second;
  }

  int calls = 0;
  OrganizationKind last_parent_kind = OrganizationKind::kUnspecified;
  std::string last_request_id;
  std::vector<ListCall> list_calls;

 private:
  std::map<std::string, Organization> rows_;
};

Principal Caller(std::vector<std::string> roles, const std::string& scope) {
  Principal principal;
  principal.subject = "tester";
  for (std::string& role : roles) principal.bindings.push_back({std::move(role), scope});
  return principal;
}

class OrganizationsTest : public ::testing::Test {
 protected:
  OrganizationsTest() {
    store_.Put(Org(kDistrict, OrganizationKind::kDistrict, "黔江区"));
    store_.Put(Org(kTown, OrganizationKind::kTown, "邻鄂镇", kDistrict));
    store_.Put(Org(kOtherTown, OrganizationKind::kTown, "石会镇", kDistrict));
    store_.Put(Org(kVillage, OrganizationKind::kVillage, "七村", kTown));
    store_.Put(Org(kOtherTownsVillage, OrganizationKind::kVillage, "八村", kOtherTown));
  }

  static absl::Time Deadline() { return absl::Now() + absl::Seconds(5); }

  FakeOrganizationStore store_;
  Organizations organizations_{store_};
  const Principal district_admin_ = Caller({"DISTRICT_ADMIN"}, kDistrict);
  const Principal town_admin_ = Caller({"TOWN_ADMIN"}, kTown);
  const Principal village_secretary_ = Caller({"VILLAGE_SECRETARY"}, kVillage);
};

TEST_F(OrganizationsTest, CreateWithoutAdminRoleIsPermissionDenied) {
  store_.calls = 0;
  for (const Principal& caller : {village_secretary_, Caller({}, kDistrict), Caller({"MEMBER"}, kTown)}) {
    auto created =
        organizations_.Create(caller, Org("500114101202", OrganizationKind::kVillage, "新村"), "", Deadline());
    EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied) << created.status();
  }
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(OrganizationsTest, TownAdminCannotCreateInAnotherTown) {
  store_.calls = 0;
  auto created =
      organizations_.Create(town_admin_, Org("500114102202", OrganizationKind::kVillage, "新村"), "", Deadline());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kPermissionDenied) << created.status();
  EXPECT_THAT(std::string(created.status().message()), HasSubstr("500114102202"));
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(OrganizationsTest, TownAdminCannotCreateATownOrDistrict) {
  auto town = organizations_.Create(town_admin_, Org("500114103000", OrganizationKind::kTown, "新镇"), "", Deadline());
  EXPECT_EQ(town.status().code(), absl::StatusCode::kPermissionDenied) << town.status();
  auto district =
      organizations_.Create(town_admin_, Org("500115000000", OrganizationKind::kDistrict, "新区"), "", Deadline());
  EXPECT_EQ(district.status().code(), absl::StatusCode::kPermissionDenied) << district.status();
}

TEST_F(OrganizationsTest, TownAdminCreatesVillageInOwnTownWithDerivedParent) {
  auto created = organizations_.Create(town_admin_, Org("500114101202", OrganizationKind::kVillage, "  新村  "),
                                       "req-1", Deadline());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->parent_code, kTown);
  EXPECT_EQ(created->display_name, "新村");
  EXPECT_EQ(store_.last_parent_kind, OrganizationKind::kTown);
  EXPECT_EQ(store_.last_request_id, "req-1");
}

TEST_F(OrganizationsTest, DistrictAdminCreatesTownWithDistrictParentKind) {
  auto created =
      organizations_.Create(district_admin_, Org("500114103000", OrganizationKind::kTown, "新镇"), "", Deadline());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->parent_code, kDistrict);
  EXPECT_EQ(store_.last_parent_kind, OrganizationKind::kDistrict);
}

TEST_F(OrganizationsTest, CreateInvalidIsInvalidArgumentWithViolations) {
  store_.calls = 0;
  auto created = organizations_.Create(district_admin_, Org("500114101199", OrganizationKind::kVillage, ""),
                                       std::string(65, 'r'), Deadline());
  EXPECT_EQ(created.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(created.status())),
              ElementsAre("organization.code", "organization.display_name", "request_id"));
  EXPECT_EQ(store_.calls, 0);
}

// The tree is not personal data: a caller reads its own subtree and its ancestors.
TEST_F(OrganizationsTest, GetOfOwnSubtreeAndAncestorsIsAllowed) {
  Principal village_caller = Caller({"VILLAGE_SECRETARY"}, kVillage);
  for (const char* code : {kVillage, kTown, kDistrict}) {
    auto found = organizations_.Get(village_caller, code, Deadline());
    ASSERT_TRUE(found.ok()) << code << ": " << found.status();
    EXPECT_EQ(found->code, code);
  }
  EXPECT_TRUE(organizations_.Get(town_admin_, kVillage, Deadline()).ok());
}

TEST_F(OrganizationsTest, GetOfAnotherTownsVillageIsDenied) {
  store_.calls = 0;
  for (const char* code : {kOtherTownsVillage, kOtherTown}) {
    auto found = organizations_.Get(town_admin_, code, Deadline());
    EXPECT_EQ(found.status().code(), absl::StatusCode::kPermissionDenied) << code;
  }
  // A sibling village is not an ancestor either.
  EXPECT_EQ(organizations_.Get(village_secretary_, "500114101202", Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(OrganizationsTest, GetOfMalformedCodeIsInvalidArgument) {
  auto found = organizations_.Get(district_admin_, "50011410120", Deadline());
  EXPECT_EQ(found.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(found.status())), ElementsAre("code"));
}

TEST_F(OrganizationsTest, ListOfParentOutsideScopeIsDenied) {
  store_.calls = 0;
  auto page = organizations_.List(town_admin_, kOtherTown, 0, "", Deadline());
  EXPECT_EQ(page.status().code(), absl::StatusCode::kPermissionDenied) << page.status();
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(OrganizationsTest, ListOfDistrictByTownAdminShowsOnlyItsTown) {
  auto page = organizations_.List(town_admin_, kDistrict, 0, "", Deadline());
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(store_.list_calls.size(), 1u);
  EXPECT_EQ(store_.list_calls[0].parent_code, kDistrict);
  EXPECT_THAT(store_.list_calls[0].code_prefixes, ElementsAre("500114101"));
  EXPECT_THAT(page->organizations, ElementsAre(Field(&Organization::code, kTown)));
  EXPECT_EQ(page->next_page_token, "");
}

TEST_F(OrganizationsTest, ListPassesTheVisiblePrefixForEachCaller) {
  ASSERT_TRUE(organizations_.List(district_admin_, kDistrict, 0, "", Deadline()).ok());
  ASSERT_TRUE(organizations_.List(district_admin_, "", 0, "", Deadline()).ok());
  ASSERT_TRUE(organizations_.List(town_admin_, kTown, 0, "", Deadline()).ok());
  ASSERT_TRUE(organizations_.List(village_secretary_, kTown, 0, "", Deadline()).ok());
  ASSERT_EQ(store_.list_calls.size(), 4u);
  EXPECT_THAT(store_.list_calls[0].code_prefixes, ElementsAre("500114"));
  EXPECT_THAT(store_.list_calls[1].code_prefixes, ElementsAre("500114"));
  EXPECT_THAT(store_.list_calls[2].code_prefixes, ElementsAre("500114101"));
  EXPECT_THAT(store_.list_calls[3].code_prefixes, ElementsAre(kVillage));
}

TEST_F(OrganizationsTest, ListPageSizeDefaultsAndIsCapped) {
  ASSERT_TRUE(organizations_.List(district_admin_, kDistrict, 0, "", Deadline()).ok());
  ASSERT_TRUE(organizations_.List(district_admin_, kDistrict, 100000, "", Deadline()).ok());
  ASSERT_EQ(store_.list_calls.size(), 2u);
  // One more than the page, to know whether another page follows.
  EXPECT_EQ(store_.list_calls[0].limit, kDefaultPageSize + 1);
  EXPECT_EQ(store_.list_calls[1].limit, kMaxPageSize + 1);
}

TEST_F(OrganizationsTest, NegativePageSizeIsInvalidArgument) {
  auto page = organizations_.List(district_admin_, kDistrict, -1, "", Deadline());
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(page.status())), ElementsAre("page_size"));
}

TEST_F(OrganizationsTest, MalformedParentCodeIsInvalidArgument) {
  auto page = organizations_.List(district_admin_, "5001141", 0, "", Deadline());
  EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(page.status())), ElementsAre("parent_code"));
}

TEST_F(OrganizationsTest, PagesThroughChildrenWithTokens) {
  store_.Put(Org("500114103000", OrganizationKind::kTown, "三镇", kDistrict));
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto page = organizations_.List(district_admin_, kDistrict, 2, token, Deadline());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const Organization& organization : page->organizations) seen.push_back(organization.code);
    token = page->next_page_token;
    ASSERT_LT(++pages, 10) << "pagination does not end";
  } while (!token.empty());
  EXPECT_THAT(seen, ElementsAre(kTown, kOtherTown, "500114103000"));
  EXPECT_EQ(pages, 2);
}

TEST_F(OrganizationsTest, BadPageTokenIsInvalidArgumentNamingPageToken) {
  auto first = organizations_.List(district_admin_, kDistrict, 1, "", Deadline());
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_FALSE(first->next_page_token.empty());
  for (const std::string& token : {std::string("not a token!"), std::string("AAAA"), first->next_page_token + "x"}) {
    auto page = organizations_.List(district_admin_, kDistrict, 1, token, Deadline());
    EXPECT_EQ(page.status().code(), absl::StatusCode::kInvalidArgument) << token;
    EXPECT_THAT(FieldsOf(FieldViolationsOf(page.status())), ElementsAre("page_token")) << token;
  }
  // A token of one listing is refused for another parent.
  auto other = organizations_.List(district_admin_, kTown, 1, first->next_page_token, Deadline());
  EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(other.status())), ElementsAre("page_token"));
}

TEST_F(OrganizationsTest, UpdateWithEmptyMaskIsInvalidArgumentNamingUpdateMask) {
  auto updated = organizations_.Update(district_admin_, kTown, "新名", {}, Deadline());
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(updated.status())), ElementsAre("update_mask"));
}

TEST_F(OrganizationsTest, UpdateOfCodeIsInvalidArgumentNamingUpdateMask) {
  store_.calls = 0;
  for (const std::vector<std::string>& mask :
       {std::vector<std::string>{"code"}, std::vector<std::string>{"display_name", "code"},
        std::vector<std::string>{"parent_code"}, std::vector<std::string>{"kind"}}) {
    auto updated = organizations_.Update(district_admin_, kTown, "新名", mask, Deadline());
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(FieldsOf(FieldViolationsOf(updated.status())), Contains("update_mask"));
    EXPECT_THAT(FieldsOf(FieldViolationsOf(updated.status())), Not(Contains("organization.display_name")));
  }
  EXPECT_EQ(store_.calls, 0);
}

TEST_F(OrganizationsTest, UpdateRenamesWithinScope) {
  auto updated = organizations_.Update(town_admin_, kVillage, " 新七村 ", {"display_name"}, Deadline());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->display_name, "新七村");
}

TEST_F(OrganizationsTest, UpdateNeedsAdminRoleAndScope) {
  EXPECT_EQ(organizations_.Update(village_secretary_, kVillage, "新名", {"display_name"}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      organizations_.Update(town_admin_, kOtherTownsVillage, "新名", {"display_name"}, Deadline()).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(organizations_.Update(town_admin_, kDistrict, "新名", {"display_name"}, Deadline()).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(OrganizationsTest, UpdateChecksTheNewName) {
  auto updated = organizations_.Update(district_admin_, kTown, Repeat("镇", 51), {"display_name"}, Deadline());
  EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(FieldsOf(FieldViolationsOf(updated.status())), ElementsAre("organization.display_name"));
}

}  // namespace
}  // namespace gridserve::membership
