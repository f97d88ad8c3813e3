#include "core/word_diff.h"

#include <string>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

std::string Rebuild(const std::vector<DiffChunk>& chunks, DiffChunk::Kind skip) {
  std::string out;
  for (const DiffChunk& chunk : chunks) {
    if (chunk.kind != skip) out += chunk.text;
  }
  return out;
}

TEST(WordDiffTest, ChunksRebuildBothTexts) {
  const std::string before = "Le Kazakhstan lance une enquête sur les projets de l’USAID.";
  const std::string after = "Le Kazakhstan ouvre une vaste enquête sur les projets financés.";
  const std::vector<DiffChunk> chunks = WordDiff(before, after);
  EXPECT_EQ(Rebuild(chunks, DiffChunk::Kind::kInserted), before);
  EXPECT_EQ(Rebuild(chunks, DiffChunk::Kind::kDeleted), after);
}

TEST(WordDiffTest, RendersGitStyleWordDiff) {
  EXPECT_EQ(RenderDiff(WordDiff("Kaja Kallas est en route", "Kaja Kallas est arrivée"), {}),
            "Kaja Kallas est [-en route-]{+arrivée+}");
}

TEST(WordDiffTest, EqualTextsHaveNoChange) {
  const std::vector<DiffChunk> chunks = WordDiff("même texte", "même texte");
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_EQ(chunks[0].kind, DiffChunk::Kind::kEqual);
}

TEST(WordDiffTest, PunctuationIsItsOwnToken) {
  EXPECT_EQ(RenderDiff(WordDiff("durable.", "durable !"), {}), "durable[-.-]{+ !+}");
}

TEST(WordDiffTest, LongInsertionIsShortenedWithWordCount) {
  std::string article = "Titre\n";
  for (int i = 0; i < 300; ++i) article += "mot" + std::to_string(i) + " ";
  const std::string rendered = RenderDiff(WordDiff("Titre", article), {});
  EXPECT_NE(rendered.find("more words)"), std::string::npos);
  EXPECT_LT(rendered.size(), 600u);
}

TEST(WordDiffTest, ColorStyleUsesAnsiEscapes) {
  const std::string rendered = RenderDiff(WordDiff("a b", "a c"), ColorDiffStyle());
  EXPECT_NE(rendered.find("\x1b[31m"), std::string::npos);
  EXPECT_NE(rendered.find("\x1b[32m"), std::string::npos);
}

std::string Bracketed(std::string_view text) { return "<" + std::string(text) + ">"; }

TEST(WordDiffTest, EscapeAppliesToEveryTextAndToNoMarker) {
  DiffStyle style;
  style.escape = Bracketed;
  EXPECT_EQ(RenderDiff(WordDiff("a b", "a c"), style), "<a >[-<b>-]{+<c>+}");
}

TEST(WordDiffTest, ShortenedUnchangedRunsAreCutBetweenWords) {
  const std::string before =
      "La Haute représentante a présidé la réunion ministérielle entre l'UE et les cinq États "
      "d'Asie centrale, dans les domaines du transport, de l'énergie, du climat, de la sécurité "
      "et de la politique migratoire, dans le cadre de la stratégie Global Gateway.";
  const std::string rendered = RenderDiff(WordDiff(before, before + " Une suite."), {});
  ASSERT_EQ(rendered.rfind("… ", 0), 0u) << rendered;
  // What follows the ellipsis is a whole word: the text goes on with a
  // space or the start of the kept run is the start of a word in `before`.
  const std::string kept = rendered.substr(std::string("… ").size());
  const size_t at = before.find(kept.substr(0, kept.find("{+")));
  ASSERT_NE(at, std::string::npos) << rendered;
  EXPECT_EQ(before[at - 1], ' ') << rendered;
}

TEST(WordDiffTest, ShortenedChangesAreCutBetweenWords) {
  std::string article;
  for (int i = 0; i < 200; ++i) article += "politique" + std::to_string(i) + " ";
  DiffStyle style;
  style.max_change_bytes = 100;
  const std::string rendered = RenderDiff(WordDiff("", article), style);
  const std::string shown = rendered.substr(2, rendered.find(" … (") - 2);
  EXPECT_EQ(article.rfind(shown + " ", 0), 0u) << rendered;
}

TEST(WordDiffTest, LineBreaksAreShownOnOneLine) {
  const std::string rendered =
      RenderDiff(WordDiff("Titre\nPremier paragraphe.", "Titre\nPremier paragraphe.\nSuite."), {});
  EXPECT_EQ(rendered.find('\n'), std::string::npos) << rendered;
  EXPECT_EQ(rendered, "Titre¶ Premier paragraphe.{+¶ Suite.+}");
}

}  // namespace
}  // namespace newsdedup
