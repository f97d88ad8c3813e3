#ifndef NEWSDEDUP_CORE_HTML_PAGE_H_
#define NEWSDEDUP_CORE_HTML_PAGE_H_

// Reads a saved HTML page with gumbo (Debian's libgumbo-dev, an HTML5 parser
// that accepts whatever a browser accepts): what the page says of itself and
// its text as blocks, for the dump parser to cut like a text page
// (core/dump_parser.h). Pure: bytes in, values out.
//  - The title: the first <h1> of the main content, else og:title, else
//    <title>.
//  - The URL: <link rel="canonical">, else og:url.
//  - The main content: the one <article> that holds most of the page's
//    running text, else <main>, else the body; without <script>, <style>,
//    <nav>, <aside>, <footer>, forms and the site's <header> (a header that
//    holds the <h1> stays). Blocks whose text is mostly link text (menus,
//    lists of other stories) are left out.
//  - Headlines: links inside headings (or headings inside links) with the
//    teaser paragraph of the same card, which make a listing page.
// No site-specific rule: only HTML's own vocabulary of elements.

#include <string>
#include <string_view>
#include <vector>

namespace newsdedup {

struct HtmlHeadline {
  std::string title;   // The link's text.
  std::string teaser;  // The card's first paragraph after it; may be empty.
  std::string url;     // Its href, as written.
};

struct HtmlPage {
  std::string title;
  std::string url;
  // Text of each block-level element of the main content (paragraph,
  // heading, list item, quote, caption, cell), in document order, inline
  // markup flattened and whitespace collapsed; never empty strings.
  std::vector<std::string> blocks;
  // In document order, anywhere in the body.
  std::vector<HtmlHeadline> headlines;
  // Words of the main content's paragraphs that are not teasers of a
  // headline: a listing page has few.
  int running_words = 0;
  int teaser_words = 0;

  // Many headlines with their teasers, and little running text besides.
  bool LooksLikeListing() const;
};

// True when the first bytes (after a BOM and blanks) open an HTML document:
// a doctype, or an <html>, <head> or <body> tag, in any case.
bool LooksLikeHtml(std::string_view bytes);

// REQUIRES: valid UTF-8 (the dump parser repairs it first).
HtmlPage ReadHtmlPage(std::string_view html);

// `href` made absolute against the page's URL `base` ("https://x.org/a/b"):
// "https://…" stays, "//host/p" takes the base's scheme, "/p" its origin,
// "p" its folder. Without a usable base, `href` as written.
std::string ResolveUrl(std::string_view base, std::string_view href);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_HTML_PAGE_H_
