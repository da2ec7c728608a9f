#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/errors.h"

namespace gridserve {

// Every list is paginated the same way: page_size 0 means the default, a
// larger one than the maximum is cut to the maximum, a negative one is an error.
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// Adds the page_size violation, if any.
void CheckPageSize(int page_size, std::vector<FieldViolation>& violations);
// Rows to return for a valid page_size.
int PageLimit(int page_size);

// An opaque page token: where the next page starts (`cursor`, without ':'),
// tied to the listing it belongs to (`listing`: its parent or filters).
std::string EncodePageToken(absl::string_view listing, absl::string_view cursor);

// The cursor of `token`, or INVALID_ARGUMENT on page_token when it was not
// issued for `listing` or its cursor fails `valid_cursor`; `same_fields`
// names the request fields that must not change between pages.
absl::StatusOr<std::string> DecodePageToken(const std::string& token, absl::string_view listing,
                                            const std::function<bool(absl::string_view)>& valid_cursor,
                                            absl::string_view same_fields);

}  // namespace gridserve
