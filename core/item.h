#ifndef NEWSDEDUP_CORE_ITEM_H_
#define NEWSDEDUP_CORE_ITEM_H_

// One story occurrence inside a dump, as cut by the dump parser.

#include <string>

namespace newsdedup {

struct Item {
  int position = 0;       // 0-based position in its dump.
  std::string title;      // Empty for an orphan lede whose title was cut off.
  std::string lede;       // First paragraph (a listing's teaser line).
  std::string body;       // Rest of an article page; empty for listings.
  std::string url;        // JSON Lines `url`, as given; may be empty.
  std::string id;         // JSON Lines `id`, as given; may be empty.
  std::string published;  // JSON Lines `published`, as given; may be empty.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_ITEM_H_
