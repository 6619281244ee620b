"""The `deliver` command line: thin click commands that parse, import lazily and
call one function each. User errors exit 1 without a traceback; anything else
is a bug and exits 3 with one."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from deliverables import __version__

FILE = click.Path(path_type=Path, dir_okay=False)
OUT_HELP = "Output root (default: ./output); versions go to <root>/<client>/v<N>/."


def _folder(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """The folder an option names. An empty one (`--out=` of an unset shell variable) is a
    mistake, not the current folder."""
    if value is None:
        return None
    if not value.strip():
        raise click.BadParameter("is empty; give a folder")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise click.BadParameter(f"'{value}' is a file, not a folder")
    return path


OUT_OPTION = click.option(
    "--out",
    "out_root",
    callback=_folder,
    type=str,
    default="output",
    show_default=True,
    help=OUT_HELP,
)
THEME_OPTION = click.option(
    "--theme", type=click.Path(path_type=Path, file_okay=False), help="Folder with a branded base.docx / base.pptx."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="deliver")
def cli() -> None:
    """Render every document of a GTM Lifecycle engagement from one client YAML file.

    Typical flow: `deliver new acme --from standard`, edit acme.yaml,
    `deliver check acme.yaml`, `deliver build acme.yaml`.
    """


@cli.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option(
    "--only", multiple=True, metavar="NAMES", help="Build only these deliverables (comma-separated or repeated)."
)
@OUT_OPTION
@THEME_OPTION
@click.option(
    "-j", "--jobs", type=click.IntRange(1, 64), default=1, show_default=True, help="Clients built in parallel."
)
def build(files: tuple[Path, ...], only: tuple[str, ...], out_root: Path, theme: Path | None, jobs: int) -> None:
    """Render every deliverable of each client FILE into <out>/<client>/v<N>/.

    The version folder is replaced atomically: a failed build leaves the
    previous output untouched. Only deliverables whose content changed are
    rendered again; an unchanged file is reported up to date at once. With
    several files, one client's error does not stop the others.
    """
    from deliverables.pipeline.batch import build_many
    from deliverables.pipeline.build import select

    select(only)
    sources = list(dict.fromkeys(files))
    if len(sources) == 1:
        outcomes = build_many(sources, out_root, only, theme)
    else:
        with click.progressbar(length=len(sources), label="building", file=sys.stderr) as bar:
            outcomes = build_many(sources, out_root, only, theme, jobs, tick=lambda _o: bar.update(1))
    failed = [o for o in outcomes if o.result is None]
    partial = [o for o in outcomes if o.result is not None and o.result.failed]
    for outcome in outcomes:
        _report(outcome)
    if len(sources) > 1:
        some = f", {len(partial)} with failed deliverables" if partial else ""
        click.echo(f"{len(sources) - len(failed)} built{some}, {len(failed)} failed")
    if any(o.result.bugs for o in partial):
        raise click.exceptions.Exit(3)
    if failed or partial:
        raise click.exceptions.Exit(1)


def _report(outcome) -> None:
    for line in outcome.errors:
        click.echo(line, err=True)
    result = outcome.result
    if result is None:
        return
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if result.up_to_date:
        click.echo(f"up to date: {outcome.source} -> {result.folder}")
    else:
        from deliverables.documents.words.grammar import count

        files = count(len(result.files), "file")
        click.echo(f"built {outcome.source} -> {result.folder} ({files}, {outcome.seconds:.1f} s)")
    for name, reason in sorted(result.failed.items()):
        if name in result.bugs:
            click.echo(result.bugs[name].rstrip(), err=True)
        kept = "kept its earlier files" if _has_files(result.folder, name) else "not written"
        if name in result.problems:
            for problem in result.problems[name]:
                click.echo(str(problem), err=True)
            click.echo(f"{outcome.source}: error: {name} failed ({kept})", err=True)
            continue
        click.echo(f"{outcome.source}: error: {name} failed ({kept}): {reason}", err=True)
    if result.bugs:
        click.echo("deliver: internal error (a bug): please report it with the traceback above", err=True)


def _has_files(folder: Path, name: str) -> bool:
    from deliverables.pipeline import manifest

    entry = manifest.section(manifest.section(manifest.read(folder), "deliverables"), name)
    return bool(entry.get("files"))


def _interruptible() -> None:
    """Ctrl-C stops a command that runs until stopped, even one started with SIGINT
    ignored (a background job of a script, a test runner's worker): it would never stop."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


@cli.command()
@click.argument("file", type=FILE)
@OUT_OPTION
@THEME_OPTION
def watch(file: Path, out_root: Path, theme: Path | None) -> None:
    """Rebuild FILE each time it is saved; Ctrl-C stops.

    An invalid intermediate edit shows its errors and keeps the last good output.
    """
    from deliverables.pipeline.watch import watch as run

    _interruptible()
    try:
        run(file, out_root, theme, click.echo, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.command()
@click.argument("file", type=FILE)
@OUT_OPTION
@THEME_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port (0: any free one).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Another than this machine's own makes the documents readable on the network.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
def serve(file: Path, out_root: Path, theme: Path | None, port: int, host: str, open_page: bool) -> None:
    """Show every deliverable of FILE on a live local page, updated on each save.

    The diagram, the reference card, the alignment document, the FAQ, the
    decks, the CRM spec, the checks and the changes since the previous version,
    with the open (ASSUMED) items listed. A broken edit keeps the last good
    preview and shows its errors. Ctrl-C stops.
    """
    from deliverables.commands.serve import serve as run

    _interruptible()
    try:
        run(file, out_root, theme, host, port, open_page, click.echo, lambda line: click.echo(line, err=True))
    except KeyboardInterrupt:
        click.echo("stopped")


@cli.command()
@click.argument("files", nargs=-1, type=FILE)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="Output format; sarif (2.1.0) shows findings inline in CI.",
)
@click.option(
    "--final",
    is_flag=True,
    help="Sign-off gate: also refuse anything ASSUMED, unapproved terms, exits without criteria and missing sign-offs.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("-v", "--verbose", is_flag=True, help="Also list findings silenced by lint_ignore, with their reasons.")
@click.option("--list-rules", is_flag=True, help="Print the lint rules as a Markdown table and exit.")
def check(files: tuple[Path, ...], fmt: str, final: bool, strict: bool, verbose: bool, list_rules: bool) -> None:
    """Validate each client FILE and lint it against the playbook's gotchas.

    Exit 1 when any file has errors (or warnings, with --strict).
    """
    from deliverables.commands.check import run
    from deliverables.lint import rule_table

    if list_rules:
        click.echo(rule_table(), nl=False)
        return
    if not files:
        raise click.UsageError("give at least one client FILE (or --list-rules)")
    code = run(files, final=final, fmt=fmt, strict=strict, verbose=verbose, echo=click.echo)
    if code:
        raise click.exceptions.Exit(code)


@cli.command()
@click.argument("file", type=FILE)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
def audit(file: Path, fmt: str) -> None:
    """Compute the current-state audit from the CRM exports FILE names under `audit:`.

    Recognises HubSpot and Salesforce exports by their header row (CSV or
    XLSX) and matches their values to the stages through each stage's `crm:`
    mapping. Text prints the funnel; json prints the metrics (records, stages,
    transitions, unmapped values, quality, per segment). Exports over 100,000
    rows show a progress bar.
    """
    from deliverables.commands.audit import run_audit

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="auditing", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        run_audit(file, fmt, click.echo, progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


@cli.command()
@click.argument("name")
@click.option("--from", "arch", default="standard", show_default=True, help="Reference architecture to start from.")
@click.option("--crm", type=click.Choice(["hubspot", "salesforce", "other"]), help="The client's CRM.")
@click.option("--out", type=FILE, help="File to write (default: <name>.yaml).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(name: str, arch: str, crm: str | None, out: Path | None, force: bool) -> None:
    """Scaffold a complete, commented client file for client NAME.

    Everything starts ASSUMED, as in a v0. Architectures: standard, plg,
    poc-and-renewal, reunification.
    """
    from deliverables.commands.new import write_scaffold

    target = write_scaffold(name, arch, crm, out, force)
    click.echo(f"wrote {target} from '{arch}'; next: deliver check {target}")


@cli.command()
@click.option("--markdown", is_flag=True, help="Print the client-file reference as Markdown instead.")
def schema(markdown: bool) -> None:
    """Print the JSON Schema of the client file (generated from the model)."""
    from deliverables.commands.schema import schema_text

    click.echo(schema_text(markdown))


@cli.command(name="list")
def list_() -> None:
    """List the deliverables a build produces."""
    from deliverables.commands.list import listing

    for line in listing():
        click.echo(line)


# ---------------------------------------------------------------- versions, handoff, snapshots


@cli.command()
@click.argument("files", nargs=-1, required=True, type=FILE)
@click.option(
    "--since", type=click.IntRange(min=0), help="Compare with this built version (default: the newest earlier one)."
)
@OUT_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True, help="Output format."
)
def diff(files: tuple[Path, ...], since: int | None, out_root: Path, fmt: str) -> None:
    """Print what changed: FILE against a version built in the output, or OLD NEW.

    Stages added, removed, renamed or moved; definitions and criteria word by
    word; ASSUMED -> CONFIRMED; owners, golden flags, probabilities; terms,
    approvals and sign-offs.
    """
    from deliverables.commands.diff import diff_report

    click.echo(diff_report(files, since, out_root, fmt), nl=False)


@cli.command()
@click.argument("file", type=FILE)
@click.argument("ids", nargs=-1, required=True)
@click.option("--bump", is_flag=True, help="Also add one to `version`.")
def confirm(file: Path, ids: tuple[str, ...], bump: bool) -> None:
    """Mark stages (by id) and terms (by id or term) of FILE CONFIRMED, in place.

    Comments and layout of the file are kept; only the changed values differ.
    """
    from deliverables.commands.confirm import confirm_items

    for line in confirm_items(file, ids, bump):
        click.echo(line)


@cli.command()
@click.argument("file", type=FILE)
@click.argument("returned", nargs=-1, required=True, type=FILE)
@click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")
@click.option("--prefer", type=FILE, help="Where returned copies disagree, take this copy's answer.")
def ingest(file: Path, returned: tuple[Path, ...], dry_run: bool, prefer: Path | None) -> None:
    """Read the ticked boxes and comments of RETURNED alignment documents into FILE.

    Approvals change in place (comments and layout of FILE kept) and comments are
    added under the term's `comments`; a table shows each approval was -> now.
    """
    from deliverables.commands.ingest import ingest as run

    for line in run(file, returned, dry_run, prefer):
        click.echo(line)


@cli.command()
@click.argument("file", type=FILE)
@OUT_OPTION
@click.option(
    "--force",
    is_flag=True,
    help="Package even with ASSUMED or unapproved items or a failed deliverable, stamped DRAFT.",
)
def package(file: Path, out_root: Path, force: bool) -> None:
    """Zip the final deliverables of FILE into the handoff package.

    Writes <out>/<client>/<client>-handoff-v<N>.zip with an index.html and a
    manifest.json of SHA-256 hashes. Builds the version first when it is missing or out of date. Refuses while
    items are ASSUMED or terms unapproved, or while a deliverable failed in the
    build, unless --force.
    """
    from deliverables.commands.package import write_package

    target = write_package(file, out_root, force)
    click.echo(f"wrote {target}")


@cli.command()
@click.argument("file", type=FILE)
@click.option("--update", is_flag=True, help="Write the snapshots instead of comparing with them.")
@click.option(
    "--dir",
    "snap_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Snapshot folder (default: snapshots/<client>/).",
)
def snapshot(file: Path, update: bool, snap_dir: Path | None) -> None:
    """Compare a text form of every deliverable of FILE with stored snapshots.

    One .txt per deliverable file (docx: paragraphs and tables with styles;
    pptx: slide titles, text, tables, notes; pdf: page count and text; png:
    size; text formats as they are). Exits 1 with a unified diff when anything
    differs; --update rewrites them and removes the snapshots it wrote of
    files no longer built (DIR's index of them, .snapshots.json, keeps any
    other file there out of it).
    """
    from deliverables.commands.snapshot import run_snapshot

    code = run_snapshot(file, snap_dir, update, click.echo)
    if code:
        raise click.exceptions.Exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, mapping user errors to exit 1 and bugs to exit 3."""
    try:
        code = cli.main(args=argv, prog_name="deliver", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        # A usage error (FILE is a folder, --out is a file) is a user error like any other: exit 1.
        sys.exit(1 if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except Exception:
        traceback.print_exc()
        click.echo("deliver: internal error (a bug): please report it with the traceback above", err=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
