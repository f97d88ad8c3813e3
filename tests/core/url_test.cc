#include "core/url.h"

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(UrlTest, SchemeAndHostCaseDoNotMatter) {
  EXPECT_EQ(CanonicalUrl("HTTP://Example.COM/News/Story"),
            CanonicalUrl("https://example.com/News/Story"));
}

TEST(UrlTest, PathCaseMatters) {
  EXPECT_NE(CanonicalUrl("https://example.com/News"),
            CanonicalUrl("https://example.com/news"));
}

TEST(UrlTest, WwwDefaultPortsAndCredentialsAreDropped) {
  const std::string expected = CanonicalUrl("https://example.com/a");
  EXPECT_EQ(CanonicalUrl("http://www.example.com:80/a"), expected);
  EXPECT_EQ(CanonicalUrl("https://www.example.com:443/a"), expected);
  EXPECT_EQ(CanonicalUrl("https://user:pw@example.com/a"), expected);
  EXPECT_EQ(CanonicalUrl("https://example.com./a"), expected);
}

TEST(UrlTest, OtherPortIsKept) {
  EXPECT_EQ(CanonicalUrl("http://example.com:8080/a"),
            "https://example.com:8080/a");
}

TEST(UrlTest, FragmentAndTrailingSlashAreDropped) {
  EXPECT_EQ(CanonicalUrl("https://example.com/a/b/#comments"),
            "https://example.com/a/b");
  EXPECT_EQ(CanonicalUrl("https://example.com/"), "https://example.com");
  EXPECT_EQ(CanonicalUrl("https://example.com"), "https://example.com");
}

TEST(UrlTest, TrackingParametersAreRemoved) {
  EXPECT_EQ(CanonicalUrl("https://example.com/a?utm_source=nl&utm_medium=mail"
                         "&id=7&fbclid=XYZ&xtor=RSS-1&gclid=1&mc_cid=2&ref=tw"),
            "https://example.com/a?id=7");
}

TEST(UrlTest, RemainingParametersAreSorted) {
  EXPECT_EQ(CanonicalUrl("https://example.com/a?b=2&a=1&&c"),
            "https://example.com/a?a=1&b=2&c");
  EXPECT_EQ(CanonicalUrl("https://example.com/a?b=2&a=1"),
            CanonicalUrl("https://example.com/a?a=1&b=2"));
}

TEST(UrlTest, QueryWithoutPath) {
  EXPECT_EQ(CanonicalUrl("https://example.com?p=3&utm_campaign=x"),
            "https://example.com?p=3");
}

TEST(UrlTest, SurroundingWhitespaceIsIgnored) {
  EXPECT_EQ(CanonicalUrl("  https://example.com/a \n"),
            "https://example.com/a");
}

TEST(UrlTest, NotAnAbsoluteHttpUrlIsEmpty) {
  EXPECT_EQ(CanonicalUrl(""), "");
  EXPECT_EQ(CanonicalUrl("/relative/path"), "");
  EXPECT_EQ(CanonicalUrl("ftp://example.com/file"), "");
  EXPECT_EQ(CanonicalUrl("mailto:someone@example.com"), "");
  EXPECT_EQ(CanonicalUrl("https:///no-host"), "");
  EXPECT_EQ(CanonicalUrl("https://"), "");
}

TEST(UrlTest, Ipv6HostKeepsItsColons) {
  EXPECT_EQ(CanonicalUrl("http://[2001:DB8::1]:8080/x"),
            "https://[2001:db8::1]:8080/x");
  EXPECT_EQ(CanonicalUrl("http://[2001:db8::1]/x"), "https://[2001:db8::1]/x");
}

// Inputs found by tests/fuzz/url_fuzz.cc where a second pass changed the
// canonical URL: stored canonical URLs must compare equal to new ones.
TEST(UrlTest, CanonicalUrlIsIdempotent) {
  for (const std::string_view url :
       {"https://www.www.e]xalE.com\x8e\x8e:443/a",
        "https://+xaa?b=2&a=1&?b=2&a=1&ps://+xaa?b=\v\v\v\v&c",
        "https://example.com/a ?utm_source=x", "https://example.com :443/a",
        "https://example.com/ /", "https://www. example.com/a"}) {
    const std::string canonical = CanonicalUrl(url);
    EXPECT_EQ(CanonicalUrl(canonical), canonical) << url;
  }
}

TEST(UrlTest, RepeatedWwwIsDropped) {
  EXPECT_EQ(CanonicalUrl("https://www.www.example.com/a"),
            "https://example.com/a");
}

TEST(UrlTest, InnerWhitespaceIsDropped) {
  EXPECT_EQ(CanonicalUrl("https://example.com/a\n/b ?x=1 "),
            "https://example.com/a/b?x=1");
}

TEST(UrlTest, ColonOutsideIpv6LiteralIsNoHost) {
  EXPECT_EQ(CanonicalUrl("http://a:80:80/x"), "");
  EXPECT_EQ(CanonicalUrl("http://[a:b:443/x"), "");
}

TEST(UrlArticleKeyTest, ARetitledSlugKeepsItsId) {
  const std::string first = UrlArticleKey(CanonicalUrl(
      "https://www.example.com/live/2022/06/01/war-live-first-headline_6128449_3210.html"));
  EXPECT_EQ(first, "example.com 6128449");
  EXPECT_EQ(UrlArticleKey(CanonicalUrl(
                "https://example.com/live/2022/06/02/war-live-another-headline_6128449_3210.html")),
            first);
  EXPECT_NE(UrlArticleKey(CanonicalUrl(
                "https://example.com/live/2022/06/02/war-live-another-headline_6128921_3210.html")),
            first);
}

TEST(UrlArticleKeyTest, AUuidIsAnIdInAnyCase) {
  const std::string key = UrlArticleKey(
      CanonicalUrl("https://example.com/world/one-slug-a-0f6d8c2e-1b2c-4d5e-8f90-123456789abc"));
  EXPECT_EQ(key, "example.com 0f6d8c2e-1b2c-4d5e-8f90-123456789abc");
  EXPECT_EQ(UrlArticleKey(CanonicalUrl(
                "https://example.com/europe/other-slug-a-0F6D8C2E-1B2C-4D5E-8F90-123456789ABC")),
            key);
}

TEST(UrlArticleKeyTest, TheSameIdOnAnotherHostIsAnotherArticle) {
  EXPECT_NE(UrlArticleKey(CanonicalUrl("https://example.com/news/story-1234567")),
            UrlArticleKey(CanonicalUrl("https://example.org/news/story-1234567")));
}

TEST(UrlArticleKeyTest, DatesAndShortNumbersAreNoIds) {
  for (const std::string_view url :
       {"https://example.com/news/20220601/a-story", "https://example.com/2022/06/01/a-story",
        "https://example.com/news/202206011830/a-story", "https://example.com/section/3210/a-12345",
        "https://example.com/a-story?id=1234567", "https://example.com/",
        "https://example.com/author/1234567/a-story"}) {
    EXPECT_EQ(UrlArticleKey(CanonicalUrl(url)), "") << url;
  }
}

TEST(UrlArticleKeyTest, EveryLongNumberOfTheLastSegmentIsPartOfTheId) {
  EXPECT_EQ(UrlArticleKey(CanonicalUrl("https://example.com/a/b-1234567-987654321")),
            "example.com 1234567 987654321");
  // A section number as long as the article's: two articles of the
  // section stay apart.
  EXPECT_NE(UrlArticleKey(CanonicalUrl("https://example.com/x/one-story_6134455_4408996.html")),
            UrlArticleKey(CanonicalUrl("https://example.com/x/another_6134456_4408996.html")));
  // 20221340 is no date (month 13): an id.
  EXPECT_EQ(UrlArticleKey(CanonicalUrl("https://example.com/news/20221340")),
            "example.com 20221340");
}

TEST(UrlArticleKeyTest, OnlyACanonicalUrlHasOne) {
  EXPECT_EQ(UrlArticleKey("not a url 1234567"), "");
  EXPECT_EQ(UrlArticleKey(""), "");
}

}  // namespace
}  // namespace newsdedup
