"""Measure croissant-embed against the generator, the floor and Pagefind on the same store, in one run.

    python benchmarks/run.py                        # 10,000 product pages (written by generate_store.py)
    python benchmarks/run.py --pages 10000 --hugo   # the store built by Hugo, Hugo's build timed in the same run
    python benchmarks/run.py --pages 100000         # the scale run (no Pagefind, 10 ms latency: see --help)

In one run on one machine, each figure with its wall time and peak memory:

- Hugo (``--hugo``): a clean ``hugo`` build of the store's project (content + layouts).
- The floor: read + decode + one ``str.find`` + splice + write to a temporary copy of every
  page on all cores, and a stat of every page in one process (``floor.py``); plus the
  interpreter's start (``python -c pass``).
- ``build`` with page writes, cold and warm: the site is first copied (not timed) and the
  copy is built in place with ``--sync never`` (pages written, plan written, no network),
  from an empty state folder (cold), then again (warm: nothing changed, so the build replays
  the last one after stat-ing every page), then once more after one page was rewritten with
  a change (the warm path that reads what changed and plans the whole catalogue again),
  and last after the copy was made again from the site (as a generator writes every page
  anew: each page is read, found in the cache by its bytes, and written with its snippets,
  with no analysis).
- ``build --dry-run --report`` cold and warm on the site itself (no page writes).
- Pagefind over the site (by default up to 20,000 pages: past them it needs gigabytes).
- A full sync of every product to the sandbox over loopback with latency, and a no-op sync
  (100 ms of latency by default up to 20,000 pages, 10 ms past them: 100,000 products at
  160 requests a second would take ten minutes alone).
- Scale: the cold and warm builds again on a store a tenth the size, their time per page
  against the full size's (1.00 = linear), and peak memory at both sizes.

Pagefind is installed (pip install 'pagefind[bin]') into benchmarks/out/venv, never into
the project's environment. Peak memory is the largest resident set of any one process of
the command (ru_maxrss from wait4), so a build's worker processes are covered. Writes
benchmarks/out/results.json (and results-N.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))
from generate_store import generate, generate_hugo  # noqa: E402

CLI = [sys.executable, "-m", "croissant_embed"]
SECRET = "bench-secret-not-real"
BASE_URL = "https://bench.example/"
LARGE = 20_000  # pages: past them, no Pagefind and a shorter sandbox latency by default
GOALS = {"cold_vs_hugo": 0.5, "warm_vs_hugo": 0.1, "cold_vs_floor": 3.0, "warm_vs_stat_floor": 2.0, "linear": 1.1}


# Linux carries a process's peak RSS across fork and exec, so a command forked straight from
# this (large) script would inherit its size as a floor. A small launcher forks the command
# instead and reports the peak of the command's own process tree (ru_maxrss from wait4).
LAUNCHER = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
print("\\n@@launcher %d %.4f %d %.4f" % (usage.ru_maxrss, time.perf_counter() - started, os.waitstatus_to_exitcode(status),
                                      usage.ru_utime + usage.ru_stime))
"""


def run(command: list[str], *, cwd: Path | None = None, env: dict | None = None, check: bool = True) -> dict:
    """Run a command; its wall time, CPU time (its own and its workers'), peak RSS (MB) and output."""
    process = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=cwd, env={**os.environ, **(env or {})},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    output, _, tail = process.stdout.decode("utf-8", "replace").rpartition("@@launcher ")
    maxrss_kb, wall, code, cpu = tail.split()
    if check and int(code) != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{output[-3000:]}")
    return {"wall_s": round(float(wall), 3), "cpu_s": round(float(cpu), 3), "peak_mb": round(int(maxrss_kb) / 1024, 1), "exit": int(code),
            "output": output}


def tools_python(*packages: str) -> Path:
    """The interpreter of the benchmarks' own environment (never the project's), with ``packages`` installed in it.

    Each script installs the peer tools it needs (Pagefind here, parsers in ``budget.py``):
    what is missing is installed, whichever script made the environment first.
    """
    env_dir = OUT / "venv"
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.create(env_dir, with_pip=True)
    names = [re.sub(r"\[.*\]$", "", package) for package in packages]
    present = subprocess.run([str(python), "-c", "import sys, importlib.metadata as m; [m.version(n) for n in sys.argv[1:]]", *names],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if present.returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *packages], check=True)
    return python


def make_site(pages: int, hugo: bool) -> tuple[Path, dict | None]:
    """The store's built pages, and for Hugo the timing of a clean ``hugo`` build of it (made in this run)."""
    if not hugo:
        site = OUT / f"store-{pages}"
        if not (site / "index.html").exists():
            generate(site, pages)
        return site, None
    project = OUT / f"hugo-{pages}"
    if not (project / "hugo.toml").exists():
        generate_hugo(project, pages)
    shutil.rmtree(project / "public", ignore_errors=True)
    timing = run(["hugo", "--quiet", "--source", str(project)])
    return project / "public", {"wall_s": timing["wall_s"], "cpu_s": timing["cpu_s"], "peak_mb": timing["peak_mb"]}


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def copy_site(site: Path, target: Path) -> Path:
    """A copy of the site to write into (not timed)."""
    if target.exists():
        shutil.rmtree(target)
    if shutil.which("cp"):
        subprocess.run(["cp", "-a", str(site), str(target)], check=True)
    else:
        shutil.copytree(site, target, symlinks=True)
    return target


def build(site: Path, cwd: Path, *extra: str, env: dict | None = None, report: bool = False) -> dict:
    path = cwd / "report.json"
    result = run([*CLI, "build", str(site), "--quiet", "--base-url", BASE_URL, *(["--report", str(path)] if report else []), *extra], cwd=cwd, env=env)
    result["report"] = json.loads(path.read_text()) if report else None
    return result


def figure(result: dict, pages: int) -> dict:
    return {"wall_s": result["wall_s"], "cpu_s": result["cpu_s"], "peak_mb": result["peak_mb"], "pages_per_s": round(pages / result["wall_s"])}


def floor(site: Path) -> dict:
    """The floor under any build step, and the interpreter's start (median of three)."""
    copy = copy_site(site, OUT / "floor-copy")
    script = str(HERE / "floor.py")
    rewrite = run([sys.executable, script, str(site), str(copy)])
    stat = run([sys.executable, script, str(site), "--stat"])
    start = statistics.median(run([sys.executable, "-c", "pass"])["wall_s"] for _ in range(3))

    def seconds(result: dict) -> float:
        return float(re.search(r"@@floor (\S+)", result["output"]).group(1))

    return {"rewrite_s": round(seconds(rewrite), 3), "stat_s": round(seconds(stat), 3), "start_s": round(start, 3)}


def our_builds(site: Path, pages: int, name: str) -> dict:
    """Cold and warm ``build`` with page writes (in place on a copy of the site), then cold and
    warm ``build --dry-run --report`` on the site itself."""
    copy = copy_site(site, OUT / f"{name}-site")
    cwd = fresh(OUT / f"{name}-work")
    out = {run_name: figure(build(copy, cwd, "--sync", "never"), pages) for run_name in ("cold", "warm")}
    edited = sorted(copy.rglob("*.html"))[pages // 2]  # one page as a generator would write it again, changed
    edited.write_bytes(edited.read_bytes() + b"\n<!-- edited -->\n")
    out["one_changed"] = figure(build(copy, cwd, "--sync", "never"), pages)
    copy_site(site, copy)  # every page written again by "the generator", as it was before the first build
    out["regenerated"] = figure(build(copy, cwd, "--sync", "never"), pages)
    cwd = fresh(OUT / f"{name}-dry-work")
    out |= {f"dry_{run_name}": figure(build(site, cwd, "--dry-run", report=True), pages) for run_name in ("cold", "warm")}
    return out


def syncs(site: Path, latency: float, concurrency: int) -> tuple[dict, dict]:
    """A full sync and a no-op sync against the sandbox over loopback, on a copy of the site."""
    sync_site = copy_site(site, OUT / "sync-site")
    sync_cwd = fresh(OUT / "sync-work")
    db = sync_cwd / "sandbox.sqlite3"
    server = subprocess.Popen([*CLI, "sandbox", "serve", "--port", "0", "--db", str(db), "--client-id", "bench", "--latency", str(latency)],
                              env={**os.environ, "CROISSANT_SANDBOX_CLIENT_SECRET": SECRET}, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        while url is None:
            line = server.stdout.readline()
            match = re.search(r"CROISSANT_API_URL=(\S+)", line)
            url = match.group(1) if match else None
            if not line:
                raise SystemExit("sandbox serve did not start")
        env = {"CROISSANT_API_URL": url, "CROISSANT_CLIENT_ID": "bench", "CROISSANT_CLIENT_SECRET": SECRET, "CROISSANT_CONCURRENCY": str(concurrency)}

        def requests() -> int:
            with sqlite3.connect(db) as conn:
                return conn.execute("SELECT COUNT(*) FROM requests").fetchone()[0]

        before = requests()
        full = build(sync_site, sync_cwd, env=env, report=True)
        sent = requests() - before
        synced = full["report"]["totals"].get("result_synced", 0)
        sync_s = full["report"]["timings"]["sync"]
        bound = concurrency / latency
        full_sync = {"wall_s": full["wall_s"], "sync_s": sync_s, "products": synced, "requests": sent,
                     "requests_per_s": round(synced / sync_s, 1), "bound_per_s": bound,
                     "share_of_bound": round(synced / sync_s / bound, 3), "latency_s": latency, "concurrency": concurrency,
                     "peak_mb": full["peak_mb"]}
        before = requests()
        noop = build(sync_site, sync_cwd, env=env, report=True)
        noop_sync = {"wall_s": noop["wall_s"], "requests": requests() - before, "sync_s": noop["report"]["timings"]["sync"],
                     "pages_s": noop["report"]["timings"]["pages"], "peak_mb": noop["peak_mb"]}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return full_sync, noop_sync


def compile_bytecode() -> None:
    """Compile the package's bytecode first, as installing it does (PYTHONDONTWRITEBYTECODE would make every
    command compile the modules edited since, and time that)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "croissant_embed")], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def measure(pages: int, hugo: bool, *, pagefind: bool, latency: float, concurrency: int) -> dict:
    compile_bytecode()
    site, hugo_timing = make_site(pages, hugo)
    html_pages = sum(1 for _ in site.rglob("*.html"))
    results: dict = {"pages": html_pages, "product_pages": pages, "generator": "hugo" if hugo else "generate_store.py",
                     "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}
    if hugo_timing is not None:
        results["hugo"] = {**hugo_timing, "pages_per_s": round(html_pages / hugo_timing["wall_s"])}
    results["floor"] = floor(site)
    results["build"] = our_builds(site, html_pages, "full")
    results["scale"] = scale(pages, hugo, results)  # right after: the machine's load drifts over a long run
    if pagefind:
        pf_out = fresh(OUT / "pagefind-index")
        pf = run([str(tools_python("pagefind[bin]")), "-m", "pagefind", "--site", str(site), "--output-path", str(pf_out)])
        results["pagefind"] = figure(pf, html_pages)
    results["full_sync"], results["noop_sync"] = syncs(site, latency, concurrency)
    return results


def scale(pages: int, hugo: bool, results: dict) -> dict:
    """Our builds on a store a tenth the size: time per page against the full size's, and peak memory."""
    small = max(100, pages // 10)
    site, _ = make_site(small, hugo)
    html_pages = sum(1 for _ in site.rglob("*.html"))
    builds = our_builds(site, html_pages, "scale")
    big = results["build"]
    # CPU time too: on a shared machine, the wall time of a long build drifts with the others' load
    linear = {name: round((big[name]["wall_s"] / results["pages"]) / (builds[name]["wall_s"] / html_pages), 2) for name in builds}
    linear_cpu = {name: round((big[name]["cpu_s"] / results["pages"]) / (builds[name]["cpu_s"] / html_pages), 2) for name in builds}
    return {"small_pages": html_pages, "small": builds, "per_page_ratio": linear, "per_page_cpu_ratio": linear_cpu,
            "peak_mb": {str(html_pages): max(b["peak_mb"] for b in builds.values()), str(results["pages"]): max(b["peak_mb"] for b in big.values())}}


def ratios(results: dict) -> dict:
    """Each figure against its reference: Hugo, the floor."""
    cold, warm, fl = results["build"]["cold"]["wall_s"], results["build"]["warm"]["wall_s"], results["floor"]
    out = {"cold_vs_floor": round(cold / fl["rewrite_s"], 2), "warm_vs_stat_floor": round(warm / (fl["stat_s"] + fl["start_s"]), 2)}
    if "hugo" in results:
        out |= {"cold_vs_hugo": round(cold / results["hugo"]["wall_s"], 3), "warm_vs_hugo": round(warm / results["hugo"]["wall_s"], 3),
                "regenerated_vs_hugo": round(results["build"]["regenerated"]["wall_s"] / results["hugo"]["wall_s"], 3)}
    if "pagefind" in results:
        out |= {"dry_cold_vs_pagefind": round(results["build"]["dry_cold"]["wall_s"] / results["pagefind"]["wall_s"], 3),
                "dry_warm_vs_pagefind": round(results["build"]["dry_warm"]["wall_s"] / results["pagefind"]["wall_s"], 3)}
    return out


def report(results: dict) -> None:
    """Print the figures and the ratios against their goals."""
    print(f"site: {results['pages']} pages ({results['product_pages']} product pages, {results['generator']}), "
          f"{results['machine']['cpus']} CPUs, Python {results['machine']['python']}")
    print(f"{'':30}{'wall s':>9}{'CPU s':>9}{'pages/s':>10}{'peak MB':>9}")
    rows = [("hugo (clean build)", results.get("hugo")), ("pagefind", results.get("pagefind")),
            ("build, cold (writes pages)", results["build"]["cold"]), ("build, warm (writes pages)", results["build"]["warm"]),
            ("build, warm, one page changed", results["build"]["one_changed"]),
            ("build, every page regenerated", results["build"]["regenerated"]),
            ("build --dry-run --report, cold", results["build"]["dry_cold"]), ("build --dry-run --report, warm", results["build"]["dry_warm"])]
    for name, row in rows:
        if row is not None:
            print(f"{name:30}{row['wall_s']:>9}{row.get('cpu_s', ''):>9}{row.get('pages_per_s', ''):>10}{row['peak_mb']:>9}")
    fl = results["floor"]
    print(f"floor: read+decode+find+splice+write on all cores {fl['rewrite_s']} s; stat only {fl['stat_s']} s; "
          f"interpreter start {fl['start_s']} s")
    for name, value in results["ratios"].items():
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"  (goal <= {goal}: {'met' if value <= goal else 'NOT met'})"
        print(f"  {name:24}{value:>8}{verdict}")
    fs, no = results["full_sync"], results["noop_sync"]
    print(f"full sync: {fs['products']} products in {fs['sync_s']} s = {fs['requests_per_s']} req/s "
          f"({fs['share_of_bound']:.1%} of the {fs['bound_per_s']:.0f} req/s bound; latency {fs['latency_s']} s, concurrency {fs['concurrency']})")
    print(f"no-op sync: {no['requests']} HTTP requests, sync phase {no['sync_s']} s, whole build {no['wall_s']} s")
    sc = results["scale"]
    small = ", ".join(f"{name} {row['wall_s']} s" for name, row in sc["small"].items())
    linear = ", ".join(f"{name} {value}" for name, value in sc["per_page_ratio"].items())
    linear_cpu = ", ".join(f"{name} {value}" for name, value in sc["per_page_cpu_ratio"].items())
    print(f"scale: at {sc['small_pages']} pages {small}")
    print(f"  time per page at {results['pages']} pages / at {sc['small_pages']} (1.00 = linear): {linear}")
    print(f"  CPU time per page, the same: {linear_cpu}")
    print(f"  peak MB of our builds by size: {sc['peak_mb']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--hugo", action="store_true", help="measure the store as built by Hugo, and Hugo's build")
    parser.add_argument("--pagefind", action=argparse.BooleanOptionalAction, default=None,
                        help=f"measure Pagefind too (default: up to {LARGE:,} pages)")
    parser.add_argument("--latency", type=float, default=None, help=f"sandbox latency per request, s (default: 0.1, 0.01 past {LARGE:,} pages)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    large = args.pages > LARGE
    args.pagefind = not large if args.pagefind is None else args.pagefind
    args.latency = (0.01 if large else 0.1) if args.latency is None else args.latency
    OUT.mkdir(exist_ok=True)
    results = measure(args.pages, args.hugo, pagefind=args.pagefind, latency=args.latency, concurrency=args.concurrency)
    results["ratios"] = ratios(results)
    text = json.dumps(results, indent=2) + "\n"
    (OUT / "results.json").write_text(text)
    (OUT / f"results-{args.pages}{'-hugo' if args.hugo else ''}.json").write_text(text)
    report(results)
    print(f"written: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
