#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/permissions.h"
#include "common/token.h"
#include "membership/shared/member.h"
#include "membership/register/personal_data_sealer.h"

namespace gridserve::membership {

enum class MemberEventKind { kUnspecified, kRegistered, kUpdated, kTransferred, kEnded, kImported };
absl::string_view MemberEventKindName(MemberEventKind kind);  // "REGISTERED", ...
std::optional<MemberEventKind> MemberEventKindFromName(absl::string_view name);

// One entry of a record's history (member_events).
struct MemberEvent {
  int64_t event_id = 0;
  MemberEventKind kind = MemberEventKind::kUnspecified;
  std::string from_branch_code;
  std::string to_branch_code;
  absl::CivilDay effective_date;
  std::string detail;  // reason, or the names of the changed fields (never their values)
  std::string actor;   // subject of the caller
  absl::Time create_time;
};

// What a write adds to the history besides its kind and branches.
struct MemberChange {
  std::string actor;
  absl::CivilDay effective_date;
  std::string detail;
  std::string request_id;  // "" for none
};

// Which records a list returns.
struct MemberFilter {
  std::string branch_prefix;  // significant prefix of the listed organisation's code
  MemberStatus status = MemberStatus::kActive;
  std::string grid;         // "" any
  std::string name_prefix;  // "" any
  int joined_year = 0;      // 0 any
  std::string user;         // "" any; else only the records of this user
};

// Position in the list order (branch_code, full_name, member_id); empty = start.
struct MemberListCursor {
  std::string branch_code;
  std::string full_name;
  std::string member_id;
};

// Storage of the register. Implemented on PostgreSQL by PgMemberStore. Every
// write appends one member_events row in the same transaction. Writes to an
// existing record take the update_time the caller read (`read_at`) and fail
// with ABORTED when the record changed since, so that a scope check made on
// the read still holds for the write.
class MemberStore {
 public:
  virtual ~MemberStore() = default;

  // Inserts `member` (branch must be an existing village or community:
  // FAILED_PRECONDITION otherwise) and a REGISTERED event. A repeated
  // `change.request_id` returns the member created first. Another active
  // record with the same person key in the branch: ALREADY_EXISTS naming it.
  virtual absl::StatusOr<Member> Create(const Member& member, const SealedIdentity& identity,
                                        const MemberChange& change, absl::Time deadline) = 0;
  virtual absl::StatusOr<Member> Get(const std::string& member_id, absl::Time deadline) = 0;
  // Ordered by branch_code, full_name, member_id, after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<Member>> List(const MemberFilter& filter, const MemberListCursor& after,
                                                   int limit, absl::Time deadline) = 0;
  // Writes the changeable fields of `member` (all but branch, status, end
  // fields and demo_data) and, when `identity` is set, person key and sealed
  // national id; appends an UPDATED event.
  virtual absl::StatusOr<Member> Update(const Member& member, const std::optional<SealedIdentity>& identity,
                                        absl::Time read_at, const MemberChange& change, absl::Time deadline) = 0;
  // Moves an ACTIVE record to `to_branch_code` (an existing village or
  // community other than the current branch: FAILED_PRECONDITION otherwise;
  // ALREADY_EXISTS naming the active record of the same person there) and
  // appends a TRANSFERRED event. A repeated `change.request_id` for this
  // member returns the record as it is.
  virtual absl::StatusOr<Member> Transfer(const std::string& member_id, const std::string& to_branch_code,
                                          absl::Time read_at, const MemberChange& change, absl::Time deadline) = 0;
  // Ends an ACTIVE record (FAILED_PRECONDITION otherwise) on change.effective_date; appends an ENDED event.
  virtual absl::StatusOr<Member> End(const std::string& member_id, EndReason reason, const std::string& note,
                                     absl::Time read_at, const MemberChange& change, absl::Time deadline) = 0;
  // The record's events after `after_event_id`, oldest first, at most `limit`.
  virtual absl::StatusOr<std::vector<MemberEvent>> ListEvents(const std::string& member_id, int64_t after_event_id,
                                                              int limit, absl::Time deadline) = 0;
};

// A member as a client sends it, the dates still as text, so that a bad date
// becomes a field violation of the rules rather than a translation error.
struct MemberDraft {
  Member member;            // birth_month, joined_date and joined_month_only are ignored
  std::string birth_month;  // "YYYY-MM"
  std::string joined_date;  // "YYYY-MM-DD" or "YYYY-MM"
};

struct MemberPage {
  std::vector<Member> members;
  std::string next_page_token;
};

struct MemberEventPage {
  std::vector<MemberEvent> events;
  std::string next_page_token;
};

struct ListMembersQuery {
  std::string org_code;
  MemberStatus status = MemberStatus::kUnspecified;  // unspecified: ACTIVE
  std::string grid;
  std::string name_prefix;
  int joined_year = 0;
  int page_size = 0;
  std::string page_token;
};

// "Today" where the programme runs (China Standard Time, no daylight saving).
absl::CivilDay ChinaDay(absl::Time time);

// The member register's rules (clause 二(一), issue 4): validation
// (member_validation.h), org-scope and self-only access (member_access.h),
// masking of personal data, history. Storage is behind MemberStore; national
// ids are sealed by PersonalDataSealer before they reach it. Every member
// returned has national_id empty, and phone masked and national_id_last4
// empty unless MaySeeMemberPersonalData.
class Members {
 public:
  Members(MemberStore& store, const PersonalDataSealer& sealer, std::function<absl::Time()> now = absl::Now)
      : store_(store), sealer_(sealer), now_(std::move(now)) {}

  absl::StatusOr<Member> Create(const Principal& caller, MemberDraft draft, const std::string& request_id,
                                absl::Time deadline);
  absl::StatusOr<Member> Get(const Principal& caller, const std::string& member_id, absl::Time deadline);
  absl::StatusOr<MemberPage> List(const Principal& caller, const ListMembersQuery& query, absl::Time deadline);
  // `paths` among the update_mask paths of UpdateMemberRequest.
  absl::StatusOr<Member> Update(const Principal& caller, const std::string& member_id, const MemberDraft& draft,
                                const std::vector<std::string>& paths, absl::Time deadline);
  // `effective_date` "YYYY-MM-DD" or "" for today.
  absl::StatusOr<Member> Transfer(const Principal& caller, const std::string& member_id,
                                  const std::string& to_branch_code, const std::string& reason,
                                  const std::string& effective_date, const std::string& request_id,
                                  absl::Time deadline);
  absl::StatusOr<Member> EndMembership(const Principal& caller, const std::string& member_id, EndReason reason,
                                       const std::string& note, const std::string& end_date, absl::Time deadline);
  absl::StatusOr<MemberEventPage> ListEvents(const Principal& caller, const std::string& member_id, int page_size,
                                             const std::string& page_token, absl::Time deadline);

 private:
  // The record if the caller may use it with `permission`; NOT_FOUND alike
  // for a missing id and one outside the caller's reach.
  absl::StatusOr<Member> Reachable(const Principal& caller, Permission permission, const std::string& member_id,
                                   absl::Time deadline);
  absl::CivilDay Today() const { return ChinaDay(now_()); }

  MemberStore& store_;
  const PersonalDataSealer& sealer_;
  std::function<absl::Time()> now_;
};

}  // namespace gridserve::membership
