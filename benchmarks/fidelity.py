"""Fidelity on tests/wild: products found, priced, identified and placed on untuned themes.

    python benchmarks/fidelity.py [--store NAME ...] [--json FILE] [--details] [--keep DIR] [--cli COMMAND]

Each store of ``tests/wild/`` is copied to a temporary folder (without its ``truth.json`` and
``croissant.toml``) and built by the real CLI, ``croissant-embed build COPY --sync never
--report r.json``, from an empty temporary working folder: no configuration at all. When the
store has a ``croissant.toml`` (the settings a user would write from the README), a second
build of a fresh copy runs with ``--config`` pointing at a copy of it, so the state folder
lands in the temporary folder, never in the corpus. ``--sync never`` rather than
``--dry-run``: a dry run writes no pages, and placement is read from the rewritten pages.

Scores, per store and run, against ``truth.json``:

- recognised: a truth product page whose report status is anything but ``not-product``
  (``injected``, ``unchanged``, ``invalid``, ``unplaced``, ...), and not an ``error`` that
  names no product (a page that could not be read);
- false product pages: any other ``.html`` page with such a status (a listing, a tag page, a
  redirect stub, a fragment or an empty shell reported as a product, valid or invalid);
- price / currency right: the report's product for that page (its ``page``, or one of its
  ``also_on``) has ``payload.retailPrice`` equal to the truth's minor units and
  ``payload.retailCurrency`` equal to the truth's ISO 4217 code;
- id right: the page's ``product_id`` in the report equals the truth's id. The truth's id is
  the first of: our own ``data-croissant-product-id``; the structured ``sku``, ``productID``,
  ``mpn``, then ``gtin*``; the Snipcart ``data-item-id``; else the page's slug: its path in
  the site without a trailing ``index.html`` (else without ``.html``) and without leading or
  trailing slashes (``products/tent/index.html`` -> ``products/tent``, ``shop/mug.html`` ->
  ``shop/mug``);
- placement right: the rewritten page holds exactly one injected ``<croissant-toggle-pdp>``
  (one inside ``<!--croissant-embed-->`` markers) and it comes right after the element
  matched by the truth's ``price_selector`` (same parent, the next element, ignoring
  whitespace, comments and markers), or right after an element nested with it that shows the
  same text (``<ins><span>$35.00</span></ins>``: after either); or it is the last element of a
  ``<croissant-slot>`` the page carries.

Percentages are of the truth's product pages. It always exits 0: it measures, it does not
judge.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

REPO = Path(__file__).resolve().parent.parent
WILD = REPO / "tests" / "wild"
CLI = [sys.executable, "-m", "croissant_embed"]
TIMEOUT = 300
MARK = "croissant-embed"


@dataclass
class PageScore:
    """How one truth product page came out."""

    page: str
    status: str
    recognised: bool
    id: bool
    price: bool
    currency: bool
    placement: bool
    got: dict[str, Any]
    want: dict[str, Any]


@dataclass
class RunScore:
    """One build of one store, scored."""

    store: str
    run: str
    exit_code: int | None
    products: int
    other: int
    recognised: int = 0
    false_pages: list[str] = field(default_factory=list)
    id: int = 0
    price: int = 0
    currency: int = 0
    placement: int = 0
    pages: list[PageScore] = field(default_factory=list)
    note: str = ""

    @property
    def perfect(self) -> bool:
        """Everything right on every product page and no false product page."""
        n = self.products
        return not self.false_pages and self.recognised == self.id == self.price == self.currency == self.placement == n


def _text(node: Tag) -> str:
    return " ".join(node.get_text(" ").split())


def _is_marker(node: Any, *, closing: bool = False) -> bool:
    if not isinstance(node, Comment):
        return False
    text = node.strip()
    return text.startswith("/" + MARK) if closing else text.startswith(MARK)


def _skippable(node: Any) -> bool:
    return isinstance(node, Comment) or (isinstance(node, NavigableString) and not node.strip())


def _previous(node: Any) -> Any:
    node = node.previous_sibling
    while node is not None and _skippable(node) and not _is_marker(node):
        node = node.previous_sibling
    return node


def _injection_root(toggle: Tag) -> Tag | None:
    """The outermost injected node holding the toggle (the one right after an opening marker)."""
    node: Any = toggle
    while isinstance(node, Tag):
        if _is_marker(_previous(node)):
            return node
        node = node.parent
    return None


def _after_root(root: Tag) -> list[Tag]:
    """Elements after the injection's closing marker, within the same parent."""
    node, closed, out = root.next_sibling, False, []
    while node is not None:
        if _is_marker(node, closing=True):
            closed = True
        elif closed and isinstance(node, Tag):
            out.append(node)
        node = node.next_sibling
    return out


def placement_right(text: str, selector: str) -> bool:
    """Whether the injected component sits right after the price element (or ends a slot)."""
    soup = BeautifulSoup(text, "html.parser")
    roots = [(t, r) for t in soup.find_all("croissant-toggle-pdp") if (r := _injection_root(t)) is not None]
    if len(roots) != 1:
        return False
    toggle, root = roots[0]
    slot = toggle.find_parent("croissant-slot")
    if slot is not None and root.parent is slot and not _after_root(root):
        return True
    targets = soup.select(selector)
    if len(targets) != 1:
        return False
    target, before = targets[0], _previous(_previous(root))
    while isinstance(before, Comment):  # an adjacent earlier insertion, or other comments
        before = _previous(before)
    if not isinstance(before, Tag):
        return False
    if before is target:
        return True
    nested = target in before.descendants or before in target.descendants
    return nested and _text(before) == _text(target)


def _site_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.is_file())


def _copy_store(store: Path, target: Path) -> None:
    shutil.copytree(store, target, ignore=lambda folder, names: [n for n in names if n in ("truth.json", "croissant.toml")])


def _environment() -> dict[str, str]:
    # the user's own CROISSANT_* settings must not leak into a "no configuration" run
    return {k: v for k, v in os.environ.items() if not k.startswith("CROISSANT_")}


def build_store(store: Path, work: Path, *, config: Path | None, cli: list[str]) -> tuple[int | None, dict[str, Any] | None, Path, str]:
    """Copy the store into ``work`` and build it with the CLI; (exit code, report, site, note)."""
    site, cwd, report = work / "site", work / "cwd", work / "report.json"
    _copy_store(store, site)
    cwd.mkdir()
    command = [*cli, "build", str(site), "--sync", "never", "--report", str(report), "--quiet"]
    if config is not None:
        shutil.copy(config, cwd / "croissant.toml")
        command += ["--config", str(cwd / "croissant.toml")]
    try:
        done = subprocess.run(command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return None, None, site, f"timed out after {TIMEOUT} s"
    note = ""
    if done.returncode not in (0, 3):
        last = [line for line in done.stderr.splitlines() if line.strip()]
        note = last[-1][:200] if last else ""
    try:
        body = json.loads(report.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return done.returncode, None, site, note or "no report written"
    return done.returncode, body, site, note


def _is_product(record: dict[str, Any], path: str, by_page: dict[str, Any]) -> bool:
    """Whether the report treats the page as a product page (valid, invalid, unplaced, ...).

    ``error`` alone means the page could not be processed; an error naming a product (one
    that could not be placed, say) is still a product page.
    """
    status = record.get("status")
    if status in (None, "not-product"):
        return False
    return status != "error" or bool(record.get("product_id")) or path in by_page


def score(store: str, run: str, truth: dict[str, Any], exit_code: int | None, report: dict[str, Any] | None, site: Path, note: str) -> RunScore:
    """Compare one build's report and rewritten pages with the store's truth."""
    records = {p.get("path"): p for p in (report or {}).get("pages", [])}
    by_page: dict[str, dict[str, Any]] = {}
    for product in (report or {}).get("products", []):
        for page in [product.get("page"), *(product.get("also_on") or [])]:
            by_page.setdefault(page, product)
    wanted = {entry["page"]: entry for entry in truth["products"]}
    others = [p for p in _site_pages(site) if p not in wanted]
    result = RunScore(store, run, exit_code, len(wanted), len(others), note=note)
    for path, want in sorted(wanted.items()):
        record = records.get(path) or {}
        status = record.get("status") or "missing"
        payload = (by_page.get(path) or {}).get("payload") or {}
        price = payload.get("retailPrice")
        got = {"id": record.get("product_id"), "price": price, "currency": payload.get("retailCurrency"), "reason": record.get("reason", "")}
        recognised = _is_product(record, path, by_page)
        placed = False
        if recognised and (site / path).is_file():
            placed = placement_right((site / path).read_text(encoding="utf-8", errors="replace"), want["price_selector"])
        page = PageScore(
            path, status, recognised,
            id=got["id"] == want["id"],
            price=isinstance(price, int) and not isinstance(price, bool) and price == want["price"],
            currency=got["currency"] == want["currency"],
            placement=placed,
            got=got,
            want={k: want[k] for k in ("id", "price", "currency", "price_selector")},
        )
        result.pages.append(page)
        for name in ("recognised", "id", "price", "currency", "placement"):
            setattr(result, name, getattr(result, name) + int(getattr(page, name)))
    for path in others:
        record = records.get(path) or {}
        if _is_product(record, path, by_page):
            result.false_pages.append(f"{path} ({record['status']})")
    return result


def run_store(folder: Path, *, cli: list[str] = CLI, keep: Path | None = None) -> list[RunScore]:
    """Both runs of one store (no configuration, then its croissant.toml if it has one)."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    runs: list[tuple[str, Path | None]] = [("no config", None)]
    if (folder / "croissant.toml").is_file():
        runs.append(("croissant.toml", folder / "croissant.toml"))
    out = []
    for name, config in runs:
        with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
            work = Path(tmp)
            if keep is not None:
                work = keep / folder.name / ("config" if config else "bare")
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
            exit_code, report, site, note = build_store(folder, work, config=config, cli=cli)
            out.append(score(folder.name, name, truth, exit_code, report, site, note))
    return out


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.0f} %" if whole else "    - "


HEADER = f"{'store':30} {'run':14} {'pages':>5} {'found':>7} {'false':>5} {'price':>7} {'curr.':>7} {'id':>7} {'placed':>7} {'exit':>4}"


def row(label: str, run: str, c: dict[str, int], exit_code: int | str | None = "") -> str:
    """One line of the table, from counts."""
    n = c["products"]
    cells = " ".join(f"{_pct(c[k], n):>7}" for k in ("price", "currency", "id", "placement"))
    return f"{label:30} {run:14} {n:5} {_pct(c['recognised'], n):>7} {c['false']:5} {cells} {'-' if exit_code is None else exit_code!s:>4}"


COUNTS = ("products", "other", "recognised", "id", "price", "currency", "placement")


def counts(s: RunScore) -> dict[str, int]:
    """The run's counts, as the table prints them."""
    return {**{k: getattr(s, k) for k in COUNTS}, "false": len(s.false_pages)}


def totals(scores: list[RunScore]) -> dict[str, int]:
    """Counts summed over stores."""
    out = {k: sum(counts(s)[k] for s in scores) for k in (*COUNTS, "false")}
    out["detected"] = out["recognised"] + out["false"]
    out["stores"] = len(scores)
    out["perfect_stores"] = sum(s.perfect for s in scores)
    return out


def print_details(s: RunScore) -> None:
    """What each wrong page got, against what it should have."""
    for page in s.pages:
        wrong = [k for k in ("recognised", "id", "price", "currency", "placement") if not getattr(page, k)]
        if wrong:
            print(f"    {page.page}: {page.status}; wrong {', '.join(wrong)}; got {page.got}; want {page.want}")
    for false in s.false_pages:
        print(f"    false product page: {false}")
    if s.note:
        print(f"    build: {s.note}")


def main(argv: list[str] | None = None) -> int:
    """Build every store (or the named ones), print the tables, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", action="append", help="only this store (a folder name under tests/wild); repeatable")
    parser.add_argument("--json", type=Path, help="write every score to this file")
    parser.add_argument("--details", action="store_true", help="list each wrong page and false product page")
    parser.add_argument("--cli", default=shlex.join(CLI), help="the command to run (default: this Python's -m croissant_embed)")
    parser.add_argument("--keep", type=Path, help="build in DIR/STORE/{bare,config} and leave the sites and reports there")
    args = parser.parse_args(argv)
    folders = sorted(p for p in WILD.iterdir() if (p / "truth.json").is_file())
    if args.store:
        unknown = sorted(set(args.store) - {p.name for p in folders})
        if unknown:
            print(f"unknown store(s): {', '.join(unknown)}; stores: {', '.join(p.name for p in folders)}")
            return 0
        folders = [p for p in folders if p.name in args.store]
    scores: list[RunScore] = []
    print(HEADER)
    for folder in folders:
        for s in run_store(folder, cli=shlex.split(args.cli), keep=args.keep):
            scores.append(s)
            print(row(s.store, s.run, counts(s), s.exit_code))
            if args.details:
                print_details(s)
    overall = {}
    print()
    print("overall (found = product pages recognised; false = other pages reported as products)")
    for run in ("no config", "croissant.toml"):
        chosen = [s for s in scores if s.run == run]
        if not chosen:
            continue
        t = totals(chosen)
        overall[run] = t
        print(row("all stores", run, t))
        print(f"{'':30} {run:14} {t['false']} false of {t['detected']} detected; {t['other']} other pages; "
              f"{t['perfect_stores']} of {t['stores']} stores right end to end")
    if args.json:
        args.json.write_text(json.dumps({"overall": overall, "runs": [asdict(s) for s in scores]}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
