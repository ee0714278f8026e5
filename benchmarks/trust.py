"""Trust figures for the README: hostile pages and servers tried, data lost, hangs, leaks.

    python benchmarks/trust.py

Pages: every page of ``tests/corpus/`` (hand-written attacks and awkward real-world pages)
plus a few generated at run time (binary, 50 MB, 2 MB of JSON-LD, growing adversarial
pages), built as one site through the real CLI, in a subprocess with a deadline, with a
recognisable client secret in the environment and ``-vv`` logging. A page is *lost* when
its bytes changed and stripping the tool's insertions does not give them back; a *hang* is
a build that misses its deadline; a *leak* is the secret found in any output, log or file.

Servers: the hostile-server scenarios of ``tests/test_client_hostile.py`` (a server that
trickles, bombs, echoes secrets, hands out unusable tokens) and
``tests/test_servers_hostile.py`` (clients that attack our own servers) are counted from the
test suite, which asserts them on every CI run; this script runs them with pytest and prints
the count and the outcome.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from croissant_embed.rewrite import strip  # noqa: E402

SECRET = "sbx_TRUST-canary-3d9b41"
DEADLINE = 300.0


def hostile_site(site: Path) -> None:
    """The corpus plus generated pages that are too large to commit."""
    shutil.copytree(REPO / "tests" / "corpus", site, symlinks=False)
    (site / "gen" / "binary.html").parent.mkdir(parents=True, exist_ok=True)
    (site / "gen" / "binary.html").write_bytes(bytes(range(256)) * 64)
    filler = "lorem ipsum " * 4_400_000
    (site / "gen" / "fifty-mb.html").write_text(
        '<!DOCTYPE html><html><head><script type="application/ld+json">{"@type":"Product","sku":"BIG","name":"Big",'
        f'"offers":{{"price":"9.00","priceCurrency":"USD"}}}}</script></head><body><p>{filler}</p>'
        '<span class="price">$9.00</span></body></html>', encoding="utf-8")
    (site / "gen" / "jsonld-2mb.html").write_text(
        '<!DOCTYPE html><html><head><script type="application/ld+json">{"@type":"Product","sku":"J2","name":"J",'
        '"description":"' + "x" * 2_100_000 + '"}</script></head><body></body></html>', encoding="utf-8")
    for megabytes in (1, 4):
        size = megabytes * 1_000_000
        patterns = {
            "cut-tag": '<!DOCTYPE html><html><body><span class="price"' + ' a="b"' * (size // 6),
            "open-spans": '<!DOCTYPE html><html><body>' + '<span class="price">$1.00' * (size // 30),
            "open-jsonld": '<!DOCTYPE html><html><head>' + '<script type="application/ld+json">{' * (size // 40),
            "open-comments": '<!DOCTYPE html><html><body>' + "<!-- <span class=price>" * (size // 24),
        }
        for name, text in patterns.items():
            (site / "gen" / f"{name}-{megabytes}mb.html").write_text(text, encoding="utf-8")


def run_pages(work: Path) -> dict[str, object]:
    """Build the hostile site once; count statuses, lost pages, hangs and leaks."""
    site = work / "site"
    hostile_site(site)
    before = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (work / "croissant.toml").write_text('base_url = "https://s.example/"\nmax_invalid = 100\nquantity_selector = "input[name=q]"\n',
                                         encoding="utf-8")
    env = {**os.environ, "CROISSANT_CLIENT_ID": "trust", "CROISSANT_CLIENT_SECRET": SECRET}
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "croissant_embed", "-vv", "build", str(site), "--config", str(work / "croissant.toml"),
             "--report", str(work / "report.json"), "--feed", "feed"],
            env=env, capture_output=True, text=True, timeout=DEADLINE, cwd=work, check=False,
        )
        hang, code, output = False, done.returncode, done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        hang, code, output = True, None, str(exc.stdout or "") + str(exc.stderr or "")
    seconds = time.perf_counter() - started
    report = json.loads((work / "report.json").read_text(encoding="utf-8")) if (work / "report.json").is_file() else {"pages": []}
    statuses: dict[str, int] = {}
    for page in report["pages"]:
        statuses[page["status"]] = statuses.get(page["status"], 0) + 1
    lost = []
    for rel, data in before.items():
        after = (site / rel).read_bytes()
        if after == data:
            continue
        try:
            text = after.decode("utf-8")
            if strip(text).text.encode("utf-8") == data:
                continue
        except UnicodeDecodeError:
            pass
        lost.append(rel)
    files = [p for p in work.rglob("*") if p.is_file()]
    leaks = [str(p.relative_to(work)) for p in files if SECRET.encode() in p.read_bytes()] + (["output"] if SECRET in output else [])
    return {"pages": len(before), "statuses": statuses, "exit_code": code, "seconds": round(seconds, 1), "hang": hang,
            "lost": lost, "leaks": leaks, "traceback": "Traceback" in output}


def run_servers() -> dict[str, object]:
    """Run the hostile-server scenarios of the test suite; their count and outcome."""
    files = ["tests/test_client_hostile.py", "tests/test_servers_hostile.py"]
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
                          cwd=REPO, capture_output=True, text=True, timeout=1800, check=False)
    summary = [line for line in done.stdout.splitlines() if " passed" in line or " failed" in line]
    return {"scenarios": summary[-1] if summary else done.stdout[-300:], "exit_code": done.returncode}


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-servers", action="store_true", help="only the hostile pages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="croissant-trust-") as folder:
        pages = run_pages(Path(folder))
    print(f"hostile pages tried: {pages['pages']} in one build, {pages['seconds']} s, exit {pages['exit_code']}")
    print(f"  statuses: {json.dumps(pages['statuses'], sort_keys=True)}")
    print(f"  data lost: {len(pages['lost'])} {pages['lost'] or ''}")
    print(f"  hangs: {int(bool(pages['hang']))}  tracebacks: {int(bool(pages['traceback']))}  leaks: {len(pages['leaks'])} {pages['leaks'] or ''}")
    if not args.skip_servers:
        servers = run_servers()
        print(f"hostile server scenarios (tests/test_client_hostile.py, tests/test_servers_hostile.py): {servers['scenarios']}")


if __name__ == "__main__":
    main()
