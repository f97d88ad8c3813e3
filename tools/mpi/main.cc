// newsdedup_mpi: `mpirun -np N newsdedup_mpi dups [flags] FILE...` writes the
// clusters `newsdedup dups` writes for the same files, byte for byte, from N
// ranks that each hold about 1/N of the corpus (tools/mpi/mpi_dups.h). Same
// flags as `newsdedup dups`, plus --stats. Exit codes: 0 ok, 1 failure, 2
// usage error; every rank exits with the same one, and one rank prints the
// error line.

#include <mpi.h>

#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "tools/cli.h"
#include "tools/command_line.h"
#include "tools/input.h"
#include "tools/mpi/mpi_dups.h"
#include "tools/mpi/ranks.h"

namespace newsdedup {
namespace {

const FlagSpec kStatsFlag{"stats", "", true,
                          "write per-phase and per-rank figures (JSON) to this file"};
const std::vector<FlagSpec> kGlobalFlags = {
    {"help", "h", false, "show help"},
    {"verbose", "v", false, "log more (debug) on stderr, with the per-phase figures"},
    {"quiet", "q", false, "log only errors on stderr"},
};

std::vector<FlagSpec> Flags() {
  std::vector<FlagSpec> flags = DupsCommand().flags;
  flags.push_back(kStatsFlag);
  flags.insert(flags.end(), kGlobalFlags.begin(), kGlobalFlags.end());
  return flags;
}

std::string Help() {
  return absl::StrCat(
      "usage: mpirun -np N newsdedup_mpi dups [--threshold J] [--ignore-urls] [--keep-first OUT] "
      "[--threads N] [--stats FILE] FILE|DIR|GLOB...\n",
      "near-duplicate clusters of `newsdedup dups`, computed by N MPI ranks (--threads is per "
      "rank; default: the cores of the machine shared by its ranks)\n\n",
      FlagsHelp(Flags()));
}

// Every rank's figures as one JSON document (rank 0's copy is complete).
nlohmann::json FiguresJson(const Ranks& ranks, const RankFigures& mine, double wall_seconds) {
  nlohmann::json own = {{"rank", ranks.rank()},
                        {"items", mine.items},
                        {"cpu_seconds", mine.cpu_seconds},
                        {"peak_rss_bytes", mine.peak_rss_bytes},
                        {"phases", nlohmann::json::array()}};
  for (const PhaseCost& phase : mine.phases) {
    own["phases"].push_back(
        {{"name", phase.name}, {"seconds", phase.seconds}, {"cpu_seconds", phase.cpu_seconds},
         {"mpi_seconds", phase.mpi_seconds}, {"bytes_sent", phase.bytes_sent}});
  }
  nlohmann::json all = {{"ranks", ranks.size()},
                        {"threads_per_rank", mine.threads},
                        {"wall_seconds", wall_seconds},
                        {"component_rounds", mine.component_rounds},
                        {"per_rank", nlohmann::json::array()},
                        {"phases", nlohmann::json::array()}};
  for (const std::string& rank : ranks.AllGather(own.dump())) {
    all["per_rank"].push_back(nlohmann::json::parse(rank));
  }
  for (size_t p = 0; p < mine.phases.size(); ++p) {
    double seconds = 0, cpu_seconds = 0;
    uint64_t bytes = 0;
    for (const nlohmann::json& rank : all["per_rank"]) {
      seconds = std::max(seconds, rank["phases"][p]["seconds"].get<double>());
      cpu_seconds += rank["phases"][p]["cpu_seconds"].get<double>();
      bytes += rank["phases"][p]["bytes_sent"].get<uint64_t>();
    }
    all["phases"].push_back({{"name", mine.phases[p].name},
                             {"seconds", seconds},
                             {"cpu_seconds", cpu_seconds},
                             {"bytes_sent", bytes}});
  }
  return all;
}

void LogFigures(const nlohmann::json& figures) {
  for (const nlohmann::json& phase : figures["phases"]) {
    spdlog::debug("phase {:<12} {:7.2f}s (slowest rank), {:7.2f}s CPU (all ranks), {:9.1f} MB "
                  "sent between ranks",
                  phase["name"].get<std::string>(), phase["seconds"].get<double>(),
                  phase["cpu_seconds"].get<double>(), phase["bytes_sent"].get<uint64_t>() / 1e6);
  }
  for (const nlohmann::json& rank : figures["per_rank"]) {
    spdlog::debug("rank {}: {} items, {:.2f}s CPU, peak RSS {:.1f} MB", rank["rank"].get<int>(),
                  rank["items"].get<uint64_t>(), rank["cpu_seconds"].get<double>(),
                  rank["peak_rss_bytes"].get<uint64_t>() / 1e6);
  }
}

int Main(Ranks& ranks, int argc, char** argv) {
  const double start = MPI_Wtime();
  const bool lead = ranks.rank() == 0;
  auto logger = spdlog::stderr_color_st("newsdedup");
  logger->set_pattern("newsdedup: %^%l%$: %v");
  spdlog::set_default_logger(logger);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    if (lead) (args.empty() ? std::cerr : std::cout) << Help();
    return args.empty() ? 2 : 0;
  }
  if (args[0] != "dups") {
    if (lead) std::cerr << "newsdedup_mpi: error: the only command is dups, not '" << args[0] << "'\n";
    return 2;
  }
  absl::StatusOr<ParsedArgs> parsed =
      ParseArgs(std::vector<std::string>(args.begin() + 1, args.end()), Flags());
  if (!parsed.ok()) {
    if (lead) {
      std::cerr << "newsdedup_mpi dups: error: " << parsed.status().message()
                << " (see newsdedup_mpi dups --help)\n";
    }
    return 2;
  }
  if (parsed->Has("help")) {
    if (lead) std::cout << Help();
    return 0;
  }
  if (parsed->Has("verbose")) spdlog::set_level(spdlog::level::debug);
  if (parsed->Has("quiet")) spdlog::set_level(spdlog::level::err);
  // Warnings come from the rank that read the line; the rest from rank 0.
  if (!lead && spdlog::get_level() < spdlog::level::warn) spdlog::set_level(spdlog::level::warn);
  absl::StatusOr<DupsOptions> options = DupsFlags(*parsed);
  absl::Status status = options.status();
  RankFigures figures;
  absl::StatusOr<ExpandedInputs> inputs;
  if (status.ok()) {
    inputs = ExpandInputs(parsed->positionals());
    status = inputs.status();
  }
  if (status.ok()) status = RunMpiDups(ranks, inputs->files, *options, std::cout, &figures);
  if (!status.ok()) {
    if (ReportedElsewhere(status)) return 1;
    if (lead || !IsUsageError(status)) {
      std::cerr << "newsdedup_mpi dups: error: " << status.message() << "\n";
    }
    return IsUsageError(status) ? 2 : 1;
  }
  const nlohmann::json all = FiguresJson(ranks, figures, MPI_Wtime() - start);
  if (lead) {
    LogFigures(all);
    if (parsed->Has("stats")) {
      std::ofstream(parsed->Get("stats")) << all.dump(1) << "\n";
    }
  }
  return 0;
}

}  // namespace
}  // namespace newsdedup

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int code = 0;
  {
    newsdedup::Ranks ranks;
    code = newsdedup::Main(ranks, argc, argv);
  }
  MPI_Finalize();
  return code;
}
