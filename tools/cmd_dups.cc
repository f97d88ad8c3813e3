#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/cli.h"
#include "tools/dups.h"
#include "tools/input.h"

namespace newsdedup {
namespace {

CommandResult RunDups(const ParsedArgs& args) {
  absl::StatusOr<DupsOptions> options = DupsFlags(args);
  if (!options.ok()) return Fail(options.status());
  absl::StatusOr<ExpandedInputs> inputs = ExpandInputs(args.positionals());
  if (!inputs.ok()) return Fail(inputs.status());
  absl::Status status = FindDuplicates(inputs->files, *options, std::cout);
  if (!status.ok()) return Fail(status);
  return std::nullopt;
}

}  // namespace

absl::StatusOr<DupsOptions> DupsFlags(const ParsedArgs& args) {
  if (args.positionals().empty()) return UsageErrorStatus("dups needs at least one FILE");
  absl::StatusOr<std::optional<DumpFormat>> dump_format = DumpFormatFlag(args);
  if (!dump_format.ok()) return dump_format.status();
  absl::StatusOr<int> threads = ThreadsFlag(args);
  if (!threads.ok()) return threads.status();
  DupsOptions options;
  options.format = *dump_format;
  options.threads = *threads;
  options.ignore_urls = args.Has("ignore-urls");
  options.keep_first = args.Get("keep-first");
  if (args.Has("threshold") &&
      (!absl::SimpleAtod(args.Get("threshold"), &options.threshold) ||
       !(options.threshold > 0 && options.threshold <= 1))) {
    return UsageErrorStatus(absl::StrCat("--threshold must be a number in (0, 1], not '",
                                         args.Get("threshold"), "'"));
  }
  if (options.keep_first == "-") {
    return UsageErrorStatus("--keep-first needs a file: standard output carries the clusters");
  }
  return options;
}

Command DupsCommand() {
  return {"dups",
          "near-duplicate clusters in dumps or JSONL corpora (JSON Lines out)",
          "dups [--threshold J] [--ignore-urls] [--keep-first OUT] [--threads N] FILE|DIR|GLOB...",
          {{"threshold", "", true,
            "word-3-gram Jaccard of near-duplicates (default 0.5, as ingest)"},
           {"ignore-urls", "", false, "texts alone decide: the same JSONL url is no evidence"},
           {"keep-first", "", true,
            "write the corpus without duplicates to OUT: the first item of each cluster and "
            "every item of none (JSON Lines)"},
           kDumpFormatFlag, kThreadsFlag},
          RunDups,
          StoreAccess::kNone};
}

}  // namespace newsdedup
