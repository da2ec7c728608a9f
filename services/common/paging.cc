#include "common/paging.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace gridserve {

void CheckPageSize(int page_size, std::vector<FieldViolation>& violations) {
  if (page_size < 0) {
    violations.push_back({"page_size", absl::StrCat("must not be negative; 0 means the default of ", kDefaultPageSize)});
  }
}

int PageLimit(int page_size) { return page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize); }

std::string EncodePageToken(absl::string_view listing, absl::string_view cursor) {
  return absl::WebSafeBase64Escape(absl::StrCat(listing, ":", cursor));
}

absl::StatusOr<std::string> DecodePageToken(const std::string& token, absl::string_view listing,
                                            const std::function<bool(absl::string_view)>& valid_cursor,
                                            absl::string_view same_fields) {
  std::string decoded;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    size_t colon = decoded.rfind(':');
    if (colon != std::string::npos && absl::string_view(decoded).substr(0, colon) == listing &&
        valid_cursor(absl::string_view(decoded).substr(colon + 1))) {
      return decoded.substr(colon + 1);
    }
  }
  return InvalidField("page_token", absl::StrCat("not a token from this listing; pass next_page_token from the previous "
                                                 "response unchanged, with the same ",
                                                 same_fields));
}

}  // namespace gridserve
