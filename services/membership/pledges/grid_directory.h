#pragma once

// Where a member stands in the grids (所在网格, 联系的群众): data owned by
// grid_assignment (clause 二(二)), which the attachment-1 form shows.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "membership/shared/member.h"

namespace gridserve::membership {

struct GridPlacement {
  std::string grid_name;                       // "" when the member has no grid
  std::vector<std::string> linked_households;  // "households/{id} 张**" as grid_assignment reports them
};

// The seam where grid_assignment plugs in: one question per form. An
// implementation asks the owner over gRPC with `deadline` and masks residents'
// names unless `reveal_personal_data`.
class GridDirectory {
 public:
  virtual ~GridDirectory() = default;
  // UNIMPLEMENTED or UNAVAILABLE when the owner cannot answer; the form then
  // leaves the fields empty and says so (grid_data_available = false).
  virtual absl::StatusOr<GridPlacement> PlacementOf(const Member& member, int year, bool reveal_personal_data,
                                                    absl::Time deadline) = 0;
};

// Today's directory: grid_assignment records no grids or household links yet,
// so there is nothing to report — and nothing is invented in its place.
class UnavailableGridDirectory final : public GridDirectory {
 public:
  absl::StatusOr<GridPlacement> PlacementOf(const Member& member, int year, bool reveal_personal_data,
                                            absl::Time deadline) override {
    return absl::UnimplementedError("grid_assignment does not record grids and household links yet");
  }
};

}  // namespace gridserve::membership
