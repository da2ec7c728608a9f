#include "membership/pledges/pg_pledge_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pqxx/pqxx"

namespace gridserve::membership {
namespace {

absl::CivilDay DayOf(const std::string& text) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(text, &day);  // the query formats it as YYYY-MM-DD
  return day;
}

Member MemberFromRow(const pqxx::row& row) {
  Member member;
  member.member_id = row["member_id"].as<std::string>();
  member.full_name = row["full_name"].as<std::string>();
  const std::string gender = row["gender"].as<std::string>();
  member.gender = gender == "MALE" ? Gender::kMale : gender == "FEMALE" ? Gender::kFemale : Gender::kUnspecified;
  member.birth_month = absl::CivilMonth(DayOf(row["birth_month"].as<std::string>()));
  member.joined_date = DayOf(row["joined_date"].as<std::string>());
  member.joined_month_only = row["joined_month_only"].as<bool>();
  member.phone = row["phone"].as<std::string>();
  member.branch_code = row["branch_code"].as<std::string>();
  member.grid = row["grid"].as<std::string>();
  member.user = row["user_ref"].as<std::string>();
  member.status = row["status"].as<std::string>() == "ACTIVE" ? MemberStatus::kActive : MemberStatus::kEnded;
  return member;
}

// The elements of a text[] column.
std::vector<std::string> TextArrayOf(const pqxx::field& field) {
  std::vector<std::string> values;
  pqxx::array_parser parser = field.as_array();
  for (auto next = parser.get_next(); next.first != pqxx::array_parser::juncture::done; next = parser.get_next()) {
    if (next.first == pqxx::array_parser::juncture::string_value) values.push_back(next.second);
  }
  return values;
}

// A text[] literal; every element quoted, so any text is safe in it.
std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::vector<std::string> quoted;
  for (const std::string& value : values) {
    std::string element = "\"";
    for (char c : value) {
      if (c == '"' || c == '\\') element += '\\';
      element += c;
    }
    quoted.push_back(element + "\"");
  }
  return "{" + absl::StrJoin(quoted, ",") + "}";
}

MemberDuties DutiesFromRow(const pqxx::row& row) {
  MemberDuties duties;
  duties.member_id = row["member_id"].as<std::string>();
  duties.year = row["year"].as<int>();
  duties.area_codes = TextArrayOf(row["area_codes"]);
  duties.free_text = row["free_text"].as<std::string>();
  duties.update_time = absl::FromUnixMicros(row["update_time_us"].as<int64_t>());
  return duties;
}

Commitment CommitmentFromRow(const pqxx::row& row) {
  Commitment commitment;
  commitment.commitment_id = row["commitment_id"].as<std::string>();
  commitment.member_id = row["member_id"].as<std::string>();
  commitment.year = row["year"].as<int>();
  commitment.target = row["target"].as<std::string>();
  commitment.measures = row["measures"].as<std::string>();
  commitment.due_date = row["due_date"].as<std::string>();
  commitment.status = FulfilmentStatusFromName(row["status"].as<std::string>()).value_or(FulfilmentStatus::kUnspecified);
  commitment.evidence = TextArrayOf(row["evidence"]);
  commitment.signed_date = row["signed_date"].as<std::string>();
  commitment.create_time = absl::FromUnixMicros(row["create_time_us"].as<int64_t>());
  commitment.update_time = absl::FromUnixMicros(row["update_time_us"].as<int64_t>());
  return commitment;
}

absl::Status MemberRowMissing(const std::string& member_id) {
  return absl::NotFoundError(absl::StrCat("member ", member_id, " does not exist"));
}

absl::Status CommitmentRowMissing(const std::string& commitment_id) {
  return absl::NotFoundError(absl::StrCat("commitment ", commitment_id, " does not exist"));
}

}  // namespace

absl::StatusOr<Member> PgPledgeStore::GetMember(const std::string& member_id, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    pqxx::result rows = txn.exec_prepared("pledge_get_member", member_id);
    if (rows.empty()) return MemberRowMissing(member_id);
    return MemberFromRow(rows[0]);
  });
}

absl::StatusOr<std::vector<DutyArea>> PgPledgeStore::GetTownDutyAreas(const std::string& town_code,
                                                                      absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<DutyArea>> {
    std::vector<DutyArea> areas;
    pqxx::result rows = txn.exec_prepared("duty_get_town_areas", town_code);
    if (rows.empty()) {
      return absl::NotFoundError(absl::StrCat("town ", town_code, " does not exist; check the code"));
    }
    for (const pqxx::row& row : rows) {
      if (row["code"].is_null()) continue;  // the town uses the standard list
      areas.push_back({.code = row["code"].as<std::string>(),
                       .display_name = row["display_name"].as<std::string>(),
                       .retired = row["retired"].as<bool>()});
    }
    return areas;
  });
}

absl::StatusOr<std::vector<DutyArea>> PgPledgeStore::ReplaceTownDutyAreas(const std::string& town_code,
                                                                          const std::vector<DutyArea>& areas,
                                                                          const DroppedAreaCheck& check_dropped,
                                                                          absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<DutyArea>> {
    std::vector<DutyArea> stored;
    if (txn.exec_prepared("duty_get_town_areas", town_code).empty()) {
      return absl::FailedPreconditionError(absl::StrCat("town ", town_code, " does not exist; create it first"));
    }
    txn.exec_prepared("duty_lock_town_areas", town_code);
    std::vector<std::string> kept;
    for (const DutyArea& area : areas) kept.push_back(area.code);
    const CodeRange town = SubtreeOf(town_code);
    std::vector<DutyAreaUse> dropped_in_use;
    for (const pqxx::row& row : txn.exec_prepared("duty_find_dropped_areas_in_use", town.low, town.high,
                                                  TextArrayLiteral(kept))) {
      dropped_in_use.push_back({row["area_code"].as<std::string>(), row["members"].as<int>()});
    }
    if (absl::Status allowed = check_dropped(dropped_in_use); !allowed.ok()) return allowed;
    txn.exec_prepared("duty_delete_town_areas", town_code);
    for (size_t i = 0; i < areas.size(); ++i) {
      txn.exec_prepared("duty_insert_town_area", town_code, areas[i].code, areas[i].display_name, areas[i].retired,
                        static_cast<int>(i));
      stored.push_back({.code = areas[i].code, .display_name = areas[i].display_name, .retired = areas[i].retired});
    }
    return stored;
  });
}

absl::StatusOr<MemberDuties> PgPledgeStore::SetMemberDuties(const MemberDuties& duties, const std::string& town_code,
                                                            const AreaCheck& check, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<MemberDuties> {
    txn.exec_prepared("duty_lock_town_areas_shared", town_code);
    std::vector<DutyArea> configured;
    for (const pqxx::row& row : txn.exec_prepared("duty_get_town_areas", town_code)) {
      if (row["code"].is_null()) continue;
      configured.push_back({.code = row["code"].as<std::string>(),
                            .display_name = row["display_name"].as<std::string>(),
                            .retired = row["retired"].as<bool>()});
    }
    std::vector<std::string> current_codes;
    pqxx::result current = txn.exec_prepared("duty_get_member_duties", duties.member_id, duties.year);
    if (!current.empty()) current_codes = TextArrayOf(current[0]["area_codes"]);
    if (absl::Status allowed = check(configured, current_codes); !allowed.ok()) return allowed;
    pqxx::result written = txn.exec_prepared("duty_upsert_member_duties", duties.member_id, duties.year,
                                             TextArrayLiteral(duties.area_codes), duties.free_text);
    // No row: the same duties were already there, and stay untouched.
    return DutiesFromRow(written.empty() ? current[0] : written[0]);
  });
}

absl::StatusOr<MemberDuties> PgPledgeStore::GetMemberDuties(const std::string& member_id, int year,
                                                            absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<MemberDuties> {
    pqxx::result rows = txn.exec_prepared("duty_get_member_duties", member_id, year);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("member ", member_id, " has no duties for ", year));
    return DutiesFromRow(rows[0]);
  });
}

absl::StatusOr<std::vector<MemberDuties>> PgPledgeStore::ListMemberDuties(const CodeRange& subtree, int year,
                                                                          const std::string& self_user,
                                                                          const std::optional<MemberKey>& after,
                                                                          int limit, absl::Time deadline) {
  const MemberKey from = after.value_or(MemberKey{});
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<MemberDuties>> {
    std::vector<MemberDuties> list;
    for (const pqxx::row& row : txn.exec_prepared("duty_list_member_duties", subtree.low, subtree.high, year, self_user,
                                                  from.branch_code, from.full_name, from.member_id, limit)) {
      MemberDuties duties = DutiesFromRow(row);
      duties.member_full_name = row["full_name"].as<std::string>();
      duties.branch_code = row["branch_code"].as<std::string>();
      list.push_back(std::move(duties));
    }
    return list;
  });
}

absl::StatusOr<Commitment> PgPledgeStore::CreateCommitment(const Commitment& commitment,
                                                           const std::string& request_id, const CreateCheck& check,
                                                           absl::Time deadline) {
  // A repeated request_id answers with what it created before, if it was for
  // the same member and year.
  auto earlier_result = [&](const pqxx::result& earlier) -> absl::StatusOr<Commitment> {
    Commitment first = CommitmentFromRow(earlier[0]);
    if (first.member_id == commitment.member_id && first.year == commitment.year) return first;
    return absl::AlreadyExistsError(absl::StrCat("request_id ", request_id, " was already used to create commitment ",
                                                 first.commitment_id, " of another member or year; use a new "
                                                 "request_id for a new commitment"));
  };
  absl::StatusOr<Commitment> created = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Commitment> {
    // Lock first: a concurrent create for the member (even with the same
    // request_id) is then seen once it committed.
    pqxx::result member_rows = txn.exec_prepared("commitment_lock_member", commitment.member_id);
    if (member_rows.empty()) return MemberRowMissing(commitment.member_id);
    if (!request_id.empty()) {
      pqxx::result earlier = txn.exec_prepared("commitment_get_by_request_id", request_id);
      if (!earlier.empty()) return earlier_result(earlier);
    }
    std::vector<Commitment> same_year;
    for (const pqxx::row& row : txn.exec_prepared("commitment_list_member_year", commitment.member_id, commitment.year)) {
      same_year.push_back(CommitmentFromRow(row));
    }
    if (absl::Status allowed = check(MemberFromRow(member_rows[0]), same_year); !allowed.ok()) return allowed;
    return CommitmentFromRow(txn.exec_prepared("commitment_insert", commitment.member_id, commitment.year,
                                               commitment.target, commitment.measures, commitment.due_date,
                                               TextArrayLiteral(commitment.evidence), commitment.signed_date,
                                               request_id)[0]);
  });
  if (!IsUniqueViolation(created.status()) || request_id.empty()) return created;
  // The same request_id used for another member at the same moment.
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Commitment> {
    pqxx::result earlier = txn.exec_prepared("commitment_get_by_request_id", request_id);
    if (earlier.empty()) return created.status();
    return earlier_result(earlier);
  });
}

absl::StatusOr<Commitment> PgPledgeStore::GetCommitment(const std::string& commitment_id, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Commitment> {
    pqxx::result rows = txn.exec_prepared("commitment_get", commitment_id);
    if (rows.empty()) return CommitmentRowMissing(commitment_id);
    return CommitmentFromRow(rows[0]);
  });
}

absl::StatusOr<Commitment> PgPledgeStore::UpdateCommitment(const std::string& commitment_id, const Change& change,
                                                           absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Commitment> {
    pqxx::result rows = txn.exec_prepared("commitment_get_for_update", commitment_id);
    if (rows.empty()) return CommitmentRowMissing(commitment_id);
    absl::StatusOr<Commitment> next = change(CommitmentFromRow(rows[0]));
    if (!next.ok()) return next.status();
    pqxx::result written = txn.exec_prepared("commitment_update", commitment_id, next->target, next->measures,
                                             next->due_date, std::string(FulfilmentStatusName(next->status)),
                                             TextArrayLiteral(next->evidence), next->signed_date);
    return CommitmentFromRow(written[0]);
  });
}

absl::Status PgPledgeStore::DeleteCommitment(const std::string& commitment_id, const DeleteCheck& check,
                                             absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("commitment_get_for_update", commitment_id);
    if (rows.empty()) return CommitmentRowMissing(commitment_id);
    if (absl::Status allowed = check(CommitmentFromRow(rows[0])); !allowed.ok()) return allowed;
    txn.exec_prepared("commitment_delete", commitment_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<Commitment>> PgPledgeStore::ListMemberCommitments(const std::string& member_id, int year,
                                                                             absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<Commitment>> {
    std::vector<Commitment> list;
    for (const pqxx::row& row : txn.exec_prepared("commitment_list_member_year", member_id, year)) {
      list.push_back(CommitmentFromRow(row));
    }
    return list;
  });
}

absl::StatusOr<std::vector<CommitmentListing>> PgPledgeStore::ListCommitmentsInSubtree(
    const CodeRange& subtree, int year, const std::string& only_user,
    const std::optional<std::vector<std::string>>& after, int limit, absl::Time deadline) {
  const std::vector<std::string> from = after.value_or(std::vector<std::string>(5));
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<CommitmentListing>> {
    std::vector<CommitmentListing> list;
    for (const pqxx::row& row : txn.exec_prepared("commitment_list_in_subtree", subtree.low, subtree.high, year,
                                                  only_user, from[0], from[1], from[2], from[3], from[4], limit)) {
      list.push_back({.commitment = CommitmentFromRow(row),
                      .branch_code = row["branch_code"].as<std::string>(),
                      .member_full_name = row["full_name"].as<std::string>()});
    }
    return list;
  });
}

absl::StatusOr<std::string> PgPledgeStore::OrganizationName(const std::string& code, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::string> {
    pqxx::result rows = txn.exec_prepared("get_organization", code);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("organisation ", code, " does not exist"));
    return rows[0]["display_name"].as<std::string>();
  });
}

absl::StatusOr<std::vector<MemberMissingPledges>> PgPledgeStore::ListMembersMissingPledges(
    const CodeRange& subtree, int year, const std::string& only_user, const std::optional<MemberKey>& after,
    int limit, absl::Time deadline) {
  const MemberKey from = after.value_or(MemberKey{});
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<MemberMissingPledges>> {
    std::vector<MemberMissingPledges> list;
    for (const pqxx::row& row :
         txn.exec_prepared("report_list_members_missing_pledges", subtree.low, subtree.high, year, only_user,
                           from.branch_code, from.full_name, from.member_id, limit)) {
      list.push_back({.member_id = row["member_id"].as<std::string>(),
                      .full_name = row["full_name"].as<std::string>(),
                      .branch_code = row["branch_code"].as<std::string>(),
                      .branch_name = row["branch_name"].as<std::string>(),
                      .missing_duties = row["missing_duties"].as<bool>(),
                      .missing_commitments = row["missing_commitments"].as<bool>()});
    }
    return list;
  });
}

absl::StatusOr<std::vector<BranchMemberCounts>> PgPledgeStore::CountMembersByBranch(
    const CodeRange& subtree, int year, const std::string& only_user, const std::string& after_code, int limit,
    absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<BranchMemberCounts>> {
    std::vector<BranchMemberCounts> list;
    for (const pqxx::row& row : txn.exec_prepared("report_count_members_by_branch", subtree.low, subtree.high, year,
                                                  only_user, after_code, limit)) {
      list.push_back({.branch_code = row["branch_code"].as<std::string>(),
                      .branch_name = row["branch_name"].as<std::string>(),
                      .active_members = row["active_members"].as<int>(),
                      .ended_members = row["ended_members"].as<int>(),
                      .with_duties = row["with_duties"].as<int>(),
                      .with_commitments = row["with_commitments"].as<int>(),
                      .missing_pledges = row["missing_pledges"].as<int>()});
    }
    return list;
  });
}

}  // namespace gridserve::membership
