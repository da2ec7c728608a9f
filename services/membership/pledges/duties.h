#pragma once

// 亮职责 (rule R2, clause 二(一)2 and 主要任务 2): each member's duties for a
// year, chosen from the duty areas of the member's town plus free text.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "membership/shared/member.h"
#include "membership/pledges/pledge_common.h"

namespace gridserve::membership {

// One area a duty can be in, e.g. INDUSTRY_GUIDANCE 指导帮扶产业发展.
struct DutyArea {
  std::string code;
  std::string display_name;
  bool standard = false;  // one of StandardDutyAreas(); derived, never stored
  bool retired = false;   // not offered for new duties, kept for those using it
};

// The four areas named by clause 二(一) 主要任务 2: 指导帮扶产业发展、矛盾纠纷化解、
// 政策宣传、环境监督. A town that configured nothing offers these.
const std::vector<DutyArea>& StandardDutyAreas();
bool IsStandardDutyArea(absl::string_view code);

// A member's duties for one year.
struct MemberDuties {
  std::string member_id;
  int year = 0;
  std::vector<std::string> area_codes;
  std::string free_text;
  absl::Time update_time;
  // Output only, for lists.
  std::string member_full_name;
  std::string branch_code;
};

// How many members' duties use an area the town is about to drop.
struct DutyAreaUse {
  std::string code;
  int members = 0;
};

// Storage of duty areas and duties. Implemented on PostgreSQL by PgPledgeStore.
class DutyStore {
 public:
  virtual ~DutyStore() = default;

  // The member record (NOT_FOUND when there is none).
  virtual absl::StatusOr<Member> GetMember(const std::string& member_id, absl::Time deadline) = 0;
  // The town's configured areas in its order; empty while it uses the
  // standard list. NOT_FOUND when no town has this code.
  virtual absl::StatusOr<std::vector<DutyArea>> GetTownDutyAreas(const std::string& town_code,
                                                                 absl::Time deadline) = 0;
  // Replaces the town's list in one transaction that no SetMemberDuties of
  // the town's members overlaps: `check_dropped` sees the areas used by the
  // town's members' duties that `areas` no longer lists, and the list is
  // replaced only when it returns OK.
  using DroppedAreaCheck = std::function<absl::Status(const std::vector<DutyAreaUse>& dropped_in_use)>;
  virtual absl::StatusOr<std::vector<DutyArea>> ReplaceTownDutyAreas(const std::string& town_code,
                                                                     const std::vector<DutyArea>& areas,
                                                                     const DroppedAreaCheck& check_dropped,
                                                                     absl::Time deadline) = 0;
  // In one transaction, with the town's areas kept from changing: `check`
  // sees the town's configured areas (empty: the standard list) and the
  // member's current area codes for the year; when it returns OK `duties`
  // replace the member's duties for the year (an identical repeat changes
  // nothing, update_time included).
  using AreaCheck = std::function<absl::Status(const std::vector<DutyArea>& configured_areas,
                                               const std::vector<std::string>& current_codes)>;
  virtual absl::StatusOr<MemberDuties> SetMemberDuties(const MemberDuties& duties, const std::string& town_code,
                                                       const AreaCheck& check, absl::Time deadline) = 0;
  // NOT_FOUND when the member has no duties for the year.
  virtual absl::StatusOr<MemberDuties> GetMemberDuties(const std::string& member_id, int year,
                                                       absl::Time deadline) = 0;
  // Duties for `year` of members whose branch lies in `subtree` (and whose
  // user is `self_user` unless that is empty), by branch, name and member id,
  // after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<MemberDuties>> ListMemberDuties(const CodeRange& subtree, int year,
                                                                     const std::string& self_user,
                                                                     const std::optional<MemberKey>& after,
                                                                     int limit, absl::Time deadline) = 0;
};

struct TownDutyAreas {
  std::vector<DutyArea> areas;
  bool configured = false;  // false: the standard list
};

struct MemberDutiesPage {
  std::vector<MemberDuties> duties;
  std::string next_page_token;
};

// Field violations of a town's new list of areas (1-30 areas, codes
// upper-case and unique, names 1-30 characters and unique).
std::vector<FieldViolation> ValidateDutyAreas(const std::vector<DutyArea>& areas);

// The rules of duties: validation, the town's area list, scope (a member
// reads only its own duties; the branch and those above it write them).
class Duties {
 public:
  using Clock = std::function<absl::Time()>;
  explicit Duties(DutyStore& store, Clock now = absl::Now) : store_(store), now_(std::move(now)) {}

  absl::StatusOr<TownDutyAreas> ListAreas(const Principal& caller, const std::string& town_code,
                                          absl::Time deadline);
  absl::StatusOr<std::vector<DutyArea>> UpdateAreas(const Principal& caller, const std::string& town_code,
                                                    std::vector<DutyArea> areas, absl::Time deadline);
  absl::StatusOr<MemberDuties> Set(const Principal& caller, MemberDuties duties, absl::Time deadline);
  absl::StatusOr<MemberDuties> Get(const Principal& caller, const std::string& member_id, int year,
                                   absl::Time deadline);
  absl::StatusOr<MemberDutiesPage> List(const Principal& caller, const std::string& org_code, int year,
                                        int page_size, const std::string& page_token, absl::Time deadline);

 private:
  DutyStore& store_;
  Clock now_;
};

}  // namespace gridserve::membership
