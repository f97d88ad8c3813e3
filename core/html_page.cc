#include "core/html_page.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "gumbo.h"

namespace newsdedup {
namespace {

// Frees gumbo's tree on every path.
class GumboTree {
 public:
  explicit GumboTree(std::string_view html) {
    options_ = kGumboDefaultOptions;
    options_.max_errors = 0;  // Parse errors are not kept: only the tree is read.
    output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
  }
  ~GumboTree() { gumbo_destroy_output(&options_, output_); }
  GumboTree(const GumboTree&) = delete;
  GumboTree& operator=(const GumboTree&) = delete;

  const GumboNode* root() const { return output_->root; }

 private:
  GumboOptions options_;
  GumboOutput* output_;
};

bool IsElement(const GumboNode* node) {
  return node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE;
}

GumboTag TagOf(const GumboNode* node) { return IsElement(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN; }

const GumboVector& ChildrenOf(const GumboNode* node) {
  return node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
}

const GumboNode* Child(const GumboNode* node, size_t i) {
  return static_cast<const GumboNode*>(ChildrenOf(node).data[i]);
}

std::string_view Attribute(const GumboNode* node, const char* name) {
  if (!IsElement(node)) return {};
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name);
  return attribute == nullptr ? std::string_view() : std::string_view(attribute->value);
}

bool IsHeading(GumboTag tag) {
  return tag == GUMBO_TAG_H1 || tag == GUMBO_TAG_H2 || tag == GUMBO_TAG_H3 || tag == GUMBO_TAG_H4 ||
         tag == GUMBO_TAG_H5 || tag == GUMBO_TAG_H6;
}

// Elements whose text starts a block of its own.
bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_H1: case GUMBO_TAG_H2: case GUMBO_TAG_H3:
    case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6: case GUMBO_TAG_LI:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE: case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_TD: case GUMBO_TAG_TH: case GUMBO_TAG_DD: case GUMBO_TAG_DT:
    case GUMBO_TAG_DIV: case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_TABLE: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
    case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_FIGURE: case GUMBO_TAG_BR:
    case GUMBO_TAG_HR: case GUMBO_TAG_ADDRESS:
      return true;
    default:
      return false;
  }
}

// Subtrees that are never article text.
bool IsSkipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD: case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM: case GUMBO_TAG_BUTTON: case GUMBO_TAG_SELECT: case GUMBO_TAG_SVG:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_CANVAS:
      return true;
    default:
      return false;
  }
}

// Calls visit(node) for `root` and every node under it in document order;
// visit returns false to skip a node's children. Iterative: a page nested a
// hundred thousand deep must not overflow the stack.
template <typename Visit>
void Walk(const GumboNode* root, Visit visit) {
  std::vector<std::pair<const GumboNode*, size_t>> stack;
  if (!visit(root)) return;
  stack.emplace_back(root, 0);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (!(IsElement(node) || node->type == GUMBO_NODE_DOCUMENT) || next >= ChildrenOf(node).length) {
      stack.pop_back();
      continue;
    }
    const GumboNode* child = Child(node, next++);
    if (visit(child)) stack.emplace_back(child, 0);
  }
}

const GumboNode* FindFirst(const GumboNode* root, GumboTag tag) {
  const GumboNode* found = nullptr;
  Walk(root, [&](const GumboNode* node) {
    if (found != nullptr) return false;
    if (TagOf(node) == tag) found = node;
    return found == nullptr;
  });
  return found;
}

// Whitespace runs made one space, trimmed.
std::string Collapse(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c))) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

// All text under `root`, skipped subtrees left out.
std::string TextOf(const GumboNode* root) {
  std::string text;
  Walk(root, [&](const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_CDATA) {
      text += node->v.text.text;
      return false;
    }
    if (IsBlock(TagOf(node))) text += ' ';
    return node == root || !IsSkipped(TagOf(node));
  });
  return Collapse(text);
}

int CountWords(std::string_view text) {
  int words = 0;
  bool in_word = false;
  for (char c : text) {
    const bool space = c == ' ';
    words += !space && !in_word;
    in_word = !space;
  }
  return words;
}

// Running-text bytes (text outside links) under `root`.
size_t RunningTextBytes(const GumboNode* root) {
  size_t bytes = 0;
  Walk(root, [&](const GumboNode* node) {
    if (IsElement(node)) return node == root || (!IsSkipped(TagOf(node)) && TagOf(node) != GUMBO_TAG_A);
    if (node->type == GUMBO_NODE_TEXT) bytes += std::strlen(node->v.text.text);
    return false;
  });
  return bytes;
}

// The <article> that holds most of the body's running text, else <main>,
// else the body.
const GumboNode* MainContent(const GumboNode* body) {
  std::vector<const GumboNode*> articles;
  const GumboNode* main = nullptr;
  Walk(body, [&](const GumboNode* node) {
    const GumboTag tag = TagOf(node);
    if (tag == GUMBO_TAG_ARTICLE) articles.push_back(node);
    if (tag == GUMBO_TAG_MAIN && main == nullptr) main = node;
    return node == body || (IsElement(node) && !IsSkipped(tag));
  });
  const size_t total = RunningTextBytes(body);
  const GumboNode* best = nullptr;
  size_t best_bytes = 0;
  for (const GumboNode* article : articles) {
    const size_t bytes = RunningTextBytes(article);
    if (bytes > best_bytes) best = article, best_bytes = bytes;
  }
  if (best != nullptr && best_bytes * 2 >= total) return best;
  return main != nullptr ? main : body;
}

// The site's header: a <header> that does not hold the article's <h1>.
bool IsSiteHeader(const GumboNode* node) {
  return TagOf(node) == GUMBO_TAG_HEADER && FindFirst(node, GUMBO_TAG_H1) == nullptr;
}

// Cuts the main content into blocks, each with the share of its text that
// is link text.
class BlockCollector {
 public:
  std::vector<std::string> Collect(const GumboNode* root) {
    Visit(root);
    Flush();
    return std::move(blocks_);
  }

 private:
  struct Frame {
    const GumboNode* node;
    size_t next;
    bool block;
    bool link;
  };

  void Visit(const GumboNode* root) {
    std::vector<Frame> stack = {{root, 0, true, false}};
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (frame.next >= ChildrenOf(frame.node).length) {
        if (frame.block) Flush();
        if (frame.link) --links_;
        stack.pop_back();
        continue;
      }
      const GumboNode* child = Child(frame.node, frame.next++);
      if (child->type == GUMBO_NODE_TEXT || child->type == GUMBO_NODE_CDATA ||
          child->type == GUMBO_NODE_WHITESPACE) {
        AddText(child->v.text.text);
        continue;
      }
      if (!IsElement(child)) continue;
      const GumboTag tag = TagOf(child);
      if (IsSkipped(tag) || IsSiteHeader(child)) continue;
      const bool block = IsBlock(tag);
      if (block) Flush();
      const bool link = tag == GUMBO_TAG_A;
      if (link) ++links_;
      stack.push_back({child, 0, block, link});
    }
  }

  void AddText(std::string_view text) {
    current_ += text;
    if (links_ > 0) link_bytes_ += text.size();
  }

  // Ends the current block; one mostly made of link text is a menu or a
  // list of other stories, not article text.
  void Flush() {
    std::string block = Collapse(current_);
    const size_t raw = current_.size();
    current_.clear();
    const size_t link_bytes = link_bytes_;
    link_bytes_ = 0;
    if (block.empty()) return;
    if (link_bytes * 10 > raw * 6 && CountWords(block) < 40) return;
    blocks_.push_back(std::move(block));
  }

  std::vector<std::string> blocks_;
  std::string current_;
  size_t link_bytes_ = 0;
  int links_ = 0;
};

// The first <p> after `heading` among its following siblings (and their
// subtrees), within the same card.
std::string TeaserAfter(const GumboNode* heading) {
  const GumboNode* card = heading->parent;
  if (card == nullptr || !IsElement(card)) return "";
  for (size_t i = heading->index_within_parent + 1; i < ChildrenOf(card).length; ++i) {
    const GumboNode* sibling = Child(card, i);
    if (IsHeading(TagOf(sibling))) break;  // The next card's.
    const GumboNode* paragraph = TagOf(sibling) == GUMBO_TAG_P ? sibling : FindFirst(sibling, GUMBO_TAG_P);
    if (paragraph != nullptr) return TextOf(paragraph);
  }
  return "";
}

// The link of a headline card: <h2><a href>Title</a></h2> (the heading is
// the card's title) or <a href><h3>Title</h3></a> (the link is); null when
// `node` is neither.
const GumboNode* HeadlineLink(const GumboNode* node, const GumboNode** title) {
  const GumboTag tag = TagOf(node);
  if (IsHeading(tag) && tag != GUMBO_TAG_H1) {
    *title = node;
    return FindFirst(node, GUMBO_TAG_A);
  }
  if (tag != GUMBO_TAG_A) return nullptr;
  for (GumboTag h : {GUMBO_TAG_H2, GUMBO_TAG_H3, GUMBO_TAG_H4}) {
    if (FindFirst(node, h) != nullptr) {
      *title = node;
      return node;
    }
  }
  return nullptr;
}

std::vector<HtmlHeadline> Headlines(const GumboNode* body) {
  std::vector<HtmlHeadline> headlines;
  Walk(body, [&](const GumboNode* node) {
    if (!IsElement(node) || (node != body && IsSkipped(TagOf(node)))) return false;
    const GumboNode* title = nullptr;
    const GumboNode* link = HeadlineLink(node, &title);
    if (link == nullptr || Attribute(link, "href").empty()) return true;
    HtmlHeadline headline{.title = TextOf(title), .teaser = TeaserAfter(title),
                          .url = std::string(Attribute(link, "href"))};
    if (!headline.title.empty()) headlines.push_back(std::move(headline));
    return false;
  });
  return headlines;
}

// <meta property|name=NAME content=...> of the head.
std::string MetaContent(const GumboNode* head, std::string_view name) {
  std::string found;
  Walk(head, [&](const GumboNode* node) {
    if (!found.empty()) return false;
    if (TagOf(node) == GUMBO_TAG_META &&
        (Attribute(node, "property") == name || Attribute(node, "name") == name)) {
      found = Collapse(Attribute(node, "content"));
    }
    return IsElement(node);
  });
  return found;
}

std::string CanonicalLink(const GumboNode* head) {
  std::string found;
  Walk(head, [&](const GumboNode* node) {
    if (!found.empty()) return false;
    if (TagOf(node) == GUMBO_TAG_LINK &&
        absl::AsciiStrToLower(std::string(Attribute(node, "rel"))) == "canonical") {
      found = Collapse(Attribute(node, "href"));
    }
    return IsElement(node);
  });
  return found;
}

void CountParagraphWords(const GumboNode* root, const std::vector<HtmlHeadline>& headlines,
                         HtmlPage* page) {
  absl::flat_hash_set<std::string> teasers;
  for (const HtmlHeadline& headline : headlines) {
    if (!headline.teaser.empty()) teasers.insert(headline.teaser);
    page->teaser_words += CountWords(headline.title) + CountWords(headline.teaser);
  }
  Walk(root, [&](const GumboNode* node) {
    if (!IsElement(node) || (node != root && IsSkipped(TagOf(node)))) return false;
    if (TagOf(node) != GUMBO_TAG_P) return true;
    const std::string text = TextOf(node);
    if (!teasers.contains(text)) page->running_words += CountWords(text);
    return false;
  });
}

}  // namespace

std::string ResolveUrl(std::string_view base, std::string_view href) {
  if (href.find("://") != std::string_view::npos || href.empty()) return std::string(href);
  const size_t scheme_end = base.find("://");
  if (scheme_end == std::string_view::npos) return std::string(href);
  if (href.starts_with("//")) return std::string(base.substr(0, scheme_end + 1)) + std::string(href);
  const size_t path_start = base.find('/', scheme_end + 3);
  const std::string origin(base.substr(0, path_start));
  if (href.starts_with("/")) return origin + std::string(href);
  if (href.starts_with("#") || href.starts_with("?")) return std::string(href);
  const std::string_view path =
      path_start == std::string_view::npos ? std::string_view("/") : base.substr(path_start);
  return origin + std::string(path.substr(0, path.rfind('/') + 1)) + std::string(href);
}

bool HtmlPage::LooksLikeListing() const {
  return headlines.size() >= 5 && running_words < 2 * teaser_words;
}

bool LooksLikeHtml(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  while (!bytes.empty() && absl::ascii_isspace(static_cast<unsigned char>(bytes.front()))) {
    bytes.remove_prefix(1);
  }
  // Comments may come first ("<!-- saved from url=... -->").
  while (bytes.starts_with("<!--")) {
    const size_t end = bytes.find("-->");
    if (end == std::string_view::npos) return false;
    bytes.remove_prefix(end + 3);
    while (!bytes.empty() && absl::ascii_isspace(static_cast<unsigned char>(bytes.front()))) {
      bytes.remove_prefix(1);
    }
  }
  const std::string start = absl::AsciiStrToLower(
      absl::string_view(bytes.data(), std::min<size_t>(bytes.size(), 16)));
  for (const char* opening : {"<!doctype html", "<html", "<head", "<body"}) {
    if (start.starts_with(opening)) return true;
  }
  return false;
}

HtmlPage ReadHtmlPage(std::string_view html) {
  const GumboTree tree(html);
  HtmlPage page;
  const GumboNode* head = FindFirst(tree.root(), GUMBO_TAG_HEAD);
  const GumboNode* body = FindFirst(tree.root(), GUMBO_TAG_BODY);
  if (body == nullptr) body = tree.root();
  const GumboNode* main = MainContent(body);
  page.blocks = BlockCollector().Collect(main);
  page.headlines = Headlines(body);
  CountParagraphWords(main, page.headlines, &page);
  if (const GumboNode* h1 = FindFirst(main, GUMBO_TAG_H1); h1 != nullptr) page.title = TextOf(h1);
  if (page.title.empty() && head != nullptr) page.title = MetaContent(head, "og:title");
  if (page.title.empty()) {
    if (const GumboNode* title = FindFirst(tree.root(), GUMBO_TAG_TITLE); title != nullptr) {
      page.title = TextOf(title);
    }
  }
  if (head != nullptr) {
    page.url = CanonicalLink(head);
    if (page.url.empty()) page.url = MetaContent(head, "og:url");
  }
  return page;
}

}  // namespace newsdedup
