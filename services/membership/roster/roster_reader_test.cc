#include "membership/roster/roster_reader.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "membership/roster/roster_test_files.h"

// Issue 4 deliverable 2: rosters arrive as CSV (UTF-8 with or without BOM,
// GB18030 as saved by Chinese Excel) and XLSX, with the attachment-1 headers.
namespace gridserve::membership {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::Blank;
using testing::MakeCsv;
using testing::MakeXlsx;
using testing::ToGb18030;
using testing::XlsxValue;

std::vector<std::string> Texts(const RosterRow& row) {
  std::vector<std::string> texts;
  for (const RosterCell& cell : row.cells) texts.push_back(cell.text);
  return texts;
}

const std::vector<std::vector<std::string>> kAttachmentOneRoster = {
    {"姓名", "性别", "出生年月", "入党时间", "联系电话"},
    {"张三", "男", "1975-03", "2001-07-01", "13800138000"},
    {"李四", "女", "1980.11", "2005年6月", "023-79223456"},
};

TEST(DetectRosterFormatTest, ZipSignatureIsXlsxAnythingElseCsv) {
  EXPECT_EQ(DetectRosterFormat(std::string("PK\x03\x04rest", 8)), RosterFileFormat::kXlsx);
  EXPECT_EQ(DetectRosterFormat("姓名,性别\r\n"), RosterFileFormat::kCsv);
  EXPECT_EQ(DetectRosterFormat(""), RosterFileFormat::kCsv);
}

TEST(IsStrictUtf8Test, RejectsOverlongSurrogatesAndTruncation) {
  EXPECT_TRUE(IsStrictUtf8("abc 姓名 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsStrictUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsStrictUtf8("\xE0\x80\xAF"));      // overlong 3-byte
  EXPECT_FALSE(IsStrictUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsStrictUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsStrictUtf8("\xE5\xA7"));          // truncated 姓
}

TEST(DecodeCsvBytesTest, Utf8WithoutBom) {
  absl::StatusOr<DecodedText> decoded = DecodeCsvBytes(MakeCsv(kAttachmentOneRoster));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->encoding, "UTF-8");
  EXPECT_EQ(decoded->utf8, MakeCsv(kAttachmentOneRoster));
}

TEST(DecodeCsvBytesTest, Utf8WithBomDropsTheBom) {
  absl::StatusOr<DecodedText> decoded = DecodeCsvBytes("\xEF\xBB\xBF" + MakeCsv(kAttachmentOneRoster));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->encoding, "UTF-8 with BOM");
  EXPECT_EQ(decoded->utf8, MakeCsv(kAttachmentOneRoster));
}

TEST(DecodeCsvBytesTest, Gb18030AsSavedByChineseExcelIsConverted) {
  absl::StatusOr<std::string> gb = ToGb18030(MakeCsv(kAttachmentOneRoster));
  ASSERT_TRUE(gb.ok()) << gb.status();
  ASSERT_FALSE(IsStrictUtf8(*gb));
  absl::StatusOr<DecodedText> decoded = DecodeCsvBytes(*gb);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->encoding, "GB18030");
  EXPECT_EQ(decoded->utf8, MakeCsv(kAttachmentOneRoster));
}

TEST(DecodeCsvBytesTest, NeitherUtf8NorGb18030IsRefused) {
  absl::StatusOr<DecodedText> decoded = DecodeCsvBytes("\xFF\xFE\x00\x41");
  EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(decoded.status().message(), HasSubstr("neither UTF-8 nor GB18030"));
}

TEST(DecodeCsvBytesTest, BomFollowedByInvalidUtf8IsRefused) {
  EXPECT_EQ(DecodeCsvBytes("\xEF\xBB\xBF\xC4\xE3").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseCsvTest, QuotedFieldsWithCommasQuotesAndLineBreaks) {
  absl::StatusOr<std::vector<RosterRow>> rows =
      ParseCsv("姓名,备注\r\n张三,\"联系一组, 二组\"\r\n李四,\"说\"\"好\"\"\r\n第二行\"\r\n王五,\n");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_THAT(Texts((*rows)[1]), ElementsAre("张三", "联系一组, 二组"));
  EXPECT_THAT(Texts((*rows)[2]), ElementsAre("李四", "说\"好\"\r\n第二行"));
  EXPECT_THAT(Texts((*rows)[3]), ElementsAre("王五", ""));
  // A record spanning two lines is one spreadsheet row.
  EXPECT_EQ((*rows)[2].row_number, 3);
  EXPECT_EQ((*rows)[3].row_number, 4);
}

TEST(ParseCsvTest, BlankRowsAreSkippedButKeepTheirNumbers) {
  absl::StatusOr<std::vector<RosterRow>> rows = ParseCsv("a,b\n\n , \n,,\nc,d");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].row_number, 1);
  EXPECT_EQ((*rows)[1].row_number, 5);
  EXPECT_THAT(Texts((*rows)[1]), ElementsAre("c", "d"));
}

TEST(ParseCsvTest, LoneCarriageReturnsEndRecordsToo) {
  absl::StatusOr<std::vector<RosterRow>> rows = ParseCsv("a\rb\r");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1].row_number, 2);
}

TEST(ParseCsvTest, UnterminatedQuoteIsRefusedWithItsRow) {
  absl::StatusOr<std::vector<RosterRow>> rows = ParseCsv("a,b\nc,\"open\nd,e\n");
  EXPECT_EQ(rows.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(rows.status().message(), HasSubstr("row 2"));
}

TEST(ParseCsvTest, TextAfterClosingQuoteIsRefused) {
  EXPECT_EQ(ParseCsv("\"a\"b,c\n").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ParseCsvTest, RowLimit) {
  EXPECT_EQ(ParseCsv("h\n1\n2\n3\n", RosterLimits{.max_rows = 3}).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(ParseCsv("h\n1\n2\n", RosterLimits{.max_rows = 3}).ok());
}

TEST(ExcelSerialToDayTest, NineteenHundredSystemWithItsPhantomLeapDay) {
  EXPECT_EQ(ExcelSerialToDay(1, false), absl::CivilDay(1900, 1, 1));
  EXPECT_EQ(ExcelSerialToDay(59, false), absl::CivilDay(1900, 2, 28));
  EXPECT_EQ(ExcelSerialToDay(60, false), std::nullopt);  // 1900-02-29 never existed
  EXPECT_EQ(ExcelSerialToDay(61, false), absl::CivilDay(1900, 3, 1));
  EXPECT_EQ(ExcelSerialToDay(31107, false), absl::CivilDay(1985, 3, 1));
  EXPECT_EQ(ExcelSerialToDay(31107.75, false), absl::CivilDay(1985, 3, 1));  // time of day ignored
  EXPECT_EQ(ExcelSerialToDay(-1, false), std::nullopt);
}

TEST(ExcelSerialToDayTest, NineteenOhFourSystem) {
  EXPECT_EQ(ExcelSerialToDay(0, true), absl::CivilDay(1904, 1, 1));
  EXPECT_EQ(ExcelSerialToDay(29645, true), absl::CivilDay(1985, 3, 1));
}

TEST(ColumnIndexOfReferenceTest, Letters) {
  EXPECT_EQ(ColumnIndexOfReference("A1"), 0);
  EXPECT_EQ(ColumnIndexOfReference("C5"), 2);
  EXPECT_EQ(ColumnIndexOfReference("AA10"), 26);
  EXPECT_EQ(ColumnIndexOfReference("XFD1"), 16383);
  EXPECT_EQ(ColumnIndexOfReference("5"), -1);
}

class ReadXlsxTest : public ::testing::TestWithParam<bool> {};

// Shared strings (libxlsxwriter's default) and inline strings (its
// constant-memory mode) are both found in real files.
TEST_P(ReadXlsxTest, StringsNumbersDatesAndGaps) {
  std::vector<std::vector<XlsxValue>> rows = {
      {std::string("姓名"), std::string("性别"), std::string("出生年月"), std::string("联系电话")},
      {std::string("张三"), std::string("男"), absl::CivilDay(1985, 3, 1), 13800138000.0},
      {},  // a blank row 3
      {std::string("李四"), Blank{}, Blank{}, std::string("023-79223456")},
  };
  absl::StatusOr<std::string> bytes = MakeXlsx(rows, {.inline_strings = GetParam()});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  ASSERT_EQ(DetectRosterFormat(*bytes), RosterFileFormat::kXlsx);
  absl::StatusOr<RosterTable> table = ReadRoster(*bytes, std::nullopt);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->detected_encoding, "XLSX");
  EXPECT_FALSE(table->date1904);
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_THAT(Texts(table->rows[0]), ElementsAre("姓名", "性别", "出生年月", "联系电话"));

  const RosterRow& first = table->rows[1];
  EXPECT_EQ(first.row_number, 2);
  EXPECT_THAT(Texts(first), ElementsAre("张三", "男", "31107", "13800138000"));
  EXPECT_FALSE(first.cells[0].numeric);
  EXPECT_TRUE(first.cells[2].numeric);
  double serial = 0;
  ASSERT_TRUE(absl::SimpleAtod(first.cells[2].text, &serial));
  EXPECT_EQ(ExcelSerialToDay(serial, table->date1904), absl::CivilDay(1985, 3, 1));

  const RosterRow& second = table->rows[2];
  EXPECT_EQ(second.row_number, 4);  // row 3 was blank
  ASSERT_EQ(second.cells.size(), 4u);  // placed by reference: B4 and C4 are empty
  EXPECT_THAT(Texts(second), ElementsAre("李四", "", "", "023-79223456"));
}

INSTANTIATE_TEST_SUITE_P(SharedAndInlineStrings, ReadXlsxTest, ::testing::Bool());

TEST(ReadXlsxTest, SparseCellsLandInTheirColumns) {
  std::vector<std::vector<XlsxValue>> rows(5);
  rows[0] = {std::string("姓名"), Blank{}, Blank{}, std::string("备注")};
  rows[4] = {Blank{}, Blank{}, std::string("C5")};
  absl::StatusOr<std::string> bytes = MakeXlsx(rows);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<RosterTable> table = ReadXlsx(*bytes);
  ASSERT_TRUE(table.ok()) << table.status();
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_THAT(Texts(table->rows[0]), ElementsAre("姓名", "", "", "备注"));
  EXPECT_EQ(table->rows[1].row_number, 5);
  EXPECT_THAT(Texts(table->rows[1]), ElementsAre("", "", "C5"));
}

TEST(ReadXlsxTest, DamagedArchiveIsInvalidArgument) {
  absl::StatusOr<std::string> bytes = MakeXlsx({{std::string("姓名")}});
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  std::string truncated = bytes->substr(0, bytes->size() / 2);
  absl::StatusOr<RosterTable> table = ReadRoster(truncated, std::nullopt);
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(table.status().message(), HasSubstr("XLSX"));
}

TEST(ReadRosterTest, CsvSentAsXlsxIsRefused) {
  EXPECT_EQ(ReadRoster("姓名\n", RosterFileFormat::kXlsx).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ReadRosterTest, OldXlsWorkbookIsNamed) {
  absl::StatusOr<RosterTable> table = ReadRoster(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8), std::nullopt);
  EXPECT_THAT(table.status().message(), HasSubstr(".xls"));
}

TEST(ReadRosterTest, Gb18030CsvReportsItsEncoding) {
  absl::StatusOr<std::string> gb = ToGb18030(MakeCsv(kAttachmentOneRoster));
  ASSERT_TRUE(gb.ok());
  absl::StatusOr<RosterTable> table = ReadRoster(*gb, std::nullopt);
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->detected_encoding, "GB18030");
  ASSERT_EQ(table->rows.size(), 3u);
  EXPECT_THAT(Texts(table->rows[2]), ElementsAre("李四", "女", "1980.11", "2005年6月", "023-79223456"));
}

}  // namespace
}  // namespace gridserve::membership
