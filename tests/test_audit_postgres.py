"""The audit's metrics run where the data lives: the same ibis expressions on a
throwaway PostgreSQL server (initdb + pg_ctl on a unix socket in a temporary
folder) give exactly DuckDB's metrics for the same exports. Skipped, with the
reason, where no PostgreSQL server binaries are installed."""

from __future__ import annotations

import csv
import glob
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from deliverables.cli import cli

CASE = Path(__file__).parent / "cases" / "audit"


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` account then."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.skip("running as root without runuser to start PostgreSQL as another user")
    return [runuser, "-u", "postgres", "--", *command]


@pytest.fixture(scope="module")
def server():
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    try:
        import psycopg  # noqa: F401  (needs the system libpq)
    except ImportError as exc:
        pytest.skip(f"psycopg cannot load libpq: {exc}")
    # In /tmp itself: pytest's own folders are private to this user, and the server runs as another.
    root = Path(tempfile.mkdtemp(prefix="deliver-pg-"))
    root.chmod(0o777)
    data, socket = root / "data", root / "sock"
    socket.mkdir()
    socket.chmod(0o777)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(socket, "postgres")

    def run(*cmd):
        return subprocess.run(_as_server_user([str(c) for c in cmd]), capture_output=True, text=True, timeout=180)

    made = run(bin_dir / "initdb", "-D", data, "-A", "trust", "-U", "audit", "--no-sync")
    if made.returncode:
        pytest.skip(f"initdb failed: {made.stderr.strip()[:200]}")
    options = f"-k {socket} -c listen_addresses='' -c fsync=off"
    started = run(bin_dir / "pg_ctl", "-D", data, "-o", options, "-l", root / "log", "-w", "-t", "120", "start")
    if started.returncode:
        pytest.skip(f"pg_ctl could not start the server: {started.stderr.strip()[:200]}")
    try:
        yield socket
    finally:
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def _load(socket: Path, tables: dict[str, Path]) -> None:
    """Each CSV as a table of text columns, loaded with COPY."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=str(socket), user="audit", dbname="postgres", autocommit=True) as con:
        for name, path in tables.items():
            with open(path, encoding="utf-8", newline="") as handle:
                header = next(csv.reader(handle))
            columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(h)) for h in header)
            con.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
            con.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(name), columns))
            copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(sql.Identifier(name))
            with con.cursor().copy(copy) as writer:
                writer.write(path.read_bytes())


def test_postgres_gives_the_same_metrics_as_duckdb(server, tmp_path: Path, runner) -> None:
    case = tmp_path / "case"
    shutil.copytree(CASE, case)
    contacts = case / "exports" / "contacts.csv"
    lines = contacts.read_text().splitlines()
    # A database table has no row order: keep one row per id so "the last row wins" is the same everywhere.
    contacts.write_text("\n".join(line for line in lines if not line.startswith("2,Marketing")) + "\n")
    duck = runner.invoke(cli, ["audit", str(case / "client.yaml"), "--format", "json"])
    assert duck.exit_code == 0, duck.output
    _load(server, {"contacts": contacts, "deals": case / "exports" / "deals.csv"})
    text = (case / "client.yaml").read_text()
    source = f"  source: 'postgres://audit@/postgres?host={server}'\n"
    tables = "  tables: {exports/contacts.csv: contacts, exports/deals.csv: deals}\n"
    (case / "pg.yaml").write_text(text + source + tables)
    pg = runner.invoke(cli, ["audit", str(case / "pg.yaml"), "--format", "json"])
    assert pg.exit_code == 0, pg.output
    expected = json.loads(duck.stdout)
    assert expected["stages"]["sal"] == {"current": 2, "entered": 2, "skipped": 0, "stuck": 2}
    assert json.loads(pg.stdout) == expected


def test_postgres_reads_minute_dates_as_duckdb_does(server, tmp_path: Path, runner) -> None:
    from test_audit_dates import MIXED, _client

    def both(rows: str):
        client = _client(tmp_path, rows)
        duck = runner.invoke(cli, ["audit", str(client), "--format", "json"])
        _load(server, {"minutes": tmp_path / "contacts.csv"})
        source = f"  source: 'postgres://audit@/postgres?host={server}'\n  tables: {{contacts.csv: minutes}}\n"
        (tmp_path / "pg.yaml").write_text(client.read_text() + source)
        return duck, runner.invoke(cli, ["audit", str(tmp_path / "pg.yaml"), "--format", "json"])

    duck, pg = both(MIXED)
    assert duck.exit_code == 0, duck.output
    assert pg.exit_code == 0, pg.output
    assert json.loads(duck.stdout)["transitions"][0]["median_days"] == 2.5
    assert json.loads(pg.stdout) == json.loads(duck.stdout)
    duck, pg = both(MIXED + "7,Lead,2025-02-29 10:00,\n")
    bad = "column 'Became a Lead Date': unreadable date '2025-02-29 10:00'"
    assert (duck.exit_code, pg.exit_code) == (1, 1)
    # A database table has no row order: the row named may differ, the date may not.
    assert f"contacts.csv:8: {bad}" in duck.stderr and f": {bad}" in pg.stderr
