#include "common/token.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace gridserve {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// DESIGN.md §4: users log in for a signed short-lived token carrying roles and
// an org scope; every backend verifies it itself with the shared key(s).
const std::string kKeyA(32, 'a');
const std::string kKeyB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";  // 40 bytes
const absl::Time kNow = absl::FromUnixSeconds(1'750'000'000);

Principal TownAdmin() {
  Principal principal;
  principal.subject = "clerk-01";
  principal.bindings = {{"TOWN_ADMIN", "500114101000"}, {"AUDITOR", "500114000000"}};
  principal.expires_at = absl::ToUnixSeconds(kNow + absl::Minutes(30));
  return principal;
}

TokenCodec Codec(std::vector<std::string> keys) {
  absl::StatusOr<TokenCodec> codec = TokenCodec::Create(std::move(keys));
  EXPECT_TRUE(codec.ok()) << codec.status();
  return *std::move(codec);
}

void ExpectUnauthenticated(const absl::StatusOr<Principal>& result) {
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnauthenticated) << result.status();
}

TEST(TokenCodecTest, SignVerifyRoundTrip) {
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  EXPECT_TRUE(token.starts_with("v1.")) << token;
  absl::StatusOr<Principal> principal = codec.Verify(token, kNow);
  ASSERT_TRUE(principal.ok()) << principal.status();
  EXPECT_EQ(principal->subject, "clerk-01");
  EXPECT_THAT(principal->bindings, ElementsAre(RoleBinding{"TOWN_ADMIN", "500114101000"},
                                               RoleBinding{"AUDITOR", "500114000000"}));
  EXPECT_EQ(principal->expires_at, TownAdmin().expires_at);
  EXPECT_TRUE(principal->HasRole("TOWN_ADMIN"));
  EXPECT_FALSE(principal->HasRole("DISTRICT_ADMIN"));
}

TEST(TokenCodecTest, ExpiredIsUnauthenticated) {
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  absl::Time expiry = absl::FromUnixSeconds(TownAdmin().expires_at);
  EXPECT_TRUE(codec.Verify(token, expiry - absl::Seconds(1)).ok());
  ExpectUnauthenticated(codec.Verify(token, expiry));
  absl::StatusOr<Principal> later = codec.Verify(token, expiry + absl::Hours(1));
  ExpectUnauthenticated(later);
  EXPECT_THAT(std::string(later.status().message()), HasSubstr("expired"));
}

TEST(TokenCodecTest, TamperedClaimsAreUnauthenticated) {
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string claims;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[1], &claims));
  // Widen the scope from the town to the whole district, keep the signature.
  std::string widened = claims;
  size_t at = widened.find("500114101000");
  ASSERT_NE(at, std::string::npos) << claims;
  widened.replace(at, 12, "500114000000");
  std::string forged = absl::StrCat(parts[0], ".", absl::WebSafeBase64Escape(widened), ".", parts[2]);
  ExpectUnauthenticated(codec.Verify(forged, kNow));
}

TEST(TokenCodecTest, TamperedSignatureIsUnauthenticated) {
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  std::vector<std::string> parts = absl::StrSplit(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string signature;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(parts[2], &signature));
  signature[0] ^= 0x01;
  std::string flipped = absl::StrCat(parts[0], ".", parts[1], ".", absl::WebSafeBase64Escape(signature));
  ExpectUnauthenticated(codec.Verify(flipped, kNow));
  ExpectUnauthenticated(codec.Verify(absl::StrCat(parts[0], ".", parts[1], "."), kNow));
  ExpectUnauthenticated(codec.Verify(absl::StrCat(parts[0], ".", parts[1], ".!!!"), kNow));
}

// The last base64url character of a 32-byte signature carries 4 bits and 2
// unused ones: every other spelling of those bytes must be refused too.
TEST(TokenCodecTest, EveryAlteredCharacterOfTheSignatureIsUnauthenticated) {
  constexpr absl::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  ASSERT_TRUE(codec.Verify(token, kNow).ok()) << "the original is verified (and remembered) first";
  for (size_t position : {token.size() - 1, token.size() - 2, token.rfind('.') + 1}) {
    for (char replacement : kAlphabet) {
      if (replacement == token[position]) continue;
      std::string altered = token;
      altered[position] = replacement;
      EXPECT_FALSE(codec.Verify(altered, kNow).ok()) << "position " << position << " as " << replacement;
    }
  }
}

// A remembered token still expires, and copies of a codec share what they remember.
TEST(TokenCodecTest, RememberedTokensStillExpire) {
  TokenCodec codec = Codec({kKeyA});
  Principal principal = TownAdmin();
  principal.expires_at = absl::ToUnixSeconds(kNow + absl::Minutes(1));
  std::string token = codec.Sign(principal);
  absl::StatusOr<Principal> first = codec.Verify(token, kNow);
  ASSERT_TRUE(first.ok()) << first.status();
  TokenCodec copy = codec;
  absl::StatusOr<Principal> again = copy.Verify(token, kNow + absl::Seconds(30));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->subject, first->subject);
  EXPECT_EQ(again->bindings, first->bindings);
  ExpectUnauthenticated(codec.Verify(token, kNow + absl::Minutes(2)));
  ExpectUnauthenticated(Codec({kKeyB}).Verify(token, kNow));  // another key remembers nothing
}

TEST(TokenCodecTest, MalformedTokensAreUnauthenticated) {
  TokenCodec codec = Codec({kKeyA});
  std::string token = codec.Sign(TownAdmin());
  for (const std::string& bad : {std::string(), std::string("v1"), std::string("v1.a"),
                                 absl::StrCat("v2", token.substr(2)), absl::StrCat(token, ".x")}) {
    ExpectUnauthenticated(codec.Verify(bad, kNow));
  }
}

TEST(TokenCodecTest, SignatureOfAnotherKeyIsUnauthenticated) {
  std::string token = Codec({kKeyB}).Sign(TownAdmin());
  absl::StatusOr<Principal> result = Codec({kKeyA}).Verify(token, kNow);
  ExpectUnauthenticated(result);
  EXPECT_THAT(std::string(result.status().message()), HasSubstr("signature"));
}

// Rotation: the first key signs, all keys verify.
TEST(TokenCodecTest, RotationVerifiesTokensOfEveryConfiguredKey) {
  std::string signed_by_b = Codec({kKeyB}).Sign(TownAdmin());
  TokenCodec rotated = Codec({kKeyA, kKeyB});
  EXPECT_TRUE(rotated.Verify(signed_by_b, kNow).ok());
  std::string signed_by_rotated = rotated.Sign(TownAdmin());
  EXPECT_TRUE(Codec({kKeyA}).Verify(signed_by_rotated, kNow).ok()) << "the first key signs";
  ExpectUnauthenticated(Codec({kKeyB}).Verify(signed_by_rotated, kNow));
}

TEST(TokenCodecTest, ShortOrMissingKeyIsRefused) {
  absl::StatusOr<TokenCodec> short_key = TokenCodec::Create({std::string(31, 'k')});
  EXPECT_EQ(short_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(short_key.status().message()), HasSubstr("too short"));
  EXPECT_EQ(TokenCodec::Create({kKeyA, "short"}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenCodec::Create({}).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(TokenCodec::Create({std::string(32, 'k')}).ok());
}

class TempFile {
 public:
  explicit TempFile(const std::string& contents) {
    std::string pattern = absl::StrCat(::testing::TempDir(), "/token_keys_XXXXXX");
    int fd = mkstemp(pattern.data());
    EXPECT_GE(fd, 0);
    if (fd >= 0) close(fd);
    path_ = pattern;
    std::ofstream(path_) << contents;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(TokenCodecTest, FromKeyFileReadsOneKeyPerLineFirstSigns) {
  TempFile file(absl::StrCat(kKeyA, "\n\n  ", kKeyB, "  \r\n"));
  absl::StatusOr<TokenCodec> codec = TokenCodec::FromKeyFile(file.path());
  ASSERT_TRUE(codec.ok()) << codec.status();
  std::string token = codec->Sign(TownAdmin());
  EXPECT_TRUE(Codec({kKeyA}).Verify(token, kNow).ok()) << "the first line signs";
  EXPECT_TRUE(codec->Verify(Codec({kKeyB}).Sign(TownAdmin()), kNow).ok()) << "the second line verifies";
}

TEST(TokenCodecTest, FromKeyFileRefusesShortKeyAndMissingFile) {
  TempFile file(absl::StrCat(kKeyA, "\nshort\n"));
  EXPECT_EQ(TokenCodec::FromKeyFile(file.path()).status().code(), absl::StatusCode::kInvalidArgument);
  TempFile empty("\n\n");
  EXPECT_EQ(TokenCodec::FromKeyFile(empty.path()).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(TokenCodec::FromKeyFile(file.path() + ".missing").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace gridserve
