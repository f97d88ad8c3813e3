#ifndef NEWSDEDUP_TESTS_TESTING_STATUS_MATCHERS_H_
#define NEWSDEDUP_TESTS_TESTING_STATUS_MATCHERS_H_

// gMock matchers for absl::Status and absl::StatusOr (Debian's Abseil
// 20220623 ships none): EXPECT_THAT(s, IsOk()),
// EXPECT_THAT(v, IsOkAndHolds(Eq(3))), EXPECT_THAT(s, StatusIs(code)).

#include <ostream>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace newsdedup::testing {

inline const absl::Status& GetStatus(const absl::Status& status) { return status; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& status_or) {
  return status_or.status();
}

MATCHER(IsOk, "is OK") {
  const absl::Status& status = GetStatus(arg);
  if (!status.ok()) *result_listener << "status is " << status.ToString();
  return status.ok();
}

MATCHER_P(StatusIs, code, "has status code " + ::testing::PrintToString(code)) {
  const absl::Status& status = GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code;
}

// The description cannot name `arg` (gMock evaluates it without one), so the
// inner matcher explains itself through result_listener instead.
MATCHER_P(IsOkAndHolds, inner, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(inner, *arg, result_listener);
}

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TESTING_STATUS_MATCHERS_H_
