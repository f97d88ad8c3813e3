#include <cmath>
#include <string>
#include <vector>

#include "core/matcher.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tools/dups.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

// The line as the JSON library writes it: what scripts reading `dups`
// output got before the line was written by hand, and must keep getting.
std::string LibraryLine(uint64_t number, const std::vector<std::string>& names,
                        const std::vector<MatchEvidence>& evidence) {
  const auto round2 = [](double v) { return std::round(v * 100.0) / 100.0; };
  nlohmann::json scores = nlohmann::json::array({nullptr});
  for (size_t i = 1; i < names.size(); ++i) {
    scores.push_back({{"rule", MatchRuleName(evidence[i].rule)},
                      {"similarity", round2(evidence[i].similarity)},
                      {"containment", round2(evidence[i].containment)}});
  }
  return DumpJson({{"cluster", number}, {"items", names}, {"scores", scores}}) + "\n";
}

MatchEvidence Evidence(MatchRule rule, double similarity, double containment) {
  MatchEvidence evidence;
  evidence.rule = rule;
  evidence.similarity = similarity;
  evidence.containment = containment;
  return evidence;
}

TEST(DupsClusterLineTest, ScoresReadAsTheLibraryWritesThem) {
  const std::vector<double> scores = {0.0,  0.004, 0.005, 0.05, 0.1,   0.86,
                                      0.9,  0.995, 0.999, 1.0,  1.0 / 3, 0.675};
  for (double similarity : scores) {
    for (double containment : scores) {
      const std::vector<std::string> names = {"a", "b"};
      const std::vector<MatchEvidence> evidence = {
          MatchEvidence(), Evidence(MatchRule::kNearDuplicate, similarity, containment)};
      EXPECT_EQ(DupsClusterLine(7, names, evidence), LibraryLine(7, names, evidence))
          << similarity << " " << containment;
    }
  }
}

TEST(DupsClusterLineTest, NamesThatNeedEscapesAreEscapedAsTheLibraryDoes) {
  const std::vector<std::string> names = {
      "plain-id_42",         "with \"quotes\" and \\", std::string("tab\tnew\nline\x01", 14),
      "caf\xC3\xA9 \xE6\x9D\xB1", "bad \xFF byte",          "c1 \xC2\x9B del \x7F",
      "file.jsonl:12"};
  std::vector<MatchEvidence> evidence(names.size(), Evidence(MatchRule::kExact, 1.0, 1.0));
  evidence[2] = Evidence(MatchRule::kTitle, 0.42, 0.61);
  EXPECT_EQ(DupsClusterLine(123456789, names, evidence), LibraryLine(123456789, names, evidence));
}

}  // namespace
}  // namespace newsdedup
