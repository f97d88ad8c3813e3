// store_fault: damages a store on purpose, for scripts/fault_probe.sh.
//   store_fault drop-family DIR FAMILY      delete every key of a column family
//   store_fault put DIR FAMILY KEY VALUE    put a raw key (no encoding), flushed
//   store_fault put-unflushed DIR FAMILY KEY VALUE   the same, left in the write-ahead log
//   store_fault delete DIR FAMILY KEY       delete a raw key
//   store_fault table-files DIR FAMILY      print the family's table files, largest first
//   store_fault flip FILE OFFSET LENGTH     invert LENGTH bytes at OFFSET
// Exit 0 on success, 1 with one line on stderr otherwise.

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "tests/fault/store_faults.h"

int main(int argc, char** argv) {
  using namespace newsdedup::testing;  // NOLINT
  const std::vector<std::string> args(argv + 1, argv + argc);
  absl::Status status = absl::InvalidArgumentError("usage: see the comment of store_fault_main.cc");
  uint64_t offset = 0, length = 0;
  if (args.size() == 3 && args[0] == "drop-family") {
    status = DropFamilyKeys(args[1], args[2]);
  } else if (args.size() == 5 && args[0] == "put") {
    status = PutRaw(args[1], args[2], args[3], args[4]);
  } else if (args.size() == 5 && args[0] == "put-unflushed") {
    status = PutRaw(args[1], args[2], args[3], args[4], /*flush=*/false);
  } else if (args.size() == 4 && args[0] == "delete") {
    status = DeleteRaw(args[1], args[2], args[3]);
  } else if (args.size() == 3 && args[0] == "table-files") {
    absl::StatusOr<std::vector<std::string>> files = TableFilesOf(args[1], args[2]);
    status = files.status();
    if (files.ok()) {
      for (const std::string& file : *files) std::cout << file << "\n";
    }
  } else if (args.size() == 4 && args[0] == "flip" && absl::SimpleAtoi(args[2], &offset) &&
             absl::SimpleAtoi(args[3], &length)) {
    status = FlipBytes(args[1], offset, length);
  }
  if (!status.ok()) {
    std::cerr << "store_fault: " << status.message() << "\n";
    return 1;
  }
  return 0;
}
