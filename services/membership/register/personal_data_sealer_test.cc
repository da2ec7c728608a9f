#include "membership/register/personal_data_sealer.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve::membership {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Issue 4: a national id is optional and, if stored, encrypted at rest and
// never returned unmasked; one active record per person per branch needs a
// stable identity that does not reveal the id either.

constexpr char kNationalId[] = "500114197503150013";

PersonalDataSealer Sealer(char fill = 'k') {
  absl::StatusOr<PersonalDataSealer> sealer = PersonalDataSealer::Create(std::string(32, fill));
  EXPECT_TRUE(sealer.ok()) << sealer.status();
  return *std::move(sealer);
}

Member Person(const std::string& name, const std::string& national_id) {
  Member member;
  member.full_name = name;
  member.birth_month = absl::CivilMonth(1975, 3);
  member.national_id = national_id;
  return member;
}

std::string TempFile(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << content;
  return path;
}

TEST(PersonalDataSealerTest, SealsWithARandomNonceAndOpensAgain) {
  PersonalDataSealer sealer = Sealer();
  std::string first = sealer.Seal(kNationalId);
  std::string second = sealer.Seal(kNationalId);
  EXPECT_NE(first, second);  // fresh nonce each time: equal ids do not look equal at rest
  EXPECT_THAT(first, Not(HasSubstr(kNationalId)));
  EXPECT_EQ(first.size(), 24u + 16u + 18u);  // nonce || MAC || ciphertext
  absl::StatusOr<std::string> opened = sealer.Open(first);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(*opened, kNationalId);
}

TEST(PersonalDataSealerTest, OpenRefusesAnotherKeyAndTamperedData) {
  std::string sealed = Sealer('a').Seal(kNationalId);
  EXPECT_EQ(Sealer('b').Open(sealed).status().code(), absl::StatusCode::kDataLoss);
  sealed.back() ^= 1;
  EXPECT_EQ(Sealer('a').Open(sealed).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(Sealer('a').Open("short").status().code(), absl::StatusCode::kDataLoss);
}

TEST(PersonalDataSealerTest, PersonKeyIsKeyedAndFollowsTheIdentity) {
  PersonalDataSealer sealer = Sealer();
  std::string by_id = sealer.PersonKey(Person("张三", kNationalId));
  EXPECT_EQ(by_id.size(), 64u);
  // The id decides when there is one: a corrected name is the same person.
  EXPECT_EQ(sealer.PersonKey(Person("张叁", kNationalId)), by_id);
  // Without an id: name and birth month.
  std::string by_name = sealer.PersonKey(Person("张三", ""));
  EXPECT_NE(by_name, by_id);
  EXPECT_EQ(sealer.PersonKey(Person("张三", "")), by_name);
  EXPECT_NE(sealer.PersonKey(Person("李四", "")), by_name);
  Member born_later = Person("张三", "");
  born_later.birth_month = absl::CivilMonth(1975, 4);
  EXPECT_NE(sealer.PersonKey(born_later), by_name);
  // Keyed: another key gives another hash, so the column cannot be matched
  // against a list of ids hashed without the key.
  EXPECT_NE(Sealer('z').PersonKey(Person("张三", kNationalId)), by_id);
}

TEST(PersonalDataSealerTest, SealIdentityKeepsLastFourOnlyWithAnId) {
  PersonalDataSealer sealer = Sealer();
  SealedIdentity with_id = sealer.SealIdentity(Person("张三", kNationalId));
  EXPECT_EQ(with_id.national_id_last4, "0013");
  EXPECT_EQ(*sealer.Open(with_id.national_id_sealed), kNationalId);
  SealedIdentity without = sealer.SealIdentity(Person("张三", ""));
  EXPECT_EQ(without.national_id_sealed, "");
  EXPECT_EQ(without.national_id_last4, "");
  EXPECT_EQ(without.person_key, sealer.PersonKey(Person("张三", "")));
}

TEST(PersonalDataSealerTest, KeyFileMustHold64HexCharacters) {
  std::string hex(64, 'a');
  absl::StatusOr<PersonalDataSealer> good = PersonalDataSealer::FromKeyFile(TempFile("good.key", hex + "\n"));
  ASSERT_TRUE(good.ok()) << good.status();
  // The same key read from hex gives the same person keys as from raw bytes.
  EXPECT_EQ(good->PersonKey(Person("张三", "")), Sealer('\xaa').PersonKey(Person("张三", "")));

  for (const std::string& bad : {std::string(63, 'a'), std::string(65, 'a'), std::string(62, 'a') + "zz", std::string()}) {
    absl::StatusOr<PersonalDataSealer> refused = PersonalDataSealer::FromKeyFile(TempFile("bad.key", bad));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(std::string(refused.status().message()), HasSubstr("--pii_key_file"));
  }
  absl::StatusOr<PersonalDataSealer> missing = PersonalDataSealer::FromKeyFile(::testing::TempDir() + "/no-such.key");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("cannot read"));
}

TEST(PersonalDataSealerTest, FlagIsRequired) {
  Flags flags;
  DefinePiiKeyFlag(flags);
  const char* argv[] = {"membership"};
  ASSERT_TRUE(flags.Parse(1, argv, [](const std::string&) { return std::optional<std::string>(); }).ok());
  absl::StatusOr<PersonalDataSealer> sealer = PersonalDataSealer::FromFlags(flags);
  EXPECT_EQ(sealer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(sealer.status().message()), HasSubstr("--pii_key_file: is required"));
}

}  // namespace
}  // namespace gridserve::membership
