#include "gateway/audit_chain.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::gateway {
namespace {

using ::testing::HasSubstr;

AuditRecord Example() {
  AuditRecord record;
  record.sequence = 1;
  record.time = absl::FromUnixMicros(1700000000123456);
  record.kind = AuditKind::kWrite;
  record.phase = AuditPhase::kStarted;
  record.subject = "alice";
  record.roles = "TOWN_ADMIN@500114101000";
  record.method = "/gridserve.membership.v1.OrganizationService/CreateOrganization";
  record.resource = "500114101201";
  record.request_id = "req-1";
  record.client_address = "ipv4:127.0.0.1:5000";
  record.previous_hash = kGenesisHash;
  return record;
}

// Vector computed independently (Python hashlib over the documented netstrings).
TEST(AuditChainTest, HashOfAKnownEntry) {
  AuditRecord record = Example();
  EXPECT_EQ(CanonicalEncoding(record),
            "18:gridserve-audit-v1,1:1,16:1700000000123456,5:WRITE,7:STARTED,5:alice,23:TOWN_ADMIN@500114101000,"
            "63:/gridserve.membership.v1.OrganizationService/CreateOrganization,12:500114101201,0:,5:req-1,"
            "19:ipv4:127.0.0.1:5000,64:0000000000000000000000000000000000000000000000000000000000000000,");
  EXPECT_EQ(ComputeAuditHash(record), "39ab5f0a8fc463deec92e0abb879096668eef10e39861ebd4981e4dc6d2167e9");
}

TEST(AuditChainTest, FieldBoundariesAreUnambiguous) {
  AuditRecord ab_c = Example();
  ab_c.subject = "ab";
  ab_c.roles = "c";
  AuditRecord a_bc = Example();
  a_bc.subject = "a";
  a_bc.roles = "bc";
  EXPECT_NE(CanonicalEncoding(ab_c), CanonicalEncoding(a_bc));
  EXPECT_NE(ComputeAuditHash(ab_c), ComputeAuditHash(a_bc));

  // A separator inside a value cannot imitate a field boundary either.
  AuditRecord with_separator = Example();
  with_separator.resource = "1,0:";
  with_separator.result_code = "";
  AuditRecord shifted = Example();
  shifted.resource = "1";
  shifted.result_code = "0:";
  EXPECT_NE(ComputeAuditHash(with_separator), ComputeAuditHash(shifted));
}

TEST(AuditChainTest, EveryFieldIsCovered) {
  const std::string base = ComputeAuditHash(Example());
  std::vector<void (*)(AuditRecord&)> changes = {
      [](AuditRecord& r) { r.sequence = 2; },
      [](AuditRecord& r) { r.time += absl::Microseconds(1); },
      [](AuditRecord& r) { r.kind = AuditKind::kPersonalDataRead; },
      [](AuditRecord& r) { r.phase = AuditPhase::kFinished; },
      [](AuditRecord& r) { r.subject = "mallory"; },
      [](AuditRecord& r) { r.roles = "DISTRICT_ADMIN@500114000000"; },
      [](AuditRecord& r) { r.method = "/x.y/Z"; },
      [](AuditRecord& r) { r.resource = "500114101202"; },
      [](AuditRecord& r) { r.result_code = "OK"; },
      [](AuditRecord& r) { r.request_id = "req-2"; },
      [](AuditRecord& r) { r.client_address = "ipv4:10.0.0.1:1"; },
      [](AuditRecord& r) { r.previous_hash = std::string(64, 'f'); },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    AuditRecord changed = Example();
    changes[i](changed);
    EXPECT_NE(ComputeAuditHash(changed), base) << "change " << i << " is not covered by the hash";
  }
  AuditRecord with_hash = Example();
  with_hash.hash = "anything";
  EXPECT_EQ(ComputeAuditHash(with_hash), base) << "the hash does not cover itself";
}

TEST(AuditChainTest, RolesTextListsBindingsInOrder) {
  Principal principal{.subject = "u", .bindings = {{"TOWN_ADMIN", "500114101000"}, {"AUDITOR", "500114000000"}}};
  EXPECT_EQ(RolesText(principal), "TOWN_ADMIN@500114101000, AUDITOR@500114000000");
  EXPECT_EQ(RolesText(Principal{}), "");
}

// A well-formed chain of `length` entries.
std::vector<AuditRecord> Chain(int length) {
  std::vector<AuditRecord> chain;
  std::string previous = kGenesisHash;
  for (int i = 1; i <= length; ++i) {
    AuditRecord record = Example();
    record.sequence = i;
    record.previous_hash = previous;
    record.hash = ComputeAuditHash(record);
    previous = record.hash;
    chain.push_back(record);
  }
  return chain;
}

ChainVerifier Verify(const std::vector<AuditRecord>& chain, int64_t head_sequence, const std::string& head_hash) {
  ChainVerifier verifier;
  for (const AuditRecord& record : chain) {
    if (!verifier.Add(record)) break;
  }
  verifier.Finish(head_sequence, head_hash);
  return verifier;
}

TEST(ChainVerifierTest, IntactChain) {
  std::vector<AuditRecord> chain = Chain(5);
  ChainVerifier verifier = Verify(chain, 5, chain.back().hash);
  EXPECT_TRUE(verifier.intact()) << verifier.problem();
  EXPECT_EQ(verifier.entries_checked(), 5);
  EXPECT_TRUE(Verify({}, 0, kGenesisHash).intact());
}

TEST(ChainVerifierTest, ModifiedEntryIsNamed) {
  std::vector<AuditRecord> chain = Chain(5);
  chain[2].subject = "mallory";
  ChainVerifier verifier = Verify(chain, 5, chain.back().hash);
  EXPECT_FALSE(verifier.intact());
  EXPECT_EQ(verifier.first_broken_sequence(), 3);
  EXPECT_THAT(verifier.problem(), HasSubstr("entry 3 was modified"));
  EXPECT_EQ(verifier.entries_checked(), 2);
}

TEST(ChainVerifierTest, RehashedEntryBreaksTheLinkToTheNext) {
  std::vector<AuditRecord> chain = Chain(5);
  chain[2].subject = "mallory";
  chain[2].hash = ComputeAuditHash(chain[2]);
  ChainVerifier verifier = Verify(chain, 5, chain.back().hash);
  EXPECT_EQ(verifier.first_broken_sequence(), 4);
  EXPECT_THAT(verifier.problem(), HasSubstr("previous_hash of entry 4"));
}

TEST(ChainVerifierTest, MissingEntryIsNamed) {
  std::vector<AuditRecord> chain = Chain(5);
  chain.erase(chain.begin() + 1);
  ChainVerifier verifier = Verify(chain, 5, chain.back().hash);
  EXPECT_EQ(verifier.first_broken_sequence(), 2);
  EXPECT_THAT(verifier.problem(), HasSubstr("entry 2 is missing"));
}

TEST(ChainVerifierTest, FirstEntryMustStartFromZeros) {
  std::vector<AuditRecord> chain = Chain(2);
  chain.erase(chain.begin());
  chain[0].sequence = 1;  // a forged start: sequence fixed, previous_hash not
  ChainVerifier verifier = Verify(chain, 1, chain.back().hash);
  EXPECT_EQ(verifier.first_broken_sequence(), 1);
  EXPECT_THAT(verifier.problem(), HasSubstr("64 zeros"));
}

TEST(ChainVerifierTest, EntriesRemovedFromTheEndAreDetectedByTheHead) {
  std::vector<AuditRecord> chain = Chain(5);
  std::string head_hash = chain.back().hash;
  chain.resize(3);
  ChainVerifier verifier = Verify(chain, 5, head_hash);
  EXPECT_EQ(verifier.first_broken_sequence(), 4);
  EXPECT_THAT(verifier.problem(), HasSubstr("entries 4 to 5"));
}

TEST(ChainVerifierTest, HeadHashMustMatchTheLastEntry) {
  std::vector<AuditRecord> chain = Chain(3);
  ChainVerifier verifier = Verify(chain, 3, std::string(64, 'a'));
  EXPECT_EQ(verifier.first_broken_sequence(), 3);
  EXPECT_THAT(verifier.problem(), HasSubstr("chain head"));
}

}  // namespace
}  // namespace gridserve::gateway
