#include "membership/register/pg_member_import_store.h"

#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/division.h"
#include "membership/register/member_validation.h"
#include "pqxx/pqxx"

namespace gridserve::membership {
namespace {

std::string DateText(absl::CivilDay day) { return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day()); }

}  // namespace

absl::StatusOr<std::vector<ImportBranch>> PgMemberImportStore::ListBranches(const std::string& org_code,
                                                                            absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<ImportBranch>> {
    std::vector<ImportBranch> branches;
    if (txn.exec_prepared("get_organization", org_code).empty()) {
      return absl::NotFoundError(
          absl::StrCat("organisation ", org_code, " does not exist; check header.org_code"));
    }
    for (const pqxx::row& row :
         txn.exec_prepared("member_import_list_branches", std::string(SignificantPrefix(org_code)))) {
      branches.push_back({row["code"].as<std::string>(), row["display_name"].as<std::string>()});
    }
    return branches;
  });
}

absl::StatusOr<std::optional<StoredImport>> PgMemberImportStore::FindImport(const std::string& request_id,
                                                                            absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::optional<StoredImport>> {
    pqxx::result rows = txn.exec_prepared("member_import_find", request_id);
    if (rows.empty()) return std::nullopt;
    StoredImport stored;
    stored.org_code = rows[0]["org_code"].as<std::string>();
    stored.file_sha256 = rows[0]["file_sha256"].as<std::string>();
    pqxx::binarystring report(rows[0]["report"]);
    if (!stored.report.ParseFromString(report.str())) {
      return absl::DataLossError(absl::StrCat("the stored report of import ", request_id, " cannot be read"));
    }
    return std::move(stored);
  });
}

absl::StatusOr<ImportCounts> PgMemberImportStore::Write(const std::vector<ImportRow>& rows, const ImportWrite& write,
                                                        const v1::ImportReport& report, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<ImportCounts> {
    ImportCounts counts;
    txn.exec_prepared("member_import_create_staging");
    {
      pqxx::stream_to copy(txn, "member_import_rows",
                           std::vector<std::string>{"row_number", "full_name", "gender", "birth_month", "joined_date",
                                                    "joined_month_only", "phone", "branch_code", "grid",
                                                    "is_group_head", "publicity_consent", "notes",
                                                    "national_id_sealed_hex", "national_id_last4", "person_key"});
      for (const ImportRow& row : rows) {
        const Member& member = row.member;
        copy << std::make_tuple(row.row_number, member.full_name, std::string(GenderName(member.gender)),
                                DateText(absl::CivilDay(member.birth_month)), DateText(member.joined_date),
                                member.joined_month_only, member.phone, member.branch_code, member.grid,
                                member.is_group_head, member.publicity_consent, member.notes,
                                absl::BytesToHexString(row.identity.national_id_sealed),
                                row.identity.national_id_last4, row.identity.person_key);
      }
      copy.complete();
    }
    txn.exec_prepared("member_import_match_rows");
    pqxx::row counted = txn.exec_prepared("member_import_count_rows")[0];
    counts.created = counted["created"].as<int>();
    counts.updated = counted["updated"].as<int>();
    counts.unchanged = counted["unchanged"].as<int>();
    if (write.dry_run) return counts;  // the staging table goes with the transaction

    const std::string date = DateText(write.effective_date);
    const std::string source = write.file_name.empty() ? "roster import" : absl::StrCat("roster ", write.file_name);
    txn.exec_prepared("member_import_insert_members", date, absl::StrCat("created from ", source), write.actor);
    txn.exec_prepared("member_import_update_members", date, absl::StrCat("updated from ", source, ": "),
                      write.actor);

    v1::ImportReport stored = report;
    stored.set_created(counts.created);
    stored.set_updated(counts.updated);
    stored.set_unchanged(counts.unchanged);
    stored.set_committed(true);
    txn.exec_prepared("member_import_insert", write.request_id, write.org_code, write.file_name, write.file_sha256,
                      write.actor, stored.rows_total(), counts.created, counts.updated, counts.unchanged,
                      pqxx::binarystring(stored.SerializeAsString()));
    return counts;
  });
}

}  // namespace gridserve::membership
