#include "membership/organizations/pg_organization_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pqxx/pqxx"

namespace gridserve::membership {
namespace {

Organization FromRow(const pqxx::row& row) {
  Organization organization;
  organization.code = row["code"].as<std::string>();
  organization.kind = KindFromName(row["kind"].as<std::string>()).value_or(OrganizationKind::kUnspecified);
  organization.parent_code = row["parent_code"].as<std::string>();
  organization.display_name = row["display_name"].as<std::string>();
  organization.demo_data = row["demo_data"].as<bool>();
  organization.create_time = absl::FromUnixMicros(row["create_time_us"].as<int64_t>());
  organization.update_time = absl::FromUnixMicros(row["update_time_us"].as<int64_t>());
  return organization;
}

// A PostgreSQL text[] literal of digit strings (no quoting needed).
std::string TextArray(const std::vector<std::string>& values) { return "{" + absl::StrJoin(values, ",") + "}"; }

absl::Status NotFound(const std::string& code) {
  return absl::NotFoundError(absl::StrCat("organisation ", code, " does not exist; check the code or create it first"));
}

}  // namespace

absl::StatusOr<Organization> PgOrganizationStore::Create(const Organization& organization,
                                                         OrganizationKind parent_kind,
                                                         const std::string& request_id, absl::Time deadline) {
  // The organisation an earlier call with `request_id` created, if it created `organization.code`.
  auto earlier = [&](PgTransaction& txn) -> absl::StatusOr<std::optional<Organization>> {
    pqxx::result rows = txn.exec_prepared("get_organization_by_request_id", request_id);
    if (rows.empty()) return std::nullopt;
    Organization found = FromRow(rows[0]);
    if (found.code == organization.code) return found;
    return absl::AlreadyExistsError(absl::StrCat("request_id ", request_id, " was already used to create organisation ",
                                                 found.code, "; use a new request_id for a new organisation"));
  };
  absl::StatusOr<Organization> created = pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Organization> {
    if (!request_id.empty()) {
      absl::StatusOr<std::optional<Organization>> first = earlier(txn);
      if (!first.ok()) return first.status();
      if (first->has_value()) return **first;
    }
    if (!organization.parent_code.empty()) {
      pqxx::result parent = txn.exec_prepared("get_organization", organization.parent_code);
      if (parent.empty()) {
        return absl::FailedPreconditionError(absl::StrCat("parent ", organization.parent_code,
                                                          " does not exist; create it before its children"));
      }
      if (parent[0]["kind"].as<std::string>() != KindName(parent_kind)) {
        return absl::FailedPreconditionError(absl::StrCat("parent ", organization.parent_code, " is a ",
                                                          parent[0]["kind"].as<std::string>(), ", not a ",
                                                          KindName(parent_kind)));
      }
    }
    pqxx::result conflict = txn.exec_prepared("find_organization_conflicts", organization.code,
                                              organization.parent_code, organization.display_name);
    if (!conflict.empty()) {
      if (conflict[0]["same_code"].as<bool>()) {
        return absl::AlreadyExistsError(absl::StrCat("organisation ", organization.code, " already exists (",
                                                     conflict[0]["display_name"].as<std::string>(), ")"));
      }
      return absl::AlreadyExistsError(absl::StrCat("organisation ", conflict[0]["code"].as<std::string>(),
                                                   " under the same parent is already named ", organization.display_name,
                                                   "; choose a distinct display_name"));
    }
    return FromRow(txn.exec_prepared("insert_organization", organization.code, std::string(KindName(organization.kind)),
                                     organization.parent_code, organization.display_name, organization.demo_data,
                                     request_id)[0]);
  });
  if (created.status().code() == absl::StatusCode::kAlreadyExists && !request_id.empty()) {
    // A retry that raced the first call: answer with what the first call created.
    absl::StatusOr<std::optional<Organization>> first = pool_.Transact(deadline, earlier);
    if (first.ok() && first->has_value()) return **first;
  }
  return created;
}

absl::StatusOr<Organization> PgOrganizationStore::Get(const std::string& code, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Organization> {
    pqxx::result rows = txn.exec_prepared("get_organization", code);
    if (rows.empty()) return NotFound(code);
    return FromRow(rows[0]);
  });
}

absl::StatusOr<std::vector<Organization>> PgOrganizationStore::ListChildren(const std::string& parent_code,
                                                                            const std::vector<std::string>& code_prefixes,
                                                                            const std::string& after_code,
                                                                            int limit, absl::Time deadline) {
  return pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<std::vector<Organization>> {
    std::vector<Organization> children;
    for (const pqxx::row& row :
         txn.exec_prepared("list_child_organizations", parent_code, TextArray(code_prefixes), after_code, limit)) {
      children.push_back(FromRow(row));
    }
    return children;
  });
}

absl::StatusOr<Organization> PgOrganizationStore::UpdateDisplayName(const std::string& code,
                                                                    const std::string& display_name,
                                                                    absl::Time deadline) {
  absl::StatusOr<Organization> updated =
      pool_.Transact(deadline, [&](PgTransaction& txn) -> absl::StatusOr<Organization> {
        pqxx::result rows = txn.exec_prepared("update_organization_display_name", code, display_name);
        if (rows.empty()) return NotFound(code);
        return FromRow(rows[0]);
      });
  if (updated.status().code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("another organisation under the same parent is already named ",
                                                 display_name, "; choose a distinct display_name"));
  }
  return updated;
}

}  // namespace gridserve::membership
