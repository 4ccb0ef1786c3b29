"""``riskzones sources check``: each government's current text read again, from a git-scraping
archive the test builds or from recorded pages a local server serves (no network), with exit
codes a cron job can act on, and ``--write`` moving ``verified_on``."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo.build.advisories import GOVERNMENTS
from service.cli import main
from tests.clock import Clock

SEEN = "2026-11-30"  # the day of the test archive's last commit


def _current_quotes(sources: Path) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
    """(government, url, archive path) -> [(area id, quote)] of each government's text in force."""
    pages: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for code in GOVERNMENTS:
        with (sources / "advisories" / f"{code}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if not row["superseded_on"]:
                    key = (code, row["source_url"], row["archive"].partition(":")[2])
                    pages.setdefault(key, []).append((row["area_id"], row["quote"]))
    return pages


def _page(quotes: list[tuple[str, str]]) -> str:
    """A page as the archive keeps it: markdown, with the quotes inside other text."""
    body = "\n\n".join(
        f"Some words before. **{quote}** And after, with a [link](https://example.org)."
        for _, quote in quotes
    )
    return f"# Travel advice\n\nUpdated recently.\n\n{body}\n"


@pytest.fixture
def definitions(sources: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "definitions"
    shutil.copytree(sources, copy)
    return copy


def _archive(root: Path, definitions: Path, *, change: str | None = None, drop: str | None = None) -> Path:
    """A git archive holding every quoted page; ``change`` rewords the first quote of that
    government's first page, ``drop`` leaves that government's first page out."""
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{SEEN}T06:00:00Z",
        "GIT_COMMITTER_DATE": f"{SEEN}T06:00:00Z",
        "GIT_AUTHOR_NAME": "scraper",
        "GIT_AUTHOR_EMAIL": "scraper@example.org",
        "GIT_COMMITTER_NAME": "scraper",
        "GIT_COMMITTER_EMAIL": "scraper@example.org",
    }
    subprocess.run(["git", "init", "-q", str(root)], check=True, env=env)
    done: set[str] = set()
    for (code, _url, path), quotes in _current_quotes(definitions).items():
        first = code not in done
        done.add(code)
        if first and drop == code:
            continue
        if first and change == code:
            area, quote = quotes[0]
            quotes = [
                (area, quote.replace(" travel", " journeys", 1).replace("Avoid", "Reconsider", 1)),
                *quotes[1:],
            ]
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(_page(quotes), encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", "scrape"], check=True, env=env)
    return root


def _check(definitions: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["sources", "check", "--sources", str(definitions), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def _verified_on(definitions: Path) -> dict[str, str]:
    with (definitions / "advisories" / "verified.csv").open(encoding="utf-8") as handle:
        return {row["government"]: row["verified_on"] for row in csv.DictReader(handle)}


def test_an_unchanged_archive_confirms_every_text_and_write_records_the_day(
    definitions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _archive(tmp_path / "archive", definitions)
    before = _verified_on(definitions)
    code, texts = _check(definitions, "--archive", str(archive), capsys=capsys)
    assert code == 0
    assert {t["government"]: (t["status"], t["seen_on"]) for t in texts} == {
        c: ("unchanged", SEEN) for c in GOVERNMENTS
    }
    assert _verified_on(definitions) == before  # without --write nothing moves
    code, _ = _check(definitions, "--archive", str(archive), "--write", capsys=capsys)
    assert code == 0
    after = _verified_on(definitions)
    assert all(after[c] == max(before.get(c, ""), SEEN) for c in GOVERNMENTS)
    assert after["au"] == SEEN and before["au"] < SEEN
    # The moved file still builds: it is the build's own input.
    with (definitions / "advisories" / "verified.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(r["seen_in"] for r in rows if r["verified_on"] == SEEN)


def test_a_changed_quote_is_reported_with_its_diff_and_zones(
    definitions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _archive(tmp_path / "archive", definitions, change="uk")
    before = _verified_on(definitions)
    code, texts = _check(definitions, "--archive", str(archive), "--write", capsys=capsys)
    assert code == 1
    uk = next(t for t in texts if t["government"] == "uk")
    assert uk["status"] == "changed" and uk["seen_on"] is None
    page = next(p for p in uk["pages"] if p["status"] == "changed")
    assert [m["zone"] for m in page["missing"]] and page["missing"][0]["zone"].startswith("uk-")
    assert "journeys" in page["diffs"][0] or "Reconsider" in page["diffs"][0]
    assert _verified_on(definitions)["uk"] == before["uk"]  # a changed text is not confirmed
    # The text report names the zone and shows the diff.
    assert main(["sources", "check", "--sources", str(definitions), "--archive", str(archive)]) == 1
    out = capsys.readouterr().out
    assert "uk text of" in out and ": changed" in out and "+++ page now" in out


def test_an_unreachable_page_exits_2_and_is_not_confirmed(
    definitions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = _archive(tmp_path / "archive", definitions, drop="ca")
    code, texts = _check(definitions, "--archive", str(archive), capsys=capsys)
    assert code == 2
    ca = next(t for t in texts if t["government"] == "ca")
    assert ca["status"] == "unreachable"
    assert "not in the archive" in next(p for p in ca["pages"] if p["status"] == "unreachable")["reason"]
    assert {t["status"] for t in texts if t["government"] != "ca"} == {"unchanged"}


@pytest.fixture
def recorded(definitions: Path, tmp_path: Path) -> Iterator[str]:
    """Recorded pages under <host><path>, served on 127.0.0.1: every government's page, with
    Australia's missing (a 404)."""
    root = tmp_path / "recorded"
    pages: dict[str, list[tuple[str, str]]] = {}
    for (code, url, _path), quotes in _current_quotes(definitions).items():
        if code != "au":
            pages.setdefault(url, []).extend(quotes)
    # Decree sources: the VRAEM page still names its newest decree, Lima's page no longer does.
    for chain, named in (("pe-emg-vraem-drugs", True), ("pe-emg-lima-callao", False)):
        newest = _newest_decree(definitions, chain)
        number = newest["decree"].removeprefix("DS ")
        text = f"Decreto Supremo N.° {number}" if named else "Decreto Supremo N.° 999-2026-PCM"
        for url in newest["source_urls"].split(" ; "):
            pages.setdefault(url, []).append((chain, text))
    for url, quotes in pages.items():
        parts = urllib.parse.urlsplit(url)
        target = root / parts.netloc / parts.path.lstrip("/")
        target = target / "index.html" if not target.suffix else target
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"<html><body><p>{_page(quotes)}</p></body></html>", encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _newest_decree(definitions: Path, chain: str) -> dict[str, str]:
    with (definitions / "decrees" / f"{chain}.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[-1]


def test_fetch_reads_the_pages_and_dates_them_today(
    definitions: Path, recorded: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    Clock(monkeypatch, dt.datetime(2026, 12, 3, 4, 0, tzinfo=dt.UTC))  # 2026-12-02 in Lima
    code, texts = _check(definitions, "--fetch", "--mirror", recorded, "--write", capsys=capsys)
    assert code == 1  # Lima's newest decree is no longer named on its page
    governments = [t for t in texts if t["government"] != "pe"]
    statuses = {t["government"]: (t["status"], t["seen_on"]) for t in governments}
    assert statuses["au"] == ("unreachable", None)  # Australia's page is missing
    assert {statuses[c] for c in ("us", "uk", "ca")} == {("unchanged", "2026-12-02")}
    assert _verified_on(definitions)["us"] == "2026-12-02"
    # Every chain's newest decree is read: named, no longer named, or its page not recorded.
    decrees = {t["version"]: t["status"] for t in texts if t["government"] == "pe"}
    assert decrees[_newest_decree(definitions, "pe-emg-vraem-drugs")["decree"]] == "unchanged"
    assert decrees[_newest_decree(definitions, "pe-emg-lima-callao")["decree"]] == "changed"
    assert "unreachable" in decrees.values()
    assert len([t for t in texts if t["government"] == "pe"]) == len(
        list((definitions / "decrees").glob("*.csv"))
    )


def test_bad_arguments_are_refused_with_the_fix(
    definitions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sources", "check", "--sources", str(definitions), "--archive", str(tmp_path)]) == 2
    assert "not a git clone" in capsys.readouterr().err
    assert main(["sources", "check", "--sources", str(tmp_path), "--fetch"]) == 2
    assert "--sources" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["sources", "check", "--sources", str(definitions)])  # --archive or --fetch
