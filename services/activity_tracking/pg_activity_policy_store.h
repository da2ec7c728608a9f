#pragma once

#include "activity_tracking/activity_policy.h"
#include "common/pg_pool.h"

namespace gridserve::activity_tracking {

// ActivityPolicyStore on the activity_tracking schema (sql/queries/get_activity_policy.sql).
class PgActivityPolicyStore : public ActivityPolicyStore {
 public:
  explicit PgActivityPolicyStore(PgPool& pool) : pool_(pool) {}

  absl::StatusOr<ActivityPolicy> Get(const std::string& town_code, absl::Time deadline) override;

 private:
  PgPool& pool_;
};

}  // namespace gridserve::activity_tracking
