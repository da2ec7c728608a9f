#pragma once

// Length and character checks of UTF-8 text, as the services' field rules
// count them (limits such as "1-30 characters" are in characters, not bytes).

#include <algorithm>
#include <cstddef>

#include "absl/strings/string_view.h"

namespace gridserve {

// Characters (code points) of UTF-8 text.
inline size_t CodePoints(absl::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

// True when `text` has ASCII control characters (newline, carriage return and
// tab allowed when `allow_line_breaks`).
inline bool HasControlCharacters(absl::string_view text, bool allow_line_breaks = false) {
  return std::any_of(text.begin(), text.end(), [&](unsigned char c) {
    if (allow_line_breaks && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

}  // namespace gridserve
