#!/usr/bin/env python3
"""lamport against TLC, side by side, on the same export (safety only).

    python3 benches/vs_tlc.py                      # every model, 1 and N threads/workers
    python3 benches/vs_tlc.py --models two_phase_commit:rm8 alternating_bit:large
    python3 benches/vs_tlc.py --threads 1          # one thread and one worker only
    python3 benches/vs_tlc.py --repeat 3           # the best of three runs of each

For each model it builds the example (release), writes its export with `export --safety-only`,
runs `check --safety-only --json` at 1 and N threads and TLC (`TLA2TOOLS_JAR`, default
/work/tlc/current/tla2tools.jar) at 1 and N workers, as `tlc` runs it (`-XX:+UseParallelGC`,
`-lncheck final`), checks that the figures (distinct, generated, depth, verdict) are equal, and
prints time, generated states per second, peak memory (resident, as each process reports it:
lamport's --json report, GNU time's maximum for TLC), bytes per distinct state and the ratios,
as a table and as JSON (target/vs_tlc.json). The load average is recorded beside every run:
timings on a shared machine are only as good as its load.

Exit status: 0 all figures equal; 1 some differ or a run failed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

MODELS = [
    ("two_phase_commit", "rm8"),
    ("paxos", "large"),
    ("raft", "large"),
    ("craq", "large"),
    ("chain_replication", "large"),
    ("alternating_bit", "large"),
]

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def timed(cmd, cwd=None):
    """Runs cmd under GNU time: (stdout, stderr, wall s, cpu s, max RSS bytes, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        start = time.monotonic()
        p = subprocess.run(
            ["/usr/bin/time", "-o", t.name, "-f", "%U %S %M"] + cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
        )
        wall = time.monotonic() - start
        fields = t.read().split()[-3:]
    user, sys_, rss = float(fields[0]), float(fields[1]), int(fields[2]) * 1024
    return p.stdout, p.stderr, wall, user + sys_, rss, p.returncode


def lamport_run(binary, config, threads):
    out, err, wall, cpu, rss, code = timed(
        [binary, "check", "--config", config, "--safety-only", "--json", "--threads", str(threads)]
    )
    r = json.loads(out)
    return {
        "verdict": r["outcome"],
        "distinct": r["distinct_states"],
        "generated": r["generated_states"],
        "depth": r["depth"],
        "seconds": r["seconds"],
        "wall_seconds": wall,
        "cpu_seconds": cpu,
        "peak_memory_bytes": r["peak_memory_bytes"],
        "max_rss_bytes": rss,
    }


def tlc_run(jar, folder, module, workers):
    meta = os.path.join(folder, "states")
    shutil.rmtree(meta, ignore_errors=True)
    out, err, wall, cpu, rss, code = timed(
        [
            "java",
            "-XX:+UseParallelGC",
            "-cp",
            jar,
            "tlc2.TLC",
            "-workers",
            str(workers),
            "-metadir",
            meta,
            "-cleanup",
            "-noGenerateSpecTE",
            "-lncheck",
            "final",
            "-config",
            module + ".cfg",
            module + ".tla",
        ],
        cwd=folder,
    )
    shutil.rmtree(meta, ignore_errors=True)
    text = out + err
    counts = re.findall(r"([\d,]+) states generated, ([\d,]+) distinct states found", text)
    depth = re.findall(r"depth of the complete state graph search is (\d+)", text)
    verdict = "ok" if "No error has been found" in text else "error"
    if not counts:
        raise RuntimeError("TLC printed no figures:\n" + text[-3000:])
    g, d = (int(x.replace(",", "")) for x in counts[-1])
    return {
        "verdict": verdict,
        "distinct": d,
        "generated": g,
        "depth": int(depth[-1]) if depth else None,
        # TLC's own wall time includes the JVM's start and the parse, as a user sees it.
        "seconds": wall,
        "cpu_seconds": cpu,
        "peak_memory_bytes": rss,
    }


def best(runs):
    return min(runs, key=lambda r: r["seconds"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", nargs="*", help="model:config pairs (default: all six)")
    ap.add_argument("--threads", type=int, nargs="*", default=None,
                    help="thread/worker counts (default: 1 and the number of cores)")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each, the fastest kept")
    ap.add_argument("--no-tlc", action="store_true", help="lamport only")
    ap.add_argument("--json", default=os.path.join(ROOT, "target", "vs_tlc.json"))
    a = ap.parse_args()
    models = [tuple(m.split(":")) for m in a.models] if a.models else MODELS
    cores = os.cpu_count() or 1
    threads = a.threads or sorted({1, cores})
    jar = os.environ.get("TLA2TOOLS_JAR", "/work/tlc/current/tla2tools.jar")
    names = sorted({m for m, _ in models})
    subprocess.run(
        ["cargo", "build", "--release"] + [x for n in names for x in ("--example", n)],
        cwd=ROOT,
        check=True,
    )
    results = []
    agree = True
    for model, config in models:
        binary = os.path.join(ROOT, "target", "release", "examples", model)
        folder = tempfile.mkdtemp(prefix=f"vs-tlc-{model}-")
        subprocess.run(
            [binary, "export", "--config", config, "--out", folder, "--safety-only"],
            check=True,
            capture_output=True,
        )
        module = [f[:-4] for f in os.listdir(folder) if f.endswith(".tla")][0]
        row = {"model": model, "config": config, "runs": {}}
        for t in threads:
            l0 = load()
            ours = best([lamport_run(binary, config, t) for _ in range(a.repeat)])
            ours["load"] = l0
            row["runs"][f"lamport_{t}"] = ours
            if not a.no_tlc:
                l0 = load()
                theirs = best([tlc_run(jar, folder, module, t) for _ in range(a.repeat)])
                theirs["load"] = l0
                row["runs"][f"tlc_{t}"] = theirs
                same = all(ours[k] == theirs[k] for k in ("verdict", "distinct", "generated", "depth"))
                row[f"agree_{t}"] = same
                row[f"ratio_{t}"] = theirs["seconds"] / ours["seconds"]
                agree &= same
        shutil.rmtree(folder, ignore_errors=True)
        results.append(row)
        print_row(row, threads, a.no_tlc)
    os.makedirs(os.path.dirname(a.json), exist_ok=True)
    with open(a.json, "w") as f:
        json.dump({"cores": cores, "threads": threads, "results": results}, f, indent=2)
    print()
    print_table(results, threads, a.no_tlc)
    print(f"\nJSON: {a.json}")
    if not agree:
        print("FIGURES DIFFER: see the rows marked DIFFERENT", file=sys.stderr)
    return 0 if agree else 1


def print_row(row, threads, no_tlc):
    for t in threads:
        r = row["runs"][f"lamport_{t}"]
        line = (f"{row['model']} {row['config']}: lamport {t} thread(s) {r['seconds']:.2f} s "
                f"(load {r['load']:.1f})")
        if not no_tlc:
            x = row["runs"][f"tlc_{t}"]
            line += (f", TLC {t} worker(s) {x['seconds']:.2f} s (load {x['load']:.1f}), "
                     f"{row[f'ratio_{t}']:.1f}x, figures {'equal' if row[f'agree_{t}'] else 'DIFFERENT'}")
        print(line, flush=True)


def print_table(results, threads, no_tlc):
    head = ["model", "distinct", "generated"]
    for t in threads:
        head += [f"lamport {t}t s", f"gen/s {t}t", f"peak MB {t}t", f"B/state {t}t"]
        if not no_tlc:
            head += [f"TLC {t}w s", f"TLC peak MB {t}w", f"ratio {t}"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in results:
        first = row["runs"][f"lamport_{threads[0]}"]
        cells = [f"{row['model']} `{row['config']}`", f"{first['distinct']:,}", f"{first['generated']:,}"]
        for t in threads:
            r = row["runs"][f"lamport_{t}"]
            cells += [
                f"{r['seconds']:.2f}",
                f"{r['generated'] / r['seconds'] / 1e6:.2f} M",
                f"{r['peak_memory_bytes'] / 1e6:.0f}",
                f"{r['peak_memory_bytes'] / max(r['distinct'], 1):.0f}",
            ]
            if not no_tlc:
                x = row["runs"][f"tlc_{t}"]
                mark = "" if row[f"agree_{t}"] else " DIFFERENT"
                cells += [f"{x['seconds']:.1f}", f"{x['peak_memory_bytes'] / 1e6:.0f}",
                          f"{row[f'ratio_{t}']:.1f}x{mark}"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
