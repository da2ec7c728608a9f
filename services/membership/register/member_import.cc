#include "membership/register/member_import.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/division.h"
#include "common/errors.h"
#include "common/permissions.h"
#include "common/sha256.h"
#include "common/status_macros.h"
#include "membership/register/member_validation.h"
#include "membership/register/members.h"
#include "membership/register/roster_columns.h"
#include "membership/roster/roster_reader.h"

namespace gridserve::membership {
namespace {

constexpr int kProgressEveryRows = 1000;

std::optional<RosterField> FieldOfName(absl::string_view name) {
  for (int i = 0; i < kRosterFieldCount; ++i) {
    auto field = static_cast<RosterField>(i);
    if (RosterFieldName(field) == name) return field;
  }
  return std::nullopt;
}

std::string CellText(const RosterRow& row, const RosterColumns& columns, RosterField field) {
  int index = columns.index[static_cast<int>(field)];
  if (index < 0 || index >= static_cast<int>(row.cells.size())) return "";
  return std::string(absl::StripAsciiWhitespace(row.cells[index].text));
}

bool IsAllDigits(absl::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return absl::ascii_isdigit(c); });
}

// Where 所在党支部 values may point: the branches under the import's org_code.
class BranchDirectory {
 public:
  BranchDirectory(std::string org_code, const std::vector<ImportBranch>& branches) : org_code_(std::move(org_code)) {
    for (const ImportBranch& branch : branches) {
      names_[branch.code] = branch.display_name;
      by_key_[BranchMatchKey(branch.display_name)].push_back(branch.code);
    }
  }

  // The org_code itself is a village or community: rows without 所在党支部 go there.
  bool OrgIsBranch() const { return names_.contains(org_code_); }

  // The code the cell names, or the problem with it.
  absl::StatusOr<std::string> Resolve(const std::string& cell) const {
    if (cell.empty()) {
      if (OrgIsBranch()) return org_code_;
      return absl::InvalidArgumentError(
          absl::StrCat("is required when importing for ", org_code_,
                       ", which is no village or community: write the village's name or 12-digit code"));
    }
    if (IsAllDigits(cell)) {
      if (names_.contains(cell)) return cell;
      return absl::InvalidArgumentError(
          absl::StrCat(cell, " is not a village or community under ", org_code_,
                       "; an import may only add members to branches under its organisation"));
    }
    auto found = by_key_.find(BranchMatchKey(cell));
    if (found == by_key_.end()) {
      return absl::InvalidArgumentError(absl::StrCat("no village or community named ", cell, " under ", org_code_,
                                                     "; check the name or write its 12-digit code"));
    }
    if (found->second.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(cell, " names several branches under ", org_code_, " (",
                                                     absl::StrJoin(found->second, ", "),
                                                     "); write the 12-digit code instead"));
    }
    return found->second.front();
  }

 private:
  std::string org_code_;
  absl::flat_hash_map<std::string, std::string> names_;
  absl::flat_hash_map<std::string, std::vector<std::string>> by_key_;
};

v1::ImportProgress Progress(v1::ImportPhase phase, int64_t bytes, int done, int total) {
  v1::ImportProgress progress;
  progress.set_phase(phase);
  progress.set_bytes_received(bytes);
  progress.set_rows_done(done);
  progress.set_rows_total(total);
  return progress;
}

}  // namespace

absl::Status MemberImport::CheckHeader(const Principal& caller, const v1::ImportHeader& header) const {
  if (!IsDivisionCode(header.org_code())) {
    return InvalidField("header.org_code",
                        "must be the 12-digit code of the village, community or town the roster belongs to");
  }
  return RequirePermissionAt(caller, Permission::kMemberWrite, header.org_code(), "header.org_code");
}

absl::StatusOr<v1::ImportReport> MemberImport::Import(const Principal& caller, const v1::ImportHeader& header,
                                                      absl::string_view file, const ImportProgressSink& progress,
                                                      absl::Time deadline) {
  RETURN_IF_ERROR(CheckHeader(caller, header));
  if (file.size() > kMaxImportFileBytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("the roster is larger than ", kMaxImportFileBytes >> 20, " MiB; split it into several files"));
  }
  if (file.empty()) return absl::InvalidArgumentError("the roster file is empty; send the file after the header");

  const std::string sha256 = Sha256Hex(file);
  if (!header.request_id().empty()) {
    ASSIGN_OR_RETURN(std::optional<StoredImport> earlier, store_.FindImport(header.request_id(), deadline));
    if (earlier) {
      if (earlier->file_sha256 != sha256 || earlier->org_code != header.org_code()) {
        return absl::AlreadyExistsError(absl::StrCat("request_id ", header.request_id(),
                                                     " was already used for another roster import; use a new "
                                                     "request_id for a new file"));
      }
      return earlier->report;
    }
  }

  std::optional<RosterFileFormat> format;
  if (header.format() == v1::ROSTER_FORMAT_CSV) format = RosterFileFormat::kCsv;
  if (header.format() == v1::ROSTER_FORMAT_XLSX) format = RosterFileFormat::kXlsx;
  RosterLimits limits;
  limits.max_rows = kMaxImportRows + 1;  // and the header row
  ASSIGN_OR_RETURN(RosterTable table, ReadRoster(file, format, limits));
  if (table.rows.empty()) {
    return absl::InvalidArgumentError("the roster has no rows; its first row must hold the column headers (姓名, 性别, ...)");
  }
  ASSIGN_OR_RETURN(std::vector<ImportBranch> branches, store_.ListBranches(header.org_code(), deadline));
  BranchDirectory directory(header.org_code(), branches);

  v1::ImportReport report;
  report.set_dry_run(header.dry_run());
  report.set_detected_encoding(table.detected_encoding);
  const int rows_total = static_cast<int>(table.rows.size()) - 1;
  report.set_rows_total(rows_total);
  const int64_t bytes = static_cast<int64_t>(file.size());
  progress(Progress(v1::IMPORT_PHASE_VALIDATING, bytes, 0, rows_total));

  std::vector<RosterProblem> problems;
  RosterColumns columns = MapRosterHeader(table.rows.front(), problems);
  const bool header_ok = problems.empty();
  const absl::CivilDay today = ChinaDay(now_());

  std::vector<ImportRow> rows;
  rows.reserve(rows_total);
  // (branch, person_key) -> row number of its first row, for duplicates within the file.
  absl::flat_hash_map<std::pair<std::string, std::string>, int> first_row_of_person;
  for (int i = 1; header_ok && i <= rows_total; ++i) {
    const RosterRow& roster_row = table.rows[i];
    std::vector<RosterProblem> row_problems;
    RosterRecord record = ConvertRosterRow(roster_row, columns, table.date1904, row_problems);
    Member& member = record.member;

    BranchCell branch_cell = SplitBranchCell(record.branch);
    absl::StatusOr<std::string> branch = directory.Resolve(branch_cell.branch);
    if (branch.ok()) {
      member.branch_code = *branch;
    } else {
      row_problems.push_back({roster_row.row_number, columns.HeaderOf(RosterField::kBranch), "branch_code",
                              std::string(branch.status().message())});
    }
    if (!branch_cell.grid.empty()) {
      if (IsResourceName(branch_cell.grid, "grids") && member.grid.empty()) {
        member.grid = branch_cell.grid;
      } else if (branch_cell.grid != member.grid) {
        // Grids belong to grid_assignment, which matches names to grids; the
        // register stores only its references, so a name cannot be kept.
        row_problems.push_back(
            {roster_row.row_number, columns.HeaderOf(RosterField::kBranch), "grid",
             absl::StrCat("the grid ", branch_cell.grid,
                          " in brackets cannot be stored by name; write the branch alone and register the member "
                          "at the grid in grid_assignment, or give the grid as grids/{id}")});
      }
    }

    NormalizeMember(member);
    std::set<std::string> reported;
    for (const RosterProblem& problem : row_problems) reported.insert(problem.field);
    for (const FieldViolation& violation :
         ParseAndValidateMember(record.birth_month, record.joined_date, member, today)) {
      // A cell already reported (unreadable date, unresolved branch) is not reported twice.
      if (reported.contains(violation.field)) continue;
      std::optional<RosterField> field = FieldOfName(violation.field);
      std::string column = field ? columns.HeaderOf(*field) : "";
      std::string written = field ? CellText(roster_row, columns, *field) : "";
      std::string problem = violation.description;
      if (!written.empty() && (absl::StartsWith(problem, "must") || absl::StartsWith(problem, "is "))) {
        problem = absl::StrCat("\"", written, "\" ", problem);
      }
      row_problems.push_back({roster_row.row_number, column, violation.field, std::move(problem)});
    }

    if (row_problems.empty()) {
      ImportRow row{.row_number = roster_row.row_number, .member = std::move(member)};
      row.identity = sealer_.SealIdentity(row.member);
      row.member.national_id.clear();
      auto [first, inserted] =
          first_row_of_person.try_emplace({row.member.branch_code, row.identity.person_key}, row.row_number);
      if (!inserted) {
        row_problems.push_back(
            {row.row_number, "", "",
             absl::StrCat("the same person as row ", first->second,
                          " (same national id, or same name and birth month) in the same branch; keep one of the rows")});
      } else {
        rows.push_back(std::move(row));
      }
    }
    problems.insert(problems.end(), row_problems.begin(), row_problems.end());
    if (i % kProgressEveryRows == 0 || i == rows_total) {
      progress(Progress(v1::IMPORT_PHASE_VALIDATING, bytes, i, rows_total));
    }
  }

  std::stable_sort(problems.begin(), problems.end(),
                   [](const RosterProblem& a, const RosterProblem& b) { return a.row_number < b.row_number; });
  std::set<int> rows_with_problems;
  for (const RosterProblem& problem : problems) rows_with_problems.insert(problem.row_number);
  report.set_rows_with_problems(static_cast<int>(rows_with_problems.size()));
  for (size_t i = 0; i < problems.size() && i < kMaxReportedProblems; ++i) {
    v1::ImportRowProblem* out = report.add_problems();
    out->set_row_number(problems[i].row_number);
    out->set_column(problems[i].column);
    out->set_field(problems[i].field);
    out->set_problem(problems[i].problem);
  }
  if (!header_ok) return report;

  // With problems nothing is written, but the valid rows still show what the
  // import would do once the file is corrected.
  ImportWrite write{.actor = caller.subject,
                    .request_id = header.request_id(),
                    .org_code = header.org_code(),
                    .file_name = header.file_name(),
                    .file_sha256 = sha256,
                    .effective_date = today,
                    .dry_run = header.dry_run() || !problems.empty()};
  const int rows_to_write = static_cast<int>(rows.size());
  // One transaction writes every row (and may be retried), so the client
  // hears when writing starts and when it is done, not in between.
  progress(Progress(v1::IMPORT_PHASE_WRITING, bytes, 0, rows_to_write));
  absl::StatusOr<ImportCounts> counts = store_.Write(rows, write, report, deadline);
  if (counts.ok()) progress(Progress(v1::IMPORT_PHASE_WRITING, bytes, rows_to_write, rows_to_write));
  if (counts.status().code() == absl::StatusCode::kAlreadyExists && !write.dry_run && !write.request_id.empty()) {
    // A retry raced the first call and lost: answer with the first call's report.
    ASSIGN_OR_RETURN(std::optional<StoredImport> earlier, store_.FindImport(write.request_id, deadline));
    if (earlier && earlier->file_sha256 == sha256) return earlier->report;
  }
  if (!counts.ok()) return counts.status();
  report.set_created(counts->created);
  report.set_updated(counts->updated);
  report.set_unchanged(counts->unchanged);
  report.set_committed(!write.dry_run);
  return report;
}

}  // namespace gridserve::membership
