#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace gridserve::membership {

enum class Gender { kUnspecified, kMale, kFemale };
enum class MemberStatus { kUnspecified, kActive, kEnded };
enum class EndReason { kUnspecified, kTransferredOut, kDeceased, kWithdrawn, kExpelled, kOther };

// One party member (clause 二(一), attachment 1), as the rules see it.
struct Member {
  std::string member_id;  // UUID, assigned by the store
  std::string full_name;
  Gender gender = Gender::kUnspecified;
  absl::CivilMonth birth_month;
  absl::CivilDay joined_date;
  bool joined_month_only = false;  // the roster gave "YYYY-MM": joined_date is the 1st
  std::string phone;               // as entered, normalised (digits and one '-')
  std::string branch_code;         // village or community
  std::string grid;                // "grids/{id}" or ""
  std::string household;           // "households/{id}" or ""
  std::string courtyard;           // "courtyards/{id}" or ""
  bool is_group_head = false;
  bool publicity_consent = false;
  std::string notes;
  std::string national_id;        // input only, clear text; never read back from the store
  std::string national_id_last4;  // output
  std::string user;               // "users/{id}" or ""
  MemberStatus status = MemberStatus::kActive;
  EndReason end_reason = EndReason::kUnspecified;
  std::string end_note;
  std::optional<absl::CivilDay> end_date;
  bool demo_data = false;
  absl::Time create_time;
  absl::Time update_time;
};

}  // namespace gridserve::membership
