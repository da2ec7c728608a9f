#pragma once

// Abseil 20220623 ships no status macros; these are the two we use.

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define GRIDSERVE_CONCAT_INNER(a, b) a##b
#define GRIDSERVE_CONCAT(a, b) GRIDSERVE_CONCAT_INNER(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define RETURN_IF_ERROR(expr)                        \
  do {                                               \
    if (absl::Status _status = (expr); !_status.ok()) \
      return _status;                                \
  } while (0)

// `ASSIGN_OR_RETURN(auto x, StatusOrExpr());` binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(GRIDSERVE_CONCAT(_status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()
