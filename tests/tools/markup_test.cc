#include "tools/markup.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(MarkupTest, EscapesTheFiveCharactersThatMeanMarkup) {
  EXPECT_EQ(EscapeHtml(R"(<a href="x" title='y'>Tom & Jerry</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;");
  EXPECT_EQ(EscapeHtml("déjà vu « ok » — 東京"), "déjà vu « ok » — 東京");
}

TEST(MarkupTest, CharactersXmlForbidsBecomeReplacementCharacters) {
  EXPECT_EQ(EscapeHtml(std::string("a\x01"
                                   "b\x0c"
                                   "c\x7f"
                                   "d",
                                   7)),
            "a\uFFFDb\uFFFDc\uFFFDd");
  EXPECT_EQ(EscapeHtml(std::string("x\0y", 3)), "x\uFFFDy");
  EXPECT_EQ(EscapeHtml("tab\tnew\nline\r"), "tab\tnew\nline\r");
  EXPECT_EQ(EscapeHtml("\uFFFE\uFFFF\uFFFD"), "\uFFFD\uFFFD\uFFFD");
}

TEST(MarkupTest, DiffsMarkChangesAndEscapeEveryText) {
  EXPECT_EQ(HtmlDiff(WordDiff("a <b> c", "a <i> c")), "a &lt;<del>b</del><ins>i</ins>&gt; c");
  EXPECT_EQ(HtmlDiff(WordDiff("x", "x & <script>")), "x<ins> &amp; &lt;script&gt;</ins>");
}

TEST(MarkupTest, UrlComponentsKeepOnlyUnreservedCharacters) {
  EXPECT_EQ(EscapeUrlComponent("s-000003"), "s-000003");
  EXPECT_EQ(EscapeUrlComponent("le monde/<b>"), "le%20monde%2F%3Cb%3E");
  EXPECT_EQ(EscapeUrlComponent("é"), "%C3%A9");
}

TEST(MarkupTest, OnlyWebUrlsBecomeLinks) {
  EXPECT_TRUE(IsWebUrl("https://example.org/a?b=1"));
  EXPECT_TRUE(IsWebUrl("HTTP://example.org"));
  EXPECT_FALSE(IsWebUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsWebUrl("data:text/html,<script>"));
  EXPECT_FALSE(IsWebUrl("/relative"));
  EXPECT_FALSE(IsWebUrl("https://example.org/\"onmouseover=\"x"));
}

}  // namespace
}  // namespace newsdedup
