"""Measure croissant-embed against Pagefind on the same synthetic store, in one run.

    python benchmarks/run.py                     # 10,000 product pages (written by this script)
    python benchmarks/run.py --pages 2000 --hugo # the store built by Hugo (needs hugo)

Prints wall time, pages per second, peak memory and the ratio to Pagefind for: Pagefind
over the site, `build --dry-run` cold (first run) and warm (pages unchanged, cache present),
a full sync of every product to the sandbox over loopback with latency, and a no-op sync;
plus peak memory on a store a fifth the size. Writes benchmarks/out/results.json.

Pagefind is installed (pip install 'pagefind[bin]') into benchmarks/out/venv, never into
the project's environment. Peak memory is the largest resident set of any one process of
the command (ru_maxrss from wait4), so a build's worker processes are covered.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
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
print("\\n@@launcher %d %.4f %d" % (usage.ru_maxrss, time.perf_counter() - started, os.waitstatus_to_exitcode(status)))
"""


def run(command: list[str], *, cwd: Path | None = None, env: dict | None = None, check: bool = True) -> dict:
    """Run a command; its wall time, peak RSS (MB) and output."""
    process = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=cwd, env={**os.environ, **(env or {})},
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    output, _, tail = process.stdout.decode("utf-8", "replace").rpartition("@@launcher ")
    maxrss_kb, wall, code = tail.split()
    if check and int(code) != 0:
        raise SystemExit(f"{' '.join(command)} exited {code}:\n{output[-3000:]}")
    return {"wall_s": round(float(wall), 3), "peak_mb": round(int(maxrss_kb) / 1024, 1), "exit": int(code), "output": output}


def pagefind_python() -> Path:
    env_dir = OUT / "venv"
    python = env_dir / "bin" / "python"
    if not python.exists():
        venv.create(env_dir, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "pagefind[bin]"], check=True)
    return python


def make_site(pages: int, hugo: bool) -> Path:
    if not hugo:
        site = OUT / f"store-{pages}"
        if not (site / "index.html").exists():
            generate(site, pages)
        return site
    project = OUT / f"hugo-{pages}"
    if not (project / "public" / "index.html").exists():
        generate_hugo(project, pages)
        timing = run(["hugo", "--quiet", "--source", str(project)])
        print(f"hugo built {pages} pages in {timing['wall_s']} s")
    return project / "public"


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def build(site: Path, cwd: Path, *extra: str, env: dict | None = None, report: bool = False) -> dict:
    path = cwd / "report.json"
    result = run([*CLI, "build", str(site), "--quiet", "--base-url", BASE_URL, *(["--report", str(path)] if report else []), *extra], cwd=cwd, env=env)
    result["report"] = json.loads(path.read_text()) if report else None
    return result


def measure(pages: int, hugo: bool, latency: float, concurrency: int) -> dict:
    site = make_site(pages, hugo)
    html_pages = sum(1 for _ in site.rglob("*.html"))
    results: dict = {"pages": html_pages, "product_pages": pages, "machine": {"cpus": os.cpu_count(), "python": platform.python_version()}}

    pf_out = fresh(OUT / "pagefind-index")
    pf = run([str(pagefind_python()), "-m", "pagefind", "--site", str(site), "--output-path", str(pf_out)])
    results["pagefind"] = {"wall_s": pf["wall_s"], "peak_mb": pf["peak_mb"], "pages_per_s": round(html_pages / pf["wall_s"])}

    work = fresh(OUT / "work")
    for name in ("cold", "warm"):
        r = build(site, work, "--dry-run")
        results[f"dry_run_{name}"] = {"wall_s": r["wall_s"], "peak_mb": r["peak_mb"], "pages_per_s": round(html_pages / r["wall_s"]),
                                      "ratio_to_pagefind": round(r["wall_s"] / pf["wall_s"], 3)}

    # full sync and no-op sync against the sandbox over loopback, on a copy of the site
    sync_site = OUT / "sync-site"
    if sync_site.exists():
        shutil.rmtree(sync_site)
    shutil.copytree(site, sync_site)
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
        results["full_sync"] = {"wall_s": full["wall_s"], "sync_s": sync_s, "products": synced, "requests": sent,
                                "requests_per_s": round(synced / sync_s, 1), "bound_per_s": bound,
                                "share_of_bound": round(synced / sync_s / bound, 3), "latency_s": latency, "concurrency": concurrency,
                                "peak_mb": full["peak_mb"]}
        before = requests()
        noop = build(sync_site, sync_cwd, env=env, report=True)
        results["noop_sync"] = {"wall_s": noop["wall_s"], "requests": requests() - before, "sync_s": noop["report"]["timings"]["sync"],
                                "pages_s": noop["report"]["timings"]["pages"], "peak_mb": noop["peak_mb"]}
    finally:
        server.terminate()
        server.wait(timeout=10)
    return results


def memory_scaling(pages: int, hugo: bool) -> dict:
    small = max(200, pages // 5)
    out = {}
    for n in (small, pages):
        site = make_site(n, hugo)
        r = build(site, fresh(OUT / f"mem-{n}"), "--dry-run", report=True)
        out[str(n)] = r["peak_mb"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000)
    parser.add_argument("--hugo", action="store_true", help="measure the store as built by Hugo")
    parser.add_argument("--latency", type=float, default=0.1, help="sandbox latency per request (s)")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    results = measure(args.pages, args.hugo, args.latency, args.concurrency)
    results["peak_mb_by_pages"] = memory_scaling(args.pages, args.hugo)
    results["generator"] = "hugo" if args.hugo else "generate_store.py"
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    p, c, w = results["pagefind"], results["dry_run_cold"], results["dry_run_warm"]
    fs, no = results["full_sync"], results["noop_sync"]
    print(f"site: {results['pages']} pages ({args.pages} product pages, {results['generator']}), {os.cpu_count()} CPUs")
    print(f"{'':24}{'wall s':>9}{'pages/s':>10}{'peak MB':>9}{'vs Pagefind':>13}")
    print(f"{'pagefind':24}{p['wall_s']:>9}{p['pages_per_s']:>10}{p['peak_mb']:>9}{'1.000':>13}")
    print(f"{'build --dry-run (cold)':24}{c['wall_s']:>9}{c['pages_per_s']:>10}{c['peak_mb']:>9}{c['ratio_to_pagefind']:>13}")
    print(f"{'build --dry-run (warm)':24}{w['wall_s']:>9}{w['pages_per_s']:>10}{w['peak_mb']:>9}{w['ratio_to_pagefind']:>13}")
    print(f"full sync: {fs['products']} products in {fs['sync_s']} s = {fs['requests_per_s']} req/s "
          f"({fs['share_of_bound']:.1%} of the {fs['bound_per_s']:.0f} req/s bound; latency {fs['latency_s']} s, concurrency {fs['concurrency']})")
    print(f"no-op sync: {no['requests']} HTTP requests, sync phase {no['sync_s']} s, whole build {no['wall_s']} s")
    print(f"peak MB by size: {results['peak_mb_by_pages']}")
    print(f"written: {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
