#pragma once

// 亮承诺 (rule R3, clause 二(一)3): each member pledges 1-2 services to the
// people per year (党员承诺践诺书, attachment 1) and reports their fulfilment (践诺).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "common/permissions.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "membership/pledges/duties.h"
#include "membership/pledges/grid_directory.h"
#include "membership/shared/member.h"
#include "membership/pledges/pledge_common.h"

namespace gridserve::membership {

// 1-2 commitments per member per year (clause 二(一)3: "提出1—2件力所能及的为民服务事项").
inline constexpr int kMaxCommitmentsPerYear = 2;
inline constexpr int kMaxEvidence = 20;

enum class FulfilmentStatus { kUnspecified, kPledged, kInProgress, kFulfilled, kNotFulfilled };

absl::string_view FulfilmentStatusName(FulfilmentStatus status);  // "PLEDGED", ...
std::optional<FulfilmentStatus> FulfilmentStatusFromName(absl::string_view name);

// Why a commitment may not move from `from` to `to` ("" when it may).
// `by_branch`: the caller may write the member's record (MEMBER_WRITE over
// the branch), not just report on its own commitments.
//
//   PLEDGED     -> IN_PROGRESS, NOT_FULFILLED (never started)
//   IN_PROGRESS -> FULFILLED, NOT_FULFILLED, PLEDGED (started by mistake)
//   FULFILLED, NOT_FULFILLED -> IN_PROGRESS: the branch only, to correct a verdict
//   Setting the current status again is allowed (a repeated call changes nothing).
// FULFILLED is reached through IN_PROGRESS only, so fulfilment is always
// reported after the work started (and evidence can be attached in between).
std::string StatusTransitionProblem(FulfilmentStatus from, FulfilmentStatus to, bool by_branch);

// One commitment (承诺事项).
struct Commitment {
  std::string commitment_id;  // UUID, assigned by the store
  std::string member_id;
  int year = 0;
  std::string target;    // 目标任务
  std::string measures;  // 服务举措
  std::string due_date;  // "YYYY-MM-DD" or ""
  FulfilmentStatus status = FulfilmentStatus::kPledged;
  std::vector<std::string> evidence;  // "activities/{id}"
  std::string signed_date;  // "YYYY-MM-DD" or "" (not signed yet)
  absl::Time create_time;
  absl::Time update_time;
};

// A commitment with its member's place, as lists return them.
struct CommitmentListing {
  Commitment commitment;
  std::string branch_code;
  std::string member_full_name;
};

// Storage of commitments. Implemented on PostgreSQL by PgPledgeStore.
class CommitmentStore {
 public:
  virtual ~CommitmentStore() = default;

  virtual absl::StatusOr<Member> GetMember(const std::string& member_id, absl::Time deadline) = 0;
  // In one transaction holding the member's row lock (so that two creates for
  // the same member run one after the other): a repeated non-empty
  // `request_id` returns the commitment it created; otherwise `check` sees
  // the member as it is now and its commitments of the year, and the
  // commitment is inserted when `check` returns OK.
  using CreateCheck = std::function<absl::Status(const Member& member, const std::vector<Commitment>& same_year)>;
  virtual absl::StatusOr<Commitment> CreateCommitment(const Commitment& commitment, const std::string& request_id,
                                                      const CreateCheck& check, absl::Time deadline) = 0;
  // NOT_FOUND when there is no such commitment.
  virtual absl::StatusOr<Commitment> GetCommitment(const std::string& commitment_id, absl::Time deadline) = 0;
  // With the commitment's row locked, `change` turns the current commitment
  // into the one to store (or refuses).
  using Change = std::function<absl::StatusOr<Commitment>(const Commitment& current)>;
  virtual absl::StatusOr<Commitment> UpdateCommitment(const std::string& commitment_id, const Change& change,
                                                      absl::Time deadline) = 0;
  // With the commitment's row locked, deletes it when `check` returns OK.
  using DeleteCheck = std::function<absl::Status(const Commitment& current)>;
  virtual absl::Status DeleteCommitment(const std::string& commitment_id, const DeleteCheck& check,
                                        absl::Time deadline) = 0;
  // A member's commitments of a year, oldest first.
  virtual absl::StatusOr<std::vector<Commitment>> ListMemberCommitments(const std::string& member_id, int year,
                                                                        absl::Time deadline) = 0;
  // Commitments for `year` of members whose branch lies in `subtree` (and
  // whose user is `only_user` unless empty), by branch, member name, member
  // id, creation time and id, after `after` (those five, as cursor parts), at most `limit`.
  virtual absl::StatusOr<std::vector<CommitmentListing>> ListCommitmentsInSubtree(
      const CodeRange& subtree, int year, const std::string& only_user,
      const std::optional<std::vector<std::string>>& after, int limit, absl::Time deadline) = 0;
  // The display name of an organisation (NOT_FOUND when it does not exist).
  virtual absl::StatusOr<std::string> OrganizationName(const std::string& code, absl::Time deadline) = 0;
};

struct CommitmentPage {
  std::vector<Commitment> commitments;
  std::string next_page_token;
};

// 党员承诺践诺书 (attachment 1) for one member and year.
struct CommitmentForm {
  int year = 0;
  Member member;  // phone already masked when the caller may not see it
  std::string branch_name;
  std::string grid_name;
  std::vector<std::string> linked_households;
  std::vector<Commitment> commitments;
  std::optional<MemberDuties> duties;
  std::string signed_date;  // the latest signed date of the commitments, "" if none
  bool grid_data_available = false;
};

// Field violations of the fields of `commitment` named in `paths` (all
// writable fields for a new one), against its year and `today`.
std::vector<FieldViolation> ValidateCommitmentFields(const Commitment& commitment,
                                                     const std::vector<std::string>& paths, absl::CivilDay today);

// The rules of commitments: validation, the 1-2 limit, status transitions,
// scope (a member reads its own and reports status and evidence; the branch
// and those above it write everything), and the attachment-1 form.
class Commitments {
 public:
  using Clock = std::function<absl::Time()>;
  Commitments(CommitmentStore& store, DutyStore& duties, GridDirectory& grids, Clock now = absl::Now)
      : store_(store), duties_(duties), grids_(grids), now_(std::move(now)) {}

  absl::StatusOr<Commitment> Create(const Principal& caller, Commitment commitment, const std::string& request_id,
                                    absl::Time deadline);
  absl::StatusOr<Commitment> Get(const Principal& caller, const std::string& commitment_id, absl::Time deadline);
  // Exactly one of `member_id` and `org_code`.
  absl::StatusOr<CommitmentPage> List(const Principal& caller, const std::string& member_id,
                                      const std::string& org_code, int year, int page_size,
                                      const std::string& page_token, absl::Time deadline);
  absl::StatusOr<Commitment> Update(const Principal& caller, const Commitment& commitment,
                                    const std::vector<std::string>& update_paths, absl::Time deadline);
  absl::Status Delete(const Principal& caller, const std::string& commitment_id, absl::Time deadline);
  absl::StatusOr<CommitmentForm> GetForm(const Principal& caller, const std::string& member_id, int year,
                                         absl::Time deadline);

 private:
  absl::CivilDay Today() const;
  // The member owning `commitment_id` after the access check, with the commitment.
  absl::StatusOr<std::pair<Member, Commitment>> AccessCommitment(const Principal& caller, Permission permission,
                                                                 const std::string& commitment_id,
                                                                 absl::Time deadline);

  CommitmentStore& store_;
  DutyStore& duties_;
  GridDirectory& grids_;
  Clock now_;
};

}  // namespace gridserve::membership
