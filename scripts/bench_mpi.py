#!/usr/bin/python3
"""Scaling of the MPI dups (newsdedup_mpi) against the single-process dups, on one corpus.

usage: bench_mpi.py [--items N] [--runs R] [--ranks 1,2,4] [--threads T] [--build BUILD]
                    [--work DIR] [--corpus FILE...]

Generates a corpus with the project's generator (JSON Lines, default shares; or takes the files
of --corpus), then runs, R times in turn so that the machine's load hits them alike: `newsdedup dups` with
--threads T (the reference output) and `mpirun -np N newsdedup_mpi dups --threads T` for each N
(--oversubscribe when N passes the cores). Prints medians: wall time (outside mpirun, and inside
the job), CPU time summed over ranks, parallel efficiency T(1) / (N T(N)) on wall and on CPU,
bytes sent between ranks, peak RSS of the largest rank, and whether every output is
byte-identical to the reference; then per phase, side by side for every N, the medians of the
slowest rank's seconds, the CPU seconds of all ranks and the bytes sent; then per rank of the
median run: items, CPU (and in MPI calls), peak RSS. The machine's load average is printed
before and after: these machines are shared.
"""
import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys


def run_timed(cmd, out_path, env):
    """Runs cmd with stdout to out_path under /usr/bin/time; returns (wall, cpu, peak_kb)."""
    time_path = out_path + ".time"
    with open(out_path, "wb") as out, open(out_path + ".err", "wb") as err:
        code = subprocess.call(["/usr/bin/time", "-f", "%e %U %S %M", "-o", time_path] + cmd,
                               stdout=out, stderr=err, env=env)
    if code != 0:
        sys.exit("failed (exit %d): %s\n%s" % (code, " ".join(cmd), open(out_path + ".err").read()))
    wall, user, system, peak = open(time_path).read().split()[-4:]
    return float(wall), float(user) + float(system), int(peak)


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def load():
    return open("/proc/loadavg").read().split()[:3]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=1000000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ranks", default="1,2,4")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--build", default="build")
    parser.add_argument("--work", default="/tmp/newsdedup-bench-mpi")
    parser.add_argument("--corpus", nargs="+", help="JSON Lines files (default: generated)")
    args = parser.parse_args()
    ranks = [int(r) for r in args.ranks.split(",")]
    newsdedup = os.path.join(args.build, "tools", "newsdedup")
    mpi = os.path.join(args.build, "tools", "mpi", "newsdedup_mpi")
    if not os.path.exists(mpi):
        sys.exit("%s not built: install libopenmpi-dev and openmpi-bin, then rebuild" % mpi)
    os.makedirs(args.work, exist_ok=True)
    corpus = args.corpus
    if corpus is None:
        corpus = [os.path.join(args.work, "corpus", name)
                  for name in ("corpus.jsonl", "articles.jsonl")]
        if not os.path.exists(corpus[0]):
            subprocess.check_call([os.path.join(args.build, "benchmarks", "corpus_generator"),
                                   "--items", str(args.items), "--seed", "7", "--format", "jsonl",
                                   "--out", os.path.dirname(corpus[0])])
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    cores = os.cpu_count()
    print("corpus %s: %.0f MB; %d cores; load average before: %s" %
          (" ".join(corpus), sum(os.path.getsize(f) for f in corpus) / 1e6, cores,
           " ".join(load())))

    single, jobs = [], {n: [] for n in ranks}
    reference = None
    identical = {n: True for n in ranks}
    for run in range(args.runs):
        out = os.path.join(args.work, "single.out")
        single.append(run_timed([newsdedup, "dups", "-q", "--threads", str(args.threads)] + corpus,
                                out, env))
        reference = reference or digest(out)
        for n in ranks:
            out = os.path.join(args.work, "mpi%d.out" % n)
            stats = os.path.join(args.work, "mpi%d.stats.json" % n)
            cmd = ["mpirun", "-np", str(n)]
            if n * args.threads > cores:
                cmd.append("--oversubscribe")
            cmd += [mpi, "dups", "-q", "--threads", str(args.threads), "--stats", stats] + corpus
            wall, _, _ = run_timed(cmd, out, env)
            figures = json.load(open(stats))
            jobs[n].append((wall, figures))
            identical[n] = identical[n] and digest(out) == reference
        print("run %d done, load average %s" % (run + 1, " ".join(load())), file=sys.stderr)

    items = None
    print("\n| run | wall s | in-job wall s | CPU s | efficiency (wall) | efficiency (CPU) | "
          "MB between ranks | peak RSS MB (largest rank) | output |")
    print("|---|---|---|---|---|---|---|---|---|")
    wall1 = statistics.median(w for w, _, _ in single)
    print("| newsdedup dups --threads %d | %.2f | | %.2f | | | | %.0f | reference |" %
          (args.threads, wall1, statistics.median(c for _, c, _ in single),
           statistics.median(p for _, _, p in single) / 1024))
    base_wall = base_cpu = None
    for n in ranks:
        walls = [w for w, _ in jobs[n]]
        inner = [f["wall_seconds"] for _, f in jobs[n]]
        cpus = [sum(r["cpu_seconds"] for r in f["per_rank"]) for _, f in jobs[n]]
        sent = [sum(p["bytes_sent"] for p in f["phases"]) for _, f in jobs[n]]
        peak = [max(r["peak_rss_bytes"] for r in f["per_rank"]) for _, f in jobs[n]]
        items = sum(r["items"] for r in jobs[n][0][1]["per_rank"])
        wall, cpu = statistics.median(inner), statistics.median(cpus)
        if base_wall is None and n == 1:
            base_wall, base_cpu = wall, cpu
        eff = ("%.2f" % (base_wall / (n * wall))) if base_wall else ""
        eff_cpu = ("%.2f" % (base_cpu / cpu)) if base_cpu else ""
        label = "newsdedup_mpi, %d rank%s x %d thread%s%s" % (
            n, "" if n == 1 else "s", args.threads, "" if args.threads == 1 else "s",
            " (oversubscribed)" if n * args.threads > cores else "")
        print("| %s | %.2f | %.2f | %.2f | %s | %s | %.0f | %.0f | %s |" %
              (label, statistics.median(walls), wall, cpu, eff, eff_cpu,
               statistics.median(sent) / 1e6, statistics.median(peak) / 1e6,
               "identical" if identical[n] else "DIFFERENT"))
    # Per phase, side by side: medians over the runs of the slowest rank's wall seconds, the CPU
    # seconds of all ranks, and the bytes sent between ranks.
    names = [p["name"] for p in jobs[ranks[0]][0][1]["phases"]]
    print("\nper phase, median of %d runs: wall s (slowest rank) / CPU s (all ranks) / MB sent "
          "between ranks" % args.runs)
    print("\n| phase | " + " | ".join("np=%d" % n for n in ranks) + " |")
    print("|---|" + "---|" * len(ranks))
    for p, name in enumerate(names):
        cells = []
        for n in ranks:
            phases = [f["phases"][p] for _, f in jobs[n]]
            cells.append("%.2f / %.2f / %.1f" % (
                statistics.median(x["seconds"] for x in phases),
                statistics.median(x["cpu_seconds"] for x in phases),
                statistics.median(x["bytes_sent"] for x in phases) / 1e6))
        print("| %s | %s |" % (name, " | ".join(cells)))
    for n in ranks:
        figures = sorted(jobs[n], key=lambda job: job[1]["wall_seconds"])[len(jobs[n]) // 2][1]
        print("\n%d rank%s (median run), per rank: " % (n, "" if n == 1 else "s") + ", ".join(
            "rank %d: %d items, %.1f s CPU (%.1f s in MPI calls), peak RSS %.0f MB" %
            (r["rank"], r["items"], r["cpu_seconds"], sum(x["mpi_seconds"] for x in r["phases"]),
             r["peak_rss_bytes"] / 1e6)
            for r in figures["per_rank"]))
        print("bytes sent between ranks per item: %.0f" %
              (sum(x["bytes_sent"] for x in figures["phases"]) / items))
    print("\nload average after: %s" % " ".join(load()))
    if not all(identical.values()):
        sys.exit("an MPI output differs from newsdedup dups")


if __name__ == "__main__":
    main()
