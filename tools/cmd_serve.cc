#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "spdlog/spdlog.h"
#include "tools/cli.h"
#include "tools/input.h"
#include "tools/server.h"

namespace newsdedup {
namespace {

// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80" or ":8080" (loopback).
absl::Status ParseListen(const std::string& text, ServerOptions* options) {
  const size_t colon = text.rfind(':');
  int port = -1;
  if (colon == std::string::npos || !absl::SimpleAtoi(text.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return UsageErrorStatus(
        absl::StrCat("--listen must be HOST:PORT (e.g. 127.0.0.1:8080), not '", text, "'"));
  }
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  options->host = host.empty() ? "127.0.0.1" : host;
  options->port = port;
  return absl::OkStatus();
}

// --token, or the first line of --token-file (which keeps it out of `ps`).
absl::Status TokenFlags(const ParsedArgs& args, ServerOptions* options) {
  if (args.Has("token") && args.Has("token-file")) {
    return UsageErrorStatus("give --token or --token-file, not both");
  }
  if (args.Has("token")) options->token = args.Get("token");
  if (args.Has("token-file")) {
    absl::StatusOr<std::string> text = ReadInput(args.Get("token-file"));
    if (!text.ok()) return text.status();
    options->token = std::string(absl::StripAsciiWhitespace(text->substr(0, text->find('\n'))));
    if (options->token.empty()) {
      return UsageErrorStatus(absl::StrCat(args.Get("token-file"), " holds no token"));
    }
  }
  // A short token is guessed by anyone who can reach the port.
  if (!options->token.empty() && options->token.size() < 16) {
    return UsageErrorStatus("the token must be at least 16 characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerOptions> ServeOptions(const ParsedArgs& args) {
  ServerOptions options;
  if (!args.Has("db")) return UsageErrorStatus("--db DIR is required");
  options.db = args.Get("db");
  if (absl::Status status = ParseListen(args.Get("listen", "127.0.0.1:8080"), &options);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = TokenFlags(args, &options); !status.ok()) return status;
  options.public_url = std::string(absl::StripSuffix(args.Get("public-url"), "/"));
  if (args.Has("threads") &&
      (!absl::SimpleAtoi(args.Get("threads"), &options.threads) || options.threads < 1)) {
    return UsageErrorStatus("--threads must be a positive number");
  }
  int refresh_ms = 1000;
  if (args.Has("refresh-ms") &&
      (!absl::SimpleAtoi(args.Get("refresh-ms"), &refresh_ms) || refresh_ms < 10)) {
    return UsageErrorStatus("--refresh-ms must be a number of milliseconds, at least 10");
  }
  options.refresh_interval = std::chrono::milliseconds(refresh_ms);
  int max_body_mb = 64;
  if (args.Has("max-body-mb") &&
      (!absl::SimpleAtoi(args.Get("max-body-mb"), &max_body_mb) || max_body_mb < 1)) {
    return UsageErrorStatus("--max-body-mb must be a positive number");
  }
  options.max_body_bytes = static_cast<size_t>(max_body_mb) << 20;
  int cache_mb = 256;
  if (args.Has("cache-mb") &&
      (!absl::SimpleAtoi(args.Get("cache-mb"), &cache_mb) || cache_mb < 0)) {
    return UsageErrorStatus("--cache-mb must be a number of megabytes");
  }
  options.report_cache_bytes = static_cast<size_t>(cache_mb) << 20;
  return options;
}

CommandResult RunServe(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("serve takes no positional arguments");
  absl::StatusOr<ServerOptions> options = ServeOptions(args);
  if (!options.ok()) return Fail(options.status());
  // SIGINT and SIGTERM are taken by sigwait below, not by whichever thread
  // the kernel picks: threads started from here on inherit the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(*options);
  if (!server.ok()) return Fail(server.status());
  if (options->host != "127.0.0.1" && options->host != "::1" && options->host != "localhost") {
    spdlog::warn("listening on {}, reachable from other machines", options->host);
  }
  const bool ipv6 = options->host.find(':') != std::string::npos;
  std::cout << "newsdedup serve: listening on http://" << (ipv6 ? "[" : "") << options->host
            << (ipv6 ? "]" : "") << ":" << (*server)->port() << " (store " << options->db
            << (options->token.empty() ? ", read-only" : ", writes with the token") << ")"
            << std::endl;
  int received = 0;
  sigwait(&stop_signals, &received);
  spdlog::info("signal {}: stopping", received);
  (*server)->Stop();
  return std::nullopt;
}

}  // namespace

Command ServeCommand() {
  return {"serve",
          "serve a store over HTTP: JSON API, HTML pages, Atom feeds",
          "serve --db DIR [--listen HOST:PORT] [--token TOKEN|--token-file FILE]",
          {kDbFlag,
           {"listen", "", true, "address and port (default 127.0.0.1:8080; port 0: any free one)"},
           {"token", "", true, "allow POST /api/ingest with this bearer token (16+ characters)"},
           {"token-file", "", true, "read the token from the first line of FILE"},
           {"public-url", "", true, "base of absolute links in feeds (default: the Host header)"},
           {"threads", "j", true, "worker threads, one per open connection (default 32)"},
           {"refresh-ms", "", true, "how often to look for new snapshots (default 1000)"},
           {"max-body-mb", "", true, "largest request body accepted (default 64)"},
           {"cache-mb", "", true, "memory for reports kept between requests (default 256)"}},
          RunServe};
}

}  // namespace newsdedup
