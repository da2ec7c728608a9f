#pragma once

// Reports on duties and commitments for branches and towns (rules R2, R3;
// clause 四(三) 强化督促检查: the town follows up on villages that lag).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/token.h"
#include "membership/pledges/pledge_common.h"

namespace gridserve::membership {

// An active member without duties or without any commitment for a year.
struct MemberMissingPledges {
  std::string member_id;
  std::string full_name;
  std::string branch_code;
  std::string branch_name;
  bool missing_duties = false;
  bool missing_commitments = false;
};

// One branch's figures for a year.
struct BranchMemberCounts {
  std::string branch_code;
  std::string branch_name;
  int active_members = 0;
  int ended_members = 0;
  int with_duties = 0;       // active members with duties for the year
  int with_commitments = 0;  // active members with at least one commitment for the year
  int missing_pledges = 0;   // active members lacking duties or commitments
};

// Set-based queries behind the reports. Implemented by PgPledgeStore.
class MemberReportStore {
 public:
  virtual ~MemberReportStore() = default;
  // Active members of branches in `subtree` (whose user is `only_user` unless
  // empty) missing duties or commitments for `year`, by branch, name and
  // member id, after `after`, at most `limit`.
  virtual absl::StatusOr<std::vector<MemberMissingPledges>> ListMembersMissingPledges(
      const CodeRange& subtree, int year, const std::string& only_user, const std::optional<MemberKey>& after,
      int limit, absl::Time deadline) = 0;
  // Every village and community in `subtree` with a code after `after_code`
  // (at most `limit`, by code), members with no record counting zero; only
  // the records whose user is `only_user` are counted unless it is empty.
  virtual absl::StatusOr<std::vector<BranchMemberCounts>> CountMembersByBranch(
      const CodeRange& subtree, int year, const std::string& only_user, const std::string& after_code, int limit,
      absl::Time deadline) = 0;
};

struct MembersMissingPledgesPage {
  std::vector<MemberMissingPledges> members;
  std::string next_page_token;
};

struct BranchCountsPage {
  std::vector<BranchMemberCounts> branches;
  std::string next_page_token;
};

// The reports' rules: org scope (a village secretary its village, a town
// admin its town; a MEMBER caller only itself), years, pagination.
class MemberReports {
 public:
  using Clock = std::function<absl::Time()>;
  explicit MemberReports(MemberReportStore& store, Clock now = absl::Now) : store_(store), now_(std::move(now)) {}

  absl::StatusOr<MembersMissingPledgesPage> ListMembersMissingPledges(const Principal& caller,
                                                                      const std::string& org_code, int year,
                                                                      int page_size, const std::string& page_token,
                                                                      absl::Time deadline);
  absl::StatusOr<BranchCountsPage> CountMembersByBranch(const Principal& caller, const std::string& org_code,
                                                        int year, int page_size, const std::string& page_token,
                                                        absl::Time deadline);

 private:
  MemberReportStore& store_;
  Clock now_;
};

}  // namespace gridserve::membership
