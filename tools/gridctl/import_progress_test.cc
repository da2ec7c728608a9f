#include "tools/gridctl/import_progress.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gridctl {
namespace {

namespace mv1 = ::gridserve::membership::v1;

mv1::ImportProgress Progress(mv1::ImportPhase phase, int done, int total) {
  mv1::ImportProgress progress;
  progress.set_phase(phase);
  progress.set_rows_done(done);
  progress.set_rows_total(total);
  return progress;
}

// Without a terminal (logs, the e2e tests): one stable line per phase, however
// many progress messages arrive, and RECEIVING (the bytes already counted
// while sending) adds nothing.
TEST(ImportProgressDisplayTest, PlainOutputIsOneLinePerPhase) {
  std::ostringstream err;
  {
    ImportProgressDisplay display(err, /*terminal=*/false, "一村.csv", 600 * 1024, /*dry_run=*/false);
    display.Sent(0);
    display.Sent(256 * 1024);
    display.Sent(600 * 1024);
    display.Server(Progress(mv1::IMPORT_PHASE_RECEIVING, 0, 0));
    display.Server(Progress(mv1::IMPORT_PHASE_VALIDATING, 0, 3));
    display.Server(Progress(mv1::IMPORT_PHASE_VALIDATING, 3, 3));
    display.Server(Progress(mv1::IMPORT_PHASE_WRITING, 0, 3));
    display.Server(Progress(mv1::IMPORT_PHASE_WRITING, 3, 3));
  }
  EXPECT_EQ(err.str(),
            "import: sending 一村.csv (600.0 KiB)\n"
            "import: validating 3 rows\n"
            "import: matching and writing 3 rows\n");
}

// On a terminal: the bar is redrawn in place with "\r", a finished phase keeps
// its line, and no carriage return is left without a final newline.
TEST(ImportProgressDisplayTest, TerminalRedrawsABarPerPhase) {
  std::ostringstream err;
  ImportProgressDisplay display(err, /*terminal=*/true, "a.csv", 2048, /*dry_run=*/false);
  display.Sent(0);
  display.Sent(1024);
  display.Sent(1024);  // unchanged: not redrawn
  display.Sent(2048);
  display.Server(Progress(mv1::IMPORT_PHASE_VALIDATING, 1, 4));
  display.Finish();
  std::string text = err.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\r'), 4) << text;
  EXPECT_THAT(text, ::testing::HasSubstr("\rsending     [##########..........]  50%  1.0 KiB of 2.0 KiB"));
  EXPECT_THAT(text, ::testing::HasSubstr("[####################] 100%  2.0 KiB of 2.0 KiB\n\rvalidating"));
  EXPECT_THAT(text, ::testing::HasSubstr("25%  1 of 4 rows"));
  EXPECT_TRUE(text.ends_with("rows\n")) << text;
  display.Finish();  // idempotent
  EXPECT_EQ(err.str(), text);
}

TEST(ImportProgressDisplayTest, LateMessageOfAnEarlierPhaseIsIgnored) {
  std::ostringstream err;
  ImportProgressDisplay display(err, /*terminal=*/false, "a.csv", 10, /*dry_run=*/true);
  display.Server(Progress(mv1::IMPORT_PHASE_WRITING, 0, 5));
  display.Server(Progress(mv1::IMPORT_PHASE_VALIDATING, 5, 5));
  display.Sent(10);
  // A dry run writes nothing: its last phase is not called writing.
  EXPECT_EQ(err.str(), "import: matching 5 rows with the register (dry run: nothing is written)\n");
}

TEST(ImportProgressDisplayTest, BarAndBytes) {
  EXPECT_EQ(ImportProgressDisplay::Bar(0, 0, 4), "[....]   0%");
  EXPECT_EQ(ImportProgressDisplay::Bar(1, 2, 4), "[##..]  50%");
  EXPECT_EQ(ImportProgressDisplay::Bar(9, 3, 4), "[####] 100%");
  EXPECT_EQ(ImportProgressDisplay::Bytes(999), "999 bytes");
  EXPECT_EQ(ImportProgressDisplay::Bytes(1536), "1.5 KiB");
  EXPECT_EQ(ImportProgressDisplay::Bytes(3 * 1024 * 1024), "3.0 MiB");
}

}  // namespace
}  // namespace gridserve::gridctl
