#include "membership/pg_organization_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

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
  Organization created;
  absl::Status status = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
    if (!request_id.empty()) {
      pqxx::result earlier = txn.exec_prepared("get_organization_by_request_id", request_id);
      if (!earlier.empty()) {
        created = FromRow(earlier[0]);
        if (created.code == organization.code) return absl::OkStatus();
        return absl::AlreadyExistsError(absl::StrCat("request_id ", request_id, " was already used to create organisation ",
                                                     created.code, "; use a new request_id for a new organisation"));
      }
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
    pqxx::result inserted = txn.exec_prepared(
        "insert_organization", organization.code, std::string(KindName(organization.kind)),
        organization.parent_code, organization.display_name, organization.demo_data, request_id);
    created = FromRow(inserted[0]);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists && !request_id.empty()) {
    // A retry that raced the first call: answer with what the first call created.
    absl::Status reread = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
      pqxx::result earlier = txn.exec_prepared("get_organization_by_request_id", request_id);
      if (earlier.empty() || earlier[0]["code"].as<std::string>() != organization.code) return status;
      created = FromRow(earlier[0]);
      return absl::OkStatus();
    });
    if (reread.ok()) return created;
  }
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<Organization> PgOrganizationStore::Get(const std::string& code, absl::Time deadline) {
  Organization found;
  absl::Status status = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("get_organization", code);
    if (rows.empty()) return NotFound(code);
    found = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::vector<Organization>> PgOrganizationStore::ListChildren(const std::string& parent_code,
                                                                            const std::vector<std::string>& code_prefixes,
                                                                            const std::string& after_code,
                                                                            int limit, absl::Time deadline) {
  std::vector<Organization> children;
  absl::Status status = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
    for (const pqxx::row& row :
         txn.exec_prepared("list_child_organizations", parent_code, TextArray(code_prefixes), after_code, limit)) {
      children.push_back(FromRow(row));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return children;
}

absl::StatusOr<Organization> PgOrganizationStore::UpdateDisplayName(const std::string& code,
                                                                    const std::string& display_name,
                                                                    absl::Time deadline) {
  Organization updated;
  absl::Status status = pool_.Run(deadline, [&](pqxx::work& txn) -> absl::Status {
    pqxx::result rows = txn.exec_prepared("update_organization_display_name", code, display_name);
    if (rows.empty()) return NotFound(code);
    updated = FromRow(rows[0]);
    return absl::OkStatus();
  });
  if (status.code() == absl::StatusCode::kAlreadyExists) {
    return absl::AlreadyExistsError(absl::StrCat("another organisation under the same parent is already named ",
                                                 display_name, "; choose a distinct display_name"));
  }
  if (!status.ok()) return status;
  return updated;
}

}  // namespace gridserve::membership
