#ifndef NEWSDEDUP_TESTS_TOOLS_HTTP_TESTING_H_
#define NEWSDEDUP_TESTS_TOOLS_HTTP_TESTING_H_

// What the server tests share: HTTP requests to a loopback port (real
// sockets, cpp-httplib's client), documents parsed by a real parser
// (libxml2, for the Atom feed as XML and the pages as HTML) and queried with
// XPath, and programs started in the background (`newsdedup serve`).

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/tools/run_command.h"

namespace newsdedup::testing {

struct HttpReply {
  int status = 0;  // 0: no answer (connection failed).
  std::string content_type;
  std::string body;
};

inline HttpReply ToReply(const httplib::Result& result) {
  HttpReply reply;
  if (!result) return reply;
  reply.status = result->status;
  reply.content_type = result->get_header_value("Content-Type");
  reply.body = result->body;
  return reply;
}

inline httplib::Client Client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(30));
  return client;
}

inline HttpReply HttpGet(int port, const std::string& path, const httplib::Headers& headers = {}) {
  httplib::Client client = Client(port);
  return ToReply(client.Get(path, headers));
}

inline HttpReply HttpPost(int port, const std::string& path, const std::string& body,
                          const httplib::Headers& headers = {},
                          const std::string& content_type = "text/plain") {
  httplib::Client client = Client(port);
  return ToReply(client.Post(path, headers, body, content_type));
}

struct XmlDocDeleter {
  void operator()(xmlDoc* doc) const { xmlFreeDoc(doc); }
};
using XmlDoc = std::unique_ptr<xmlDoc, XmlDocDeleter>;

// A well-formed XML document, or null (the test fails on null).
inline XmlDoc ParseXml(const std::string& text) {
  return XmlDoc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "feed.xml", "utf-8",
                              XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
}

// An HTML document as a browser's parser would build it (libxml2's HTML
// parser recovers from errors, as browsers do).
inline XmlDoc ParseHtml(const std::string& text) {
  return XmlDoc(htmlReadMemory(text.data(), static_cast<int>(text.size()), "page.html", "utf-8",
                               HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING));
}

// The string values of the nodes `xpath` selects; the prefix "a" names the
// Atom namespace.
inline std::vector<std::string> XPathStrings(xmlDoc* doc, const std::string& xpath) {
  std::vector<std::string> values;
  if (doc == nullptr) return values;
  xmlXPathContext* context = xmlXPathNewContext(doc);
  xmlXPathRegisterNs(context, BAD_CAST "a", BAD_CAST "http://www.w3.org/2005/Atom");
  xmlXPathObject* result = xmlXPathEvalExpression(BAD_CAST xpath.c_str(), context);
  if (result != nullptr && result->nodesetval != nullptr) {
    for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
      xmlChar* value = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
      values.emplace_back(value == nullptr ? "" : reinterpret_cast<const char*>(value));
      xmlFree(value);
    }
  }
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return values;
}

inline size_t XPathCount(xmlDoc* doc, const std::string& xpath) {
  return XPathStrings(doc, xpath).size();
}

// A program running in the background, stopped (SIGTERM, then SIGKILL)
// when this goes out of scope. Its standard output and error go to files.
class BackgroundProcess {
 public:
  explicit BackgroundProcess(const std::vector<std::string>& argv) {
    static int counter = 0;
    out_path_ = absl::StrCat(::testing::TempDir(), "background_", getpid(), "_", counter, ".out");
    err_path_ = absl::StrCat(::testing::TempDir(), "background_", getpid(), "_", counter++, ".err");
    pid_ = fork();
    if (pid_ == 0) {
      const int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      const int in = open("/dev/null", O_RDONLY);
      if (out < 0 || err < 0 || in < 0) _exit(127);
      dup2(in, STDIN_FILENO);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      std::vector<char*> args;
      for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
  }
  ~BackgroundProcess() {
    if (pid_ > 0 && exit_code_ == kRunning) Stop(SIGTERM);
    std::filesystem::remove(out_path_);
    std::filesystem::remove(err_path_);
  }

  // Waits up to `timeout` for standard output to match `pattern`; returns
  // the first capture group ("" when it never matched).
  std::string WaitForOutput(const std::string& pattern, std::chrono::seconds timeout) {
    const std::regex re(pattern);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      const std::string out = ReadWholeFile(out_path_);
      if (std::regex_search(out, match, re))
        return match.size() > 1 ? match[1].str() : match[0].str();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "";
  }

  // Sends `signal` and waits up to 10 s for the exit (then SIGKILL).
  // Returns the exit code, or -signal when killed by one.
  int Stop(int signal) {
    if (exit_code_ != kRunning) return exit_code_;
    kill(pid_, signal);
    for (int wait = 0; wait < 1000; ++wait) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
        return exit_code_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = -SIGKILL;
    return exit_code_;
  }

  std::string out() const { return ReadWholeFile(out_path_); }
  std::string err() const { return ReadWholeFile(err_path_); }

 private:
  static constexpr int kRunning = -1000;
  pid_t pid_ = -1;
  int exit_code_ = kRunning;
  std::string out_path_, err_path_;
};

}  // namespace newsdedup::testing

#endif  // NEWSDEDUP_TESTS_TOOLS_HTTP_TESTING_H_
