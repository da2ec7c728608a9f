#pragma once

#include "common/pg_pool.h"
#include "membership/pledges/commitments.h"
#include "membership/pledges/duties.h"
#include "membership/pledges/member_reports.h"

namespace gridserve::membership {

// Duties, commitments and the reports on the membership schema
// (sql/queries/{pledge,duty,commitment,report}_*.sql). Reads the members
// table with its own queries: same service, same schema.
class PgPledgeStore final : public DutyStore, public CommitmentStore, public MemberReportStore {
 public:
  explicit PgPledgeStore(PgPool& pool) : pool_(pool) {}

  // DutyStore and CommitmentStore.
  absl::StatusOr<Member> GetMember(const std::string& member_id, absl::Time deadline) override;

  // DutyStore.
  absl::StatusOr<std::vector<DutyArea>> GetTownDutyAreas(const std::string& town_code, absl::Time deadline) override;
  absl::StatusOr<std::vector<DutyArea>> ReplaceTownDutyAreas(const std::string& town_code,
                                                             const std::vector<DutyArea>& areas,
                                                             const DroppedAreaCheck& check_dropped,
                                                             absl::Time deadline) override;
  absl::StatusOr<MemberDuties> SetMemberDuties(const MemberDuties& duties, const std::string& town_code,
                                               const AreaCheck& check, absl::Time deadline) override;
  absl::StatusOr<MemberDuties> GetMemberDuties(const std::string& member_id, int year, absl::Time deadline) override;
  absl::StatusOr<std::vector<MemberDuties>> ListMemberDuties(const CodeRange& subtree, int year,
                                                             const std::string& self_user,
                                                             const std::optional<MemberKey>& after, int limit,
                                                             absl::Time deadline) override;

  // CommitmentStore.
  absl::StatusOr<Commitment> CreateCommitment(const Commitment& commitment, const std::string& request_id,
                                              const CreateCheck& check, absl::Time deadline) override;
  absl::StatusOr<Commitment> GetCommitment(const std::string& commitment_id, absl::Time deadline) override;
  absl::StatusOr<Commitment> UpdateCommitment(const std::string& commitment_id, const Change& change,
                                              absl::Time deadline) override;
  absl::Status DeleteCommitment(const std::string& commitment_id, const DeleteCheck& check,
                                absl::Time deadline) override;
  absl::StatusOr<std::vector<Commitment>> ListMemberCommitments(const std::string& member_id, int year,
                                                                absl::Time deadline) override;
  absl::StatusOr<std::vector<CommitmentListing>> ListCommitmentsInSubtree(
      const CodeRange& subtree, int year, const std::string& only_user,
      const std::optional<std::vector<std::string>>& after, int limit, absl::Time deadline) override;
  absl::StatusOr<std::string> OrganizationName(const std::string& code, absl::Time deadline) override;

  // MemberReportStore.
  absl::StatusOr<std::vector<MemberMissingPledges>> ListMembersMissingPledges(
      const CodeRange& subtree, int year, const std::string& only_user, const std::optional<MemberKey>& after,
      int limit, absl::Time deadline) override;
  absl::StatusOr<std::vector<BranchMemberCounts>> CountMembersByBranch(const CodeRange& subtree, int year,
                                                                       const std::string& only_user,
                                                                       const std::string& after_code, int limit,
                                                                       absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::membership
