"""Reliability figures for the README: faults injected, products lost, bad inputs, leaks.

    python benchmarks/reliability.py [--products 1000]

Runs the build through its CLI against the sandbox over a real loopback socket, under each
kind of fault, and checks every product afterwards: synced with exactly its payload on the
server, or reported failed; a product is *lost* when it is neither, or when the state claims
it without the server holding that payload. The tests assert the same properties; this
script prints the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from croissant_embed.contract import payload_hash  # noqa: E402
from croissant_embed.rewrite import strip_insertions  # noqa: E402
from croissant_embed.sandbox import BackgroundServer, FaultConfig, SandboxApp, SandboxCredentials  # noqa: E402
from croissant_embed.state import SyncState  # noqa: E402

SECRET = "sbx_RELIABILITY-canary-5e1f"
CREDENTIALS = SandboxCredentials("reliability", SECRET)
CLI = [sys.executable, "-m", "croissant_embed"]


def make_site(folder: Path, count: int) -> dict[str, bytes]:
    pages = {}
    for i in range(count):
        text = (f'<!DOCTYPE html><html><head><script type="application/ld+json">{{"@type":"Product","sku":"R{i:05d}",'
                f'"name":"Product {i}","offers":{{"price":"{20 + i % 50}.00","priceCurrency":"USD"}}}}</script></head>'
                f'<body><h1>Product {i}</h1><p class="price">${20 + i % 50}.00</p></body></html>\n')
        path = folder / f"p/{i:05d}/index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pages[f"p/{i:05d}/index.html"] = text.encode()
    (folder.parent / "croissant.toml").write_text('base_url = "https://r.example/"\n', encoding="utf-8")
    return pages


def build(folder: Path, url: str, *extra: str, env: dict | None = None) -> tuple[int, str]:
    full_env = {**os.environ, "CROISSANT_API_URL": url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id,
                "CROISSANT_CLIENT_SECRET": SECRET, **(env or {})}
    done = subprocess.run([*CLI, "build", str(folder / "site"), "--config", str(folder / "croissant.toml"), "--quiet", *extra],
                          env=full_env, capture_output=True, text=True)
    return done.returncode, done.stdout + done.stderr


def lost(folder: Path, app: SandboxApp, url: str) -> int:
    report = json.loads((folder / "r.json").read_text())
    held = {pid: payload for pid, payload, _ in app.store.products()}
    missing = sum(1 for p in report["products"] if not (p["result"] == "failed" or held.get(p["id"]) == p["payload"]))
    claims = SyncState(folder / ".croissant", url + "/v0").confirmed
    wrong = sum(1 for pid, digest in claims.items() if pid not in held or payload_hash(held[pid]) != digest)
    return missing + wrong


def faults(count: int) -> dict:
    folder = Path(tempfile.mkdtemp())
    make_site(folder / "site", count)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig.uniform(0.2, slow_seconds=1.0, seed=1))
    with BackgroundServer(app) as server:
        code, output = build(folder, server.url, "--report", str(folder / "r.json"), env={"CROISSANT_TIMEOUT": "0.3", "CROISSANT_RETRIES": "8"})
        totals = json.loads((folder / "r.json").read_text())["totals"]
        return {"scenario": "20% of requests: 429, 500, 503, timeouts, dropped requests and answers", "faults": dict(app.faults.injected),
                "products": count, "synced": totals.get("result_synced", 0), "failed": totals.get("result_failed", 0),
                "lost": lost(folder, app, server.url), "exit": code, "leaks": int(SECRET in output)}


def token_expiry(count: int) -> dict:
    folder = Path(tempfile.mkdtemp())
    make_site(folder / "site", count)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(token_ttl=0.5, latency=0.02))
    with BackgroundServer(app) as server:
        code, output = build(folder, server.url, "--report", str(folder / "r.json"))
        totals = json.loads((folder / "r.json").read_text())["totals"]
        return {"scenario": "tokens dying every 0.5 s mid-run", "faults": {"token requests": app.store.request_count("POST", "/v0/token")},
                "products": count, "synced": totals.get("result_synced", 0), "failed": totals.get("result_failed", 0),
                "lost": lost(folder, app, server.url), "exit": code, "leaks": int(SECRET in output)}


def kill_mid_sync(count: int) -> dict:
    folder = Path(tempfile.mkdtemp())
    pages = make_site(folder / "site", count)
    app = SandboxApp(credentials=CREDENTIALS, faults=FaultConfig(latency=0.02))
    with BackgroundServer(app) as server:
        env = {**os.environ, "CROISSANT_API_URL": server.url + "/v0", "CROISSANT_CLIENT_ID": CREDENTIALS.client_id, "CROISSANT_CLIENT_SECRET": SECRET}
        process = subprocess.Popen([*CLI, "build", str(folder / "site"), "--config", str(folder / "croissant.toml"), "--quiet"],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        while app.store.request_count("PUT") < count // 3:
            time.sleep(0.005)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        time.sleep(0.5)
        confirmed = len(SyncState(folder / ".croissant", server.url + "/v0").confirmed)
        before = app.store.request_count("PUT")
        code, output = build(folder, server.url, "--report", str(folder / "r.json"))
        resent = app.store.request_count("PUT") - before
        damaged = sum(1 for rel, data in pages.items() if strip_insertions((folder / "site" / rel).read_text()).encode() != data)
        return {"scenario": "SIGKILL mid-sync, then a second build", "faults": {"killed after PUTs": before, "confirmed before kill": confirmed},
                "products": count, "synced": len(list(app.store.products())), "failed": 0, "lost": lost(folder, app, server.url) + damaged,
                "exit": code, "leaks": int(SECRET in output), "resumed_puts": resent, "expected_puts": count - confirmed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    args = parser.parse_args()
    rows = [faults(args.products), token_expiry(args.products), kill_mid_sync(args.products * 2)]
    corpus = [p for p in (REPO / "tests" / "corpus").rglob("*") if p.is_file()]
    print(f"{'scenario':70}{'products':>9}{'synced':>8}{'failed':>8}{'lost':>6}{'exit':>6}")
    for row in rows:
        print(f"{row['scenario']:70}{row['products']:>9}{row['synced']:>8}{row['failed']:>8}{row['lost']:>6}{row['exit']:>6}")
        print(f"    {row['faults']}" + (f"; resumed with {row['resumed_puts']} PUTs, remainder {row['expected_puts']}" if "resumed_puts" in row else ""))
    print(f"hostile inputs in tests/corpus: {len(corpus)} files (+5 generated by tests/test_hostile.py); secret leaks in outputs: {sum(r['leaks'] for r in rows)}")
    (REPO / "benchmarks" / "out").mkdir(exist_ok=True)
    (REPO / "benchmarks" / "out" / "reliability.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
