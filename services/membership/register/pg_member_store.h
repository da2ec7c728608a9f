#pragma once

#include "common/pg_pool.h"
#include "membership/register/members.h"

namespace gridserve::membership {

// MemberStore on the membership schema (members, member_events;
// sql/queries/*member*.sql).
class PgMemberStore : public MemberStore {
 public:
  explicit PgMemberStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<Member> Create(const Member& member, const SealedIdentity& identity, const MemberChange& change,
                                absl::Time deadline) override;
  absl::StatusOr<Member> Get(const std::string& member_id, absl::Time deadline) override;
  absl::StatusOr<std::vector<Member>> List(const MemberFilter& filter, const MemberListCursor& after, int limit,
                                           absl::Time deadline) override;
  absl::StatusOr<Member> Update(const Member& member, const std::optional<SealedIdentity>& identity,
                                absl::Time read_at, const MemberChange& change, absl::Time deadline) override;
  absl::StatusOr<Member> Transfer(const std::string& member_id, const std::string& to_branch_code,
                                  absl::Time read_at, const MemberChange& change, absl::Time deadline) override;
  absl::StatusOr<Member> End(const std::string& member_id, EndReason reason, const std::string& note,
                             absl::Time read_at, const MemberChange& change, absl::Time deadline) override;
  absl::StatusOr<std::vector<MemberEvent>> ListEvents(const std::string& member_id, int64_t after_event_id,
                                                      int limit, absl::Time deadline) override;

 private:
  // ALREADY_EXISTS naming the active record of `person_key` in `branch_code`
  // (read in a new transaction, after a unique violation raced a pre-check);
  // `fallback` when there is none any more.
  absl::Status ActiveRecordConflict(const std::string& branch_code, const std::string& person_key,
                                    const absl::Status& fallback, absl::Time deadline);

  PgPool& pool_;
};

}  // namespace gridserve::membership
