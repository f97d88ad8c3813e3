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

// Where a child's standard output and error go instead of the files that
// RunCommand reads back ("/dev/full" to test write errors).
struct Redirects {
  std::string out;  // Empty: captured.
  std::string err;  // Empty: captured.
};

// A child started by StartCommand, not yet waited for.
struct StartedCommand {
  pid_t pid = -1;
  std::string in_path, out_path, err_path;
};

// Starts argv[0] (a path, not looked up in PATH) with `stdin_bytes` on its
// standard input, in folder `cwd` (or this process's when empty). Output
// goes through files rather than pipes so that a chatty child can never
// block on a full pipe.
inline StartedCommand StartCommand(const std::vector<std::string>& argv,
                                   const std::string& stdin_bytes = "",
                                   const std::string& cwd = "",
                                   const Redirects& redirects = {}) {
  static std::atomic<int> counter{0};
  const std::string base = absl::StrCat(::testing::TempDir(), "run_command_",
                                        getpid(), "_", counter++);
  StartedCommand started;
  started.in_path = base + ".in";
  started.out_path = redirects.out.empty() ? base + ".out" : redirects.out;
  started.err_path = redirects.err.empty() ? base + ".err" : redirects.err;
  WriteWholeFile(started.in_path, stdin_bytes);
  // Opened before fork: the child may only make async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed: errno " << errno;
    return started;
  }
  if (pid == 0) {
    const int in = open(started.in_path.c_str(), O_RDONLY);
    const int out = open(started.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err = open(started.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (in < 0 || out < 0 || err < 0) _exit(127);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(127);
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  started.pid = pid;
  return started;
}

// Waits for a started child and collects what it left behind.
inline CommandResult WaitForCommand(const StartedCommand& started) {
  CommandResult result;
  if (started.pid < 0) return result;
  int status = 0;
  while (waitpid(started.pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.term_signal = WTERMSIG(status);
  const bool captured_out = started.out_path.rfind("/dev/", 0) != 0;
  const bool captured_err = started.err_path.rfind("/dev/", 0) != 0;
  if (captured_out) result.out = ReadWholeFile(started.out_path);
  if (captured_err) result.err = ReadWholeFile(started.err_path);
  std::filesystem::remove(started.in_path);
  if (captured_out) std::filesystem::remove(started.out_path);
  if (captured_err) std::filesystem::remove(started.err_path);
  return result;
}

// Runs argv[0] as StartCommand does and waits for it.
inline CommandResult RunCommand(const std::vector<std::string>& argv,
                                const std::string& stdin_bytes = "",
                                const std::string& cwd = "",
                                const Redirects& redirects = {}) {
  return WaitForCommand(StartCommand(argv, stdin_bytes, cwd, redirects));
}

// Runs the newsdedup binary under test with `args`.
inline CommandResult RunNewsdedup(const std::vector<std::string>& args,
                                  const std::string& stdin_bytes = "",
                                  const std::string& cwd = "",
                                  const Redirects& redirects = {}) {
  std::vector<std::string> argv = {NEWSDEDUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, stdin_bytes, cwd, redirects);
}

// Starts the newsdedup binary under test with `args`, without waiting.
inline StartedCommand StartNewsdedup(const std::vector<std::string>& args,
                                     const std::string& stdin_bytes = "") {
  std::vector<std::string> argv = {NEWSDEDUP_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return StartCommand(argv, stdin_bytes);
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
