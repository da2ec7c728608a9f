// member_import_bench: what a 20,000-member roster costs to import (issue 4
// deliverable 2: under 10 s). Generates the roster of one town (10 villages)
// as CSV and as XLSX, imports the CSV into a fresh schema of a throwaway
// PostgreSQL cluster (all rows created), then the XLSX into the same schema
// (all rows unchanged), printing parse / validate / write / total wall times.
// Baseline, same run, same machine: the same members inserted one by one
// through the register's prepared single-member insert (PgMemberStore::Create).
//   member_import_bench [--rows=20000] [--baseline_rows=20000]
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "tools/bench/bench_support.h"
#include "membership/register/member_import.h"
#include "membership/register/member_validation.h"
#include "membership/register/members.h"
#include "membership/register/pg_member_import_store.h"
#include "membership/register/pg_member_store.h"
#include "membership/roster/roster_test_files.h"
#include "membership_sql.h"
#include "tests/support/pg_test_schema.h"

namespace gridserve::bench {
namespace {

using membership::testing::XlsxValue;

constexpr char kTown[] = "500114101000";
constexpr int kVillages = 10;

std::string VillageCode(int i) { return absl::StrFormat("500114101%03d", 201 + i); }
std::string VillageName(int i) { return absl::StrCat("第", i + 1, "村"); }

struct Roster {
  std::vector<std::vector<std::string>> text;  // header + rows
  std::vector<std::vector<XlsxValue>> xlsx;
};

// Members spread over the town's villages; every row valid and distinct.
Roster MakeRoster(int rows) {
  Roster roster;
  std::vector<std::string> header = {"序号", "姓名", "性别", "出生年月", "入党时间", "联系电话", "所在党支部（网格）",
                                     "是否组长", "备注"};
  roster.text.push_back(header);
  roster.xlsx.emplace_back(header.begin(), header.end());
  for (int i = 0; i < rows; ++i) {
    int birth_year = 1940 + i % 60;
    int birth_month = 1 + i % 12;
    absl::CivilDay joined(birth_year + 20 + i % 5, 1 + (i / 12) % 12, 1 + i % 28);
    std::vector<std::string> row = {absl::StrCat(i + 1),
                                    absl::StrCat("党员", i),
                                    i % 2 == 0 ? "男" : "女",
                                    absl::StrFormat("%04d-%02d", birth_year, birth_month),
                                    absl::StrFormat("%04d-%02d-%02d", joined.year(), joined.month(), joined.day()),
                                    absl::StrFormat("138%08d", i),
                                    VillageName(i % kVillages) + "党支部",
                                    i % 20 == 0 ? "是" : "否",
                                    ""};
    roster.text.push_back(row);
    // XLSX as Excel keeps it: dates as date cells, phone as a number.
    roster.xlsx.push_back({row[0], row[1], row[2], absl::CivilDay(birth_year, birth_month, 1), joined,
                           static_cast<double>(13800000000LL + i), row[6], row[7], XlsxValue()});
  }
  return roster;
}

struct Phases {
  double parse = 0, validate = 0, write = 0, total = 0;
};

absl::StatusOr<membership::v1::ImportReport> TimedImport(membership::MemberImport& import, const std::string& file,
                                                         Phases& phases) {
  Principal admin{.subject = "users/bench", .bindings = {{"TOWN_ADMIN", kTown}}};
  membership::v1::ImportHeader header;
  header.set_org_code(kTown);
  header.set_file_name("bench");
  absl::Time start = absl::Now();
  absl::Time validating, writing;
  auto report = import.Import(
      admin, header, file,
      [&](const membership::v1::ImportProgress& progress) {
        if (progress.phase() == membership::v1::IMPORT_PHASE_VALIDATING && validating == absl::Time()) {
          validating = absl::Now();
        }
        if (progress.phase() == membership::v1::IMPORT_PHASE_WRITING && writing == absl::Time()) {
          writing = absl::Now();
        }
      },
      absl::Now() + absl::Minutes(5));
  absl::Time end = absl::Now();
  phases.parse = absl::ToDoubleSeconds(validating - start);
  phases.validate = absl::ToDoubleSeconds(writing - validating);
  phases.write = absl::ToDoubleSeconds(end - writing);
  phases.total = absl::ToDoubleSeconds(end - start);
  return report;
}

absl::StatusOr<testing::TestSchema> TownSchema() {
  absl::StatusOr<testing::TestSchema> schema =
      testing::MakeTestSchema("import_bench", membership::sql::Migrations(), membership::sql::Queries(), 2);
  if (!schema.ok()) return schema.status();
  std::string sql = absl::StrCat(
      "INSERT INTO organizations (code, kind, parent_code, display_name) VALUES "
      "('500114000000', 'DISTRICT', NULL, '黔江区'), ('",
      kTown, "', 'TOWN', '500114000000', '邻鄂镇')");
  for (int i = 0; i < kVillages; ++i) {
    absl::StrAppend(&sql, ", ('", VillageCode(i), "', 'VILLAGE', '", kTown, "', '", VillageName(i), "')");
  }
  if (absl::Status status = schema->Execute(sql); !status.ok()) return status;
  return schema;
}

void Print(const char* name, const Phases& p, const membership::v1::ImportReport& report) {
  std::printf("%-28s parse %6.2f s  validate %6.2f s  write %6.2f s  total %6.2f s  (created %d, updated %d, unchanged %d)\n",
              name, p.parse, p.validate, p.write, p.total, report.created(), report.updated(), report.unchanged());
}

}  // namespace
}  // namespace gridserve::bench

int main(int argc, char** argv) {
  using namespace gridserve;
  using namespace gridserve::bench;
  Flags flags = BenchFlags();
  flags.Define("rows", "20000", "members in the generated roster")
      .Define("baseline_rows", "20000", "members inserted one by one for the baseline");
  if (absl::Status status = ParseBenchFlags(flags, argc, argv); !status.ok()) return Fail("member_import_bench", status);
  int rows = *flags.GetInt("rows", 1, membership::kMaxImportRows);
  int baseline_rows = *flags.GetInt("baseline_rows", 0, membership::kMaxImportRows);

  absl::StatusOr<membership::PersonalDataSealer> sealer = membership::PersonalDataSealer::Create(std::string(32, 'b'));
  if (!sealer.ok()) return Fail("member_import_bench", sealer.status());
  Roster roster = MakeRoster(rows);
  std::string csv = membership::testing::MakeCsv(roster.text);
  absl::StatusOr<std::string> xlsx = membership::testing::MakeXlsx(roster.xlsx);
  if (!xlsx.ok()) return Fail("member_import_bench", xlsx.status());
  std::printf("roster: %d rows, CSV %.1f MiB, XLSX %.1f MiB\n", rows, csv.size() / 1048576.0, xlsx->size() / 1048576.0);

  absl::StatusOr<testing::TestSchema> schema = TownSchema();
  if (!schema.ok()) return Fail("member_import_bench", schema.status());
  membership::PgMemberImportStore import_store(*schema->pool);
  membership::MemberImport import(import_store, *sealer);
  Phases csv_phases, xlsx_phases;
  absl::StatusOr<membership::v1::ImportReport> created = TimedImport(import, csv, csv_phases);
  if (!created.ok()) return Fail("member_import_bench", created.status());
  if (created->problems_size() > 0 || created->created() != rows) {
    return Fail("member_import_bench", absl::InternalError(absl::StrCat("CSV import: ", created->problems_size(), " problems, e.g. ",
                             created->problems_size() ? created->problems(0).problem() : "", "; created ",
                             created->created())));
  }
  Print("CSV, new members", csv_phases, *created);
  absl::StatusOr<membership::v1::ImportReport> again = TimedImport(import, *xlsx, xlsx_phases);
  if (!again.ok()) return Fail("member_import_bench", again.status());
  if (again->unchanged() != rows) {
    return Fail("member_import_bench", absl::InternalError(absl::StrCat("XLSX re-import: ", again->problems_size(), " problems, unchanged ", again->unchanged())));
  }
  Print("XLSX, same members again", xlsx_phases, *again);

  if (baseline_rows > 0) {
    absl::StatusOr<testing::TestSchema> baseline_schema = TownSchema();
    if (!baseline_schema.ok()) return Fail("member_import_bench", baseline_schema.status());
    membership::PgMemberStore member_store(*baseline_schema->pool);
    membership::MemberChange change{.actor = "users/bench", .effective_date = absl::CivilDay(2024, 6, 1)};
    absl::Time start = absl::Now();
    for (int i = 1; i <= baseline_rows && i < static_cast<int>(roster.text.size()); ++i) {
      const std::vector<std::string>& row = roster.text[i];
      membership::Member member;
      member.full_name = row[1];
      member.gender = row[2] == "男" ? membership::Gender::kMale : membership::Gender::kFemale;
      member.phone = row[5];
      member.branch_code = VillageCode((i - 1) % kVillages);
      member.is_group_head = row[7] == "是";
      std::vector<FieldViolation> violations =
          membership::ParseAndValidateMember(row[3], row[4], member, absl::CivilDay(2024, 6, 1));
      if (!violations.empty()) return Fail("member_import_bench", absl::InternalError(absl::StrCat("baseline row ", i, ": ", violations[0].description)));
      absl::StatusOr<membership::Member> inserted =
          member_store.Create(member, sealer->SealIdentity(member), change, absl::Now() + absl::Seconds(30));
      if (!inserted.ok()) return Fail("member_import_bench", absl::InternalError(absl::StrCat("baseline row ", i, ": ", inserted.status().message())));
    }
    double baseline = absl::ToDoubleSeconds(absl::Now() - start);
    std::printf("%-28s %d rows in %.2f s, i.e. %.2f s per %d rows\n", "baseline: one INSERT per row", baseline_rows,
                baseline, baseline * rows / baseline_rows, rows);
    std::printf("import (CSV) vs baseline: %.1fx faster\n", baseline * rows / baseline_rows / csv_phases.total);
  }
  std::printf("target: %d rows in under 10 s: %s\n", rows, csv_phases.total < 10 && xlsx_phases.total < 10 ? "met" : "MISSED");
  return 0;
}
