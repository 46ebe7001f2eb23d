"""Try an installed SKM the way an office's IT team would: outside the checkout.

Run by ``python3 dev.py release-check``, with the Python of a fresh virtual
environment into which only the locked dependencies and the built wheel were
installed, from a temporary folder (so neither the checkout nor its
``templates/`` can be found by accident). Standard library only.

It sets up a SQLite database with ``skm init`` and ``skm demo``, starts the
production server (``skm serve``) on a free loopback port, and fetches what
each audience uses first: a unit's survey welcome page, the sign-in page, the
dashboard after signing in, one chart, the quarterly PDF. Then it scores a
small CSV with ``skm score``. Any wrong answer stops it with exit code 1.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ADMIN = "admin"
#: Long and uncommon, so it passes any password rule the application has.
PASSWORD = "Rilis-uji-SKM-berjalan-2026"


def fail(message: str) -> None:
    print(f"GAGAL: {message}", flush=True)
    sys.exit(1)


def check(condition: bool, message: str) -> None:
    if not condition:
        fail(message)
    print(f"  ok: {message}", flush=True)


def skm_command() -> list[str]:
    found = shutil.which("skm")
    if found is None:
        fail("perintah 'skm' tidak ada di PATH lingkungan terpasang")
    return [found]


def skm(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        [*skm_command(), *args], env=env, capture_output=True, text=True, timeout=600
    )
    print(f"$ skm {' '.join(args)}  -> {completed.returncode}", flush=True)
    if completed.returncode != 0:
        print(completed.stdout, completed.stderr, sep="\n")
    return completed


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def expected_in_wheel(checkout: Path) -> set[str]:
    """Every file of the checkout the application reads at run time, as the wheel names it."""
    expected = set()
    for folder in ("templates", "static", "data"):
        for path in files_in(checkout / folder):
            expected.add(f"skm/{path.relative_to(checkout).as_posix()}")
    for package in ("skm", "scoring", "questionnaires"):
        for path in files_in(checkout / package):
            if path.suffix != ".pyc":
                expected.add(path.relative_to(checkout).as_posix())
    return expected


def check_archives(wheel: Path, sdist: Path, checkout: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    missing = sorted(expected_in_wheel(checkout) - set(names))
    check(
        not missing, f"wheel memuat setiap berkas paket, templat, statis dan data ({missing[:5]})"
    )
    templates = [n for n in names if n.startswith("skm/templates/") and n.endswith(".html")]
    static = [n for n in names if n.startswith("skm/static/")]
    print(
        f"wheel {wheel.name}: {len(names)} berkas, {len(templates)} templat, {len(static)} statis"
    )
    check(len(templates) > 0, "wheel memuat templat")
    check(len(static) > 0, "wheel memuat berkas statis")
    for needed in (
        "questionnaires/permenpan-14-2017.toml",
        "skm/migrations/versions/0001_initial_schema.py",
        "skm/migrations/script.py.mako",
        "skm/templates/base.html",
        "skm/static/css/skm.css",
    ):
        check(needed in names, f"wheel memuat {needed}")
    check(any(n.startswith("skm/data/iku/") for n in names), "wheel memuat data IKU contoh")
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    check(any("/templates/" in m and m.endswith(".html") for m in members), "sdist memuat templat")
    check(any("/static/" in m for m in members), "sdist memuat berkas statis")


def check_installed_outside(checkout: Path) -> None:
    import skm as installed

    location = Path(installed.__file__).resolve()
    check(checkout not in location.parents, f"skm dimuat dari paket terpasang ({location.parent})")
    check((location.parent / "templates" / "base.html").is_file(), "templat ada di paket terpasang")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"skm serve berhenti dengan kode {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    fail(f"skm serve tidak menjawab di port {port} dalam {seconds:.0f} detik")


class Browser:
    """Cookies and redirects, as a browser would keep them."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, bytes, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str, bytes, str]:
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.base + path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("Referer", self.base + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, str, bytes, str]:
        try:
            with self.opener.open(request, timeout=120) as answer:
                kind = answer.headers.get("Content-Type", "")
                return answer.status, kind, answer.read(), answer.geturl()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read(), error.url


def expect(answer: tuple[int, str, bytes, str], kind: str, what: str) -> bytes:
    status, content_type, body, _ = answer
    check(status == 200 and content_type.startswith(kind), f"{what}: {status} {content_type}")
    return body


def csrf_token(page: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', page)
    if match is None:
        fail("halaman tanpa token CSRF")
    return match.group(1).decode()


def first_link(page: bytes, pattern: str, what: str) -> str:
    match = re.search(pattern.encode(), page)
    if match is None:
        fail(f"tidak ada tautan {what}")
    return match.group(0).decode().replace("&amp;", "&")


def check_server(base: str) -> None:
    browser = Browser(base)
    index = expect(browser.get("/"), "text/html", "halaman depan")
    results_path = first_link(index, r"/hasil/[a-z0-9-]+", "hasil unit di halaman depan")
    expect(browser.get(results_path), "text/html", f"hasil publik {results_path}")
    survey_path = "/survei/" + results_path.removeprefix("/hasil/")
    welcome = expect(browser.get(survey_path), "text/html", f"sambutan survei {survey_path}")
    check(b'name="csrf_token"' in welcome, "sambutan survei memuat formulir")
    sign_in = expect(browser.get("/masuk"), "text/html", "halaman masuk")
    answer = browser.post(
        "/masuk",
        {"csrf_token": csrf_token(sign_in), "username": ADMIN, "password": PASSWORD},
    )
    dashboard = expect(answer, "text/html", f"dasbor setelah masuk ({answer[3]})")
    check("/staf/unit/" in answer[3], "masuk membuka dasbor unit")
    check(b"IKM" in dashboard, "dasbor menampilkan IKM")
    chart = first_link(
        dashboard, r"/staf/unit/[a-z0-9-]+/grafik/[a-z0-9_-]+\.png[^\"' ]*", "grafik"
    )
    png = expect(browser.get(chart), "image/png", f"grafik {chart.split('?')[0]}")
    check(png.startswith(b"\x89PNG\r\n\x1a\n"), "grafik berupa PNG")
    slug = answer[3].split("/staf/unit/")[1].split("/")[0]
    report = expect(
        browser.get(f"/staf/laporan/{slug}/laporan.pdf"), "application/pdf", "laporan PDF"
    )
    check(report.startswith(b"%PDF-") and len(report) > 10_000, f"laporan PDF ({len(report)} bita)")


def check_score(work: Path, env: dict[str, str]) -> None:
    """Two respondents, all 4 and all 3: every NRR 7/2, konversi 7/2 x 25 = 87,5, mutu B."""
    csv = work / "tabulasi.csv"
    header = ",".join(f"U{i}" for i in range(1, 10))
    csv.write_text(f"{header}\n{','.join(['4'] * 9)}\n{','.join(['3'] * 9)}\n", encoding="utf-8")
    completed = skm("score", str(csv), "--json", env=env)
    check(completed.returncode == 0, "skm score selesai")
    result = json.loads(completed.stdout)
    check(
        result["konversi"] == 87.5 and result["mutu"] == "B",
        f"skm score: {result['konversi']} {result['mutu']}",
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--wheel", type=Path, required=True)
    parser.add_argument("--sdist", type=Path, required=True)
    parser.add_argument(
        "--checkout", type=Path, required=True, help="the checkout not to load from"
    )
    options = parser.parse_args()
    work = Path.cwd()
    check_archives(options.wheel, options.sdist, options.checkout.resolve())
    check_installed_outside(options.checkout.resolve())
    env = {**os.environ, "SKM_INSTANCE_PATH": str(work / "instance")}
    env.pop("SKM_DATABASE_URL", None)
    version = skm("--version", env=env)
    wheel_version = options.wheel.name.split("-")[1]
    check(
        version.returncode == 0 and wheel_version in version.stdout,
        f"skm --version: {version.stdout.strip()}",
    )
    # The order of `dev.py run`: the demo kecamatan first, so the admin belongs to it.
    check(skm("demo", "--responses", "400", env=env).returncode == 0, "skm demo")
    init = skm("init", "--admin-username", ADMIN, "--admin-password", PASSWORD, env=env)
    check(init.returncode == 0, "skm init")
    port = free_port()
    server = subprocess.Popen([*skm_command(), "serve", "--port", str(port)], env=env)
    try:
        wait_for(port, server)
        check_server(f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    check_score(work, env)
    print("Pemeriksaan rilis lulus.", flush=True)


if __name__ == "__main__":
    main()
