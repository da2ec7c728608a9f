#include "membership/register/pg_member_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "membership/register/member_validation.h"
#include "membership/organizations/organization.h"
#include "pqxx/pqxx"

namespace gridserve::membership {
namespace {

Member FromRow(const pqxx::row& row) {
  Member member;
  member.member_id = row["member_id"].as<std::string>();
  member.full_name = row["full_name"].as<std::string>();
  member.gender = GenderFromName(row["gender"].as<std::string>()).value_or(Gender::kUnspecified);
  member.birth_month = ParseBirthMonth(row["birth_month"].as<std::string>()).value_or(absl::CivilMonth());
  member.joined_date = ParseDay(row["joined_date"].as<std::string>()).value_or(absl::CivilDay());
  member.joined_month_only = row["joined_month_only"].as<bool>();
  member.phone = row["phone"].as<std::string>();
  member.branch_code = row["branch_code"].as<std::string>();
  member.grid = row["grid"].as<std::string>();
  member.household = row["household"].as<std::string>();
  member.courtyard = row["courtyard"].as<std::string>();
  member.is_group_head = row["is_group_head"].as<bool>();
  member.publicity_consent = row["publicity_consent"].as<bool>();
  member.notes = row["notes"].as<std::string>();
  member.national_id_last4 = row["national_id_last4"].as<std::string>();
  member.user = row["user_ref"].as<std::string>();
  member.status = MemberStatusFromName(row["status"].as<std::string>()).value_or(MemberStatus::kUnspecified);
  member.end_reason = EndReasonFromName(row["end_reason"].as<std::string>()).value_or(EndReason::kUnspecified);
  member.end_note = row["end_note"].as<std::string>();
  if (std::string end_date = row["end_date"].as<std::string>(); !end_date.empty()) member.end_date = ParseDay(end_date);
  member.demo_data = row["demo_data"].as<bool>();
  member.create_time = absl::FromUnixMicros(row["create_time_us"].as<int64_t>());
  member.update_time = absl::FromUnixMicros(row["update_time_us"].as<int64_t>());
  return member;
}

MemberEvent EventFromRow(const pqxx::row& row) {
  MemberEvent event;
  event.event_id = row["event_id"].as<int64_t>();
  event.kind = MemberEventKindFromName(row["kind"].as<std::string>()).value_or(MemberEventKind::kUnspecified);
  event.from_branch_code = row["from_branch_code"].as<std::string>();
  event.to_branch_code = row["to_branch_code"].as<std::string>();
  event.effective_date = ParseDay(row["effective_date"].as<std::string>()).value_or(absl::CivilDay());
  event.detail = row["detail"].as<std::string>();
  event.actor = row["actor"].as<std::string>();
  event.create_time = absl::FromUnixMicros(row["create_time_us"].as<int64_t>());
  return event;
}

absl::Status AlreadyActive(const std::string& existing_member_id, const std::string& branch_code) {
  return absl::AlreadyExistsError(absl::StrCat(
      "the same person already has an active record in branch ", branch_code, ": member ", existing_member_id,
      " (one active record per person per branch); update that record instead"));
}

// FAILED_PRECONDITION unless `branch_code` is a village or community in the
// organisation register (same schema: the tree is this service's own data).
absl::Status RequireBranch(PgTransaction& txn, const std::string& branch_code) {
  pqxx::result org = txn.exec_prepared("get_organization", branch_code);
  if (org.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("branch ", branch_code,
                                                      " is not in the organisation register; create the village or "
                                                      "community first (OrganizationService.CreateOrganization)"));
  }
  std::string kind = org[0]["kind"].as<std::string>();
  if (kind != KindName(OrganizationKind::kVillage) && kind != KindName(OrganizationKind::kCommunity)) {
    return absl::FailedPreconditionError(absl::StrCat("organisation ", branch_code, " is a ", kind,
                                                      "; members belong to a village or community branch"));
  }
  return absl::OkStatus();
}

// The active record of the person in the branch other than `self_id`, if any.
std::string ActiveRecordOf(PgTransaction& txn, const std::string& branch_code, const std::string& person_key,
                           const std::string& self_id) {
  for (const pqxx::row& row : txn.exec_prepared("find_active_member_of_person", branch_code, person_key)) {
    std::string id = row["member_id"].as<std::string>();
    if (id != self_id) return id;
  }
  return "";
}

void AppendEvent(PgTransaction& txn, const std::string& member_id, MemberEventKind kind, const std::string& from_branch,
                 const std::string& to_branch, const MemberChange& change, const std::string& request_id) {
  txn.exec_prepared("insert_member_event", member_id, std::string(MemberEventKindName(kind)), from_branch, to_branch,
                    FormatDay(change.effective_date), change.detail, change.actor, request_id);
}

// The locked row of `member_id` for a write, or why there is none: NOT_FOUND,
// or ABORTED when it changed after `read_at` (the caller's rules saw an older
// version).
absl::StatusOr<pqxx::row> LockForWrite(PgTransaction& txn, const std::string& member_id, absl::Time read_at) {
  pqxx::result rows = txn.exec_prepared("get_member_for_update", member_id);
  if (rows.empty()) return absl::NotFoundError(absl::StrCat("no member ", member_id));
  if (rows[0]["update_time_us"].as<int64_t>() != absl::ToUnixMicros(read_at)) {
    return absl::AbortedError(absl::StrCat("member ", member_id,
                                           " changed while this call was running; read it again and retry"));
  }
  return rows[0];
}

}  // namespace

absl::Status PgMemberStore::ActiveRecordConflict(const std::string& branch_code, const std::string& person_key,
                                                 const absl::Status& fallback, absl::Time deadline) {
  absl::StatusOr<std::string> existing = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::string> {
    return ActiveRecordOf(txn, branch_code, person_key, "");
  });
  if (!existing.ok() || existing->empty()) return fallback;
  return AlreadyActive(*existing, branch_code);
}

absl::StatusOr<Member> PgMemberStore::Create(const Member& member, const SealedIdentity& identity,
                                             const MemberChange& change, absl::Time deadline) {
  // The member an earlier call with this request_id registered in this branch, if any.
  auto earlier = [&](PgTransaction& txn) -> absl::StatusOr<std::optional<Member>> {
    pqxx::result rows = txn.exec_prepared("get_member_by_request_id", change.request_id);
    if (rows.empty()) return std::nullopt;
    Member first = FromRow(rows[0]);
    if (first.branch_code == member.branch_code) return first;
    return absl::AlreadyExistsError(absl::StrCat("request_id ", change.request_id, " already registered member ",
                                                 first.member_id, " in another branch; use a new request_id"));
  };
  absl::StatusOr<Member> created = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    if (!change.request_id.empty()) {
      absl::StatusOr<std::optional<Member>> first = earlier(txn);
      if (!first.ok()) return first.status();
      if (first->has_value()) return **first;
    }
    if (absl::Status branch = RequireBranch(txn, member.branch_code); !branch.ok()) return branch;
    if (std::string existing = ActiveRecordOf(txn, member.branch_code, identity.person_key, ""); !existing.empty()) {
      return AlreadyActive(existing, member.branch_code);
    }
    pqxx::result inserted = txn.exec_prepared(
        "insert_member", member.full_name, std::string(GenderName(member.gender)), FormatBirthMonth(member.birth_month),
        FormatDay(member.joined_date), member.joined_month_only, member.phone, member.branch_code, member.grid,
        member.household, member.courtyard, member.is_group_head, member.publicity_consent, member.notes,
        absl::BytesToHexString(identity.national_id_sealed), identity.national_id_last4, identity.person_key,
        member.user, member.demo_data, change.request_id);
    Member registered = FromRow(inserted[0]);
    AppendEvent(txn, registered.member_id, MemberEventKind::kRegistered, registered.branch_code,
                registered.branch_code, change, "");
    return registered;
  });
  if (!IsUniqueViolation(created.status())) return created;
  // A concurrent call won the race to a unique index: a retry with the same
  // request_id gets the first result, anything else learns which record.
  if (!change.request_id.empty()) {
    absl::StatusOr<std::optional<Member>> first = pool_.Transact(deadline, earlier);
    if (first.ok() && first->has_value()) return **first;
  }
  return ActiveRecordConflict(member.branch_code, identity.person_key, created.status(), deadline);
}

absl::StatusOr<Member> PgMemberStore::Get(const std::string& member_id, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    pqxx::result rows = txn.exec_prepared("get_member", member_id);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("no member ", member_id));
    return FromRow(rows[0]);
  });
}

absl::StatusOr<std::vector<Member>> PgMemberStore::List(const MemberFilter& filter, const MemberListCursor& after,
                                                        int limit, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<Member>> {
    std::vector<Member> members;
    for (const pqxx::row& row :
         txn.exec_prepared("list_members", filter.branch_prefix, std::string(MemberStatusName(filter.status)),
                           filter.grid, filter.name_prefix, filter.joined_year, filter.user, after.branch_code,
                           after.full_name, after.member_id, limit)) {
      members.push_back(FromRow(row));
    }
    return members;
  });
}

absl::StatusOr<Member> PgMemberStore::Update(const Member& member, const std::optional<SealedIdentity>& identity,
                                             absl::Time read_at, const MemberChange& change, absl::Time deadline) {
  absl::StatusOr<Member> updated = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    absl::StatusOr<pqxx::row> row = LockForWrite(txn, member.member_id, read_at);
    if (!row.ok()) return row.status();
    std::string branch_code = (*row)["branch_code"].as<std::string>();
    bool active = (*row)["status"].as<std::string>() == MemberStatusName(MemberStatus::kActive);
    if (identity && active) {
      if (std::string existing = ActiveRecordOf(txn, branch_code, identity->person_key, member.member_id);
          !existing.empty()) {
        return AlreadyActive(existing, branch_code);
      }
    }
    pqxx::result rows = txn.exec_prepared(
        "update_member", member.member_id, member.full_name, std::string(GenderName(member.gender)),
        FormatBirthMonth(member.birth_month), FormatDay(member.joined_date), member.joined_month_only, member.phone,
        member.grid, member.household, member.courtyard, member.is_group_head, member.publicity_consent, member.notes,
        member.user, identity.has_value(), identity ? identity->person_key : std::string(),
        identity ? absl::BytesToHexString(identity->national_id_sealed) : std::string(),
        identity ? identity->national_id_last4 : std::string());
    AppendEvent(txn, member.member_id, MemberEventKind::kUpdated, branch_code, branch_code, change, "");
    return FromRow(rows[0]);
  });
  if (!IsUniqueViolation(updated.status()) || !identity) return updated;
  absl::StatusOr<Member> current = Get(member.member_id, deadline);
  if (!current.ok()) return updated.status();
  return ActiveRecordConflict(current->branch_code, identity->person_key, updated.status(), deadline);
}

absl::StatusOr<Member> PgMemberStore::Transfer(const std::string& member_id, const std::string& to_branch_code,
                                               absl::Time read_at, const MemberChange& change, absl::Time deadline) {
  absl::StatusOr<Member> moved = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    if (!change.request_id.empty()) {
      pqxx::result earlier = txn.exec_prepared("find_member_event_by_request_id", change.request_id);
      if (!earlier.empty()) {
        if (earlier[0]["member_id"].as<std::string>() != member_id) {
          return absl::AlreadyExistsError(absl::StrCat("request_id ", change.request_id,
                                                       " was used for another member's transfer; use a new request_id"));
        }
        return FromRow(txn.exec_prepared("get_member", member_id)[0]);
      }
    }
    absl::StatusOr<pqxx::row> row = LockForWrite(txn, member_id, read_at);
    if (!row.ok()) return row.status();
    std::string from_branch = (*row)["branch_code"].as<std::string>();
    std::string person_key = (*row)["person_key"].as<std::string>();
    if ((*row)["status"].as<std::string>() != MemberStatusName(MemberStatus::kActive)) {
      return absl::FailedPreconditionError(absl::StrCat("membership of ", member_id,
                                                        " has ended; only an active member can be transferred"));
    }
    if (from_branch == to_branch_code) {
      return absl::FailedPreconditionError(absl::StrCat("member ", member_id, " is already in branch ", to_branch_code));
    }
    if (absl::Status branch = RequireBranch(txn, to_branch_code); !branch.ok()) return branch;
    if (std::string existing = ActiveRecordOf(txn, to_branch_code, person_key, member_id); !existing.empty()) {
      return AlreadyActive(existing, to_branch_code);
    }
    Member transferred = FromRow(txn.exec_prepared("transfer_member", member_id, to_branch_code)[0]);
    AppendEvent(txn, member_id, MemberEventKind::kTransferred, from_branch, to_branch_code, change, change.request_id);
    return transferred;
  });
  if (!IsUniqueViolation(moved.status())) return moved;
  absl::StatusOr<std::string> person_key = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::string> {
    pqxx::result rows = txn.exec_prepared("get_member_person_key", member_id);
    if (rows.empty()) return absl::NotFoundError(absl::StrCat("no member ", member_id));
    return rows[0]["person_key"].as<std::string>();
  });
  if (!person_key.ok()) return moved.status();
  return ActiveRecordConflict(to_branch_code, *person_key, moved.status(), deadline);
}

absl::StatusOr<Member> PgMemberStore::End(const std::string& member_id, EndReason reason, const std::string& note,
                                          absl::Time read_at, const MemberChange& change, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Member> {
    absl::StatusOr<pqxx::row> row = LockForWrite(txn, member_id, read_at);
    if (!row.ok()) return row.status();
    pqxx::result rows = txn.exec_prepared("end_member", member_id, std::string(EndReasonName(reason)), note,
                                          FormatDay(change.effective_date));
    if (rows.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("membership of ", member_id, " has already ended"));
    }
    Member ended = FromRow(rows[0]);
    AppendEvent(txn, member_id, MemberEventKind::kEnded, ended.branch_code, ended.branch_code, change, "");
    return ended;
  });
}

absl::StatusOr<std::vector<MemberEvent>> PgMemberStore::ListEvents(const std::string& member_id,
                                                                   int64_t after_event_id, int limit,
                                                                   absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<MemberEvent>> {
    std::vector<MemberEvent> events;
    for (const pqxx::row& row : txn.exec_prepared("list_member_events", member_id, after_event_id, limit)) {
      events.push_back(EventFromRow(row));
    }
    return events;
  });
}

}  // namespace gridserve::membership
