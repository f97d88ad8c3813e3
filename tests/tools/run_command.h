#ifndef NEWSDEDUP_TESTS_TOOLS_RUN_COMMAND_H_
#define NEWSDEDUP_TESTS_TOOLS_RUN_COMMAND_H_

// Runs a real program for end-to-end tests of the newsdedup binary: argv is
// executed directly (no shell, so no quoting traps), standard input comes
// from a string, standard output and standard error are captured apart, and
// the exit code or killing signal is returned.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace newsdedup::testing {

// What a finished process left behind.
struct CommandResult {
  int exit_code = -1;   // -1 when the process was killed by a signal.
  int term_signal = 0;  // The killing signal, or 0.
  std::string out;      // Standard output.
  std::string err;      // Standard error.
};

// A fresh, empty folder under ::testing::TempDir(), which survives between
// runs: whatever an earlier run left there is removed first.
// ctest runs every TEST in its own process, several at once: the process id
// keeps suites that share a fixture folder from removing each other's.
inline std::string FreshTempDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + name + "_" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void WriteWholeFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Runs argv[0] (a path, not looked up in PATH) with `stdin_bytes` on its
// standard input, in folder `cwd` (or this process's when empty), and waits
// for it. Output goes through files rather than
// pipes so that a chatty child can never block on a full pipe.
inline CommandResult RunCommand(const std::vector<std::string>& argv,
                                const std::string& stdin_bytes = "",
                                const std::string& cwd = "") {
  static std::atomic<int> counter{0};
  const std::string base = absl::StrCat(::testing::TempDir(), "run_command_",
                                        getpid(), "_", counter++);
  const std::string in_path = base + ".in";
  const std::string out_path = base + ".out";
  const std::string err_path = base + ".err";
  WriteWholeFile(in_path, stdin_bytes);

  CommandResult result;
  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed: errno " << errno;
    return result;
  }
  if (pid == 0) {
    // Child: only async-signal-safe calls until exec.
    const int in = open(in_path.c_str(), O_RDONLY);
    const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    std::vector<char*> args;
    for (const std::string& arg : argv)
      args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  result.out = ReadWholeFile(out_path);
  result.err = ReadWholeFile(err_path);
  std::filesystem::remove(in_path);
  std::filesystem::remove(out_path);
  std::filesystem::remove(err_path);
  return result;
}

// Runs the newsdedup binary under test with `args`.
inline CommandResult RunNewsdedup(const std::vector<std::string>& args,
                                  const std::string& stdin_bytes = "",
                                  const std::string& cwd = "") {
  std::vector<std::string> argv = {NEWSDEDUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, stdin_bytes, cwd);
}

// The non-empty lines of `text`.
inline std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// gtest output for a failed command: everything needed to reproduce it.
inline std::string Describe(const CommandResult& result) {
  return absl::StrCat("exit ", result.exit_code, ", signal ",
                      result.term_signal, "\n--- stdout:\n",
                      result.out.substr(0, 2000), "\n--- stderr:\n",
                      result.err.substr(0, 2000));
}

// The five seed dumps, in file-name (= capture) order.
inline std::vector<std::string> SeedFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(NEWSDEDUP_SOURCE_DIR) + "/seeds")) {
    if (entry.path().extension() == ".txt")
      files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The capture dates of the five seeds, as agreed in the store issue.
inline const std::vector<std::string>& SeedDates() {
  static const std::vector<std::string> dates = {
      "2025-03-29", "2025-05-02", "2025-07-31", "2025-08-15", "2025-09-26"};
  return dates;
}

// `newsdedup ingest` of all five seeds as source novastan into `db`.
inline CommandResult IngestSeeds(const std::string& db) {
  std::vector<std::string> args = {"ingest", "--db", db, "--source",
                                   "novastan"};
  for (const std::string& date : SeedDates()) {
    args.push_back("--at");
    args.push_back(date);
  }
  for (const std::string& file : SeedFiles()) args.push_back(file);
  return RunNewsdedup(args);
}

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TOOLS_RUN_COMMAND_H_
