"""`openness import ...`: catalogues and licence lists to RDF files (the importers package does the work)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import click

from .common import emit, guarded, note
from ..errors import OpennessError
from .output import to_json


def _target(out: Path | None, update_bundled: bool, name: str) -> Path:
    """Where an import writes: --out (a regular file or a new one), or, only with the maintainer's
    --update-bundled, data/generated/<name> of a source checkout (an installed package is never written to)."""
    from .. import resources
    from ..files import check_output

    if out is not None and update_bundled:
        raise OpennessError("give --out FILE or --update-bundled, not both")
    if out is not None:
        check_output(out)
        return out
    folder = resources.data_dir() / "generated"
    if not update_bundled:
        raise OpennessError(f"give --out FILE (the bundled {folder / name} is rewritten only with --update-bundled, "
                            "a maintainer's option)")
    if "_bundled" in folder.parts:
        raise OpennessError("this is an installed copy of openness: give --out FILE")
    check_output(folder / name)
    return folder / name


def _require_records(report, what: str) -> None:
    """An import that read or kept no record is bad input: --out is left as it was."""
    if report.read == 0:
        raise OpennessError(f"{what}: no records read; nothing was written")
    if report.imported == 0:
        raise OpennessError(f"{what}: none of the {report.read} records could be imported "
                            f"({'; '.join(f'{r}: {w}' for r, w in report.skipped[:3])}); nothing was written")


def _output_options(name: str):
    """--out FILE, or the maintainer's --update-bundled rewriting data/generated/<name> (see _target)."""

    def decorate(func):
        func = click.option("--update-bundled", is_flag=True,
                            help=f"Maintainers: rewrite the bundled data/generated/{name} (instead of --out).")(func)
        return click.option("--out", type=click.Path(path_type=Path), default=None,
                            help="Turtle file to write (a regular file; an existing one keeps its mode).")(func)

    return decorate


# The options of an import that writes one given file: --out (required) and the summary's --format.
required_out_option = click.option("--out", type=click.Path(path_type=Path), required=True, help="Turtle file to write.")
summary_format_option = click.option("--format", "fmt", type=click.Choice(("text", "json")), default="text",
                                     show_default=True, help="Summary format: text on stderr, or JSON on stdout.")


def _command(*parts: object) -> str:
    return "openness import " + " ".join(shlex.quote(str(p)) for p in parts if p is not None and p != "")


def _source_options(func):
    func = click.option("--retrieved", metavar="YYYY-MM-DD", default=None,
                        help="Date of the source snapshot (default: the checkout's last commit date).")(func)
    func = click.option("--commit", metavar="SHA", default=None,
                        help="Commit of the source checkout (default: from git, when PATH is a checkout).")(func)
    return summary_format_option(func)


def _import_records(importer, files, path: Path, out: Path, header: list[str], started: float, fmt: str) -> None:
    """Run a catalogue importer over its record files; write `out` only when a record was imported."""
    from ..importers.common import Graph, write_atomically

    g = Graph()
    importer.import_files(files, g, show_progress=fmt == "text")
    _require_records(importer.report, str(path))
    write_atomically(out, g.turtle(header))
    _finish(importer.report, out, started, fmt, importer.mapping, importer.unmapped)


def _finish(report, out: Path, started: float, fmt: str, mapping=None, unmapped=None) -> None:
    elapsed = round(time.monotonic() - started, 2)
    report.extra["out"] = str(out)
    report.extra["seconds"] = elapsed
    if mapping is not None:
        report.extra["normalised"] = dict(sorted(mapping.items()))
        report.extra["unmapped"] = dict(sorted(unmapped.items()))
    if fmt == "json":
        emit(to_json(report.as_dict()))
        return
    for warning in report.warnings:
        note(f"openness: warning: {warning}")
    if mapping:
        note("Licence names normalised (literal -> normalised):")
        for literal, target in sorted(mapping.items()):
            note(f"  {literal!r} -> {target}")
    if unmapped:
        note("Licence names left as written (no confident mapping):")
        for literal, count in sorted(unmapped.items()):
            note(f"  {literal!r} ({count}x)")
    note(f"{report.source}: {report.read} read, {report.imported} imported, {len(report.skipped)} skipped; "
         f"wrote {out} in {elapsed}s")


def register(cli: click.Group) -> None:
    """Add the `import` command group."""

    @cli.group("import")
    def import_group() -> None:
        """Import catalogues (EOSAI, MOF), licence lists (SPDX) and model cards as RDF files."""

    @import_group.command("eosai", epilog="\b\nExample:\n  openness import eosai ../shared/reference/eosai "
                                          "--retrieved 2026-06-12 --commit 5a388e8... --out eosai.ttl")
    @click.argument("path", type=click.Path(path_type=Path))
    @_output_options("eosai.ttl")
    @click.option("--with-notes", is_flag=True, help="Keep the index's free-text notes (not in the bundled snapshot).")
    @_source_options
    @guarded
    def import_eosai(path, out, update_bundled, with_notes, retrieved, commit, fmt) -> None:
        """Import the European Open Source AI Index (a checkout of its main-database) into Turtle."""
        from ..importers.common import Report, source_version
        from ..importers.eosai import EosaiImporter, eosai_header, eosai_provenance, record_files

        started = time.monotonic()
        if not path.is_dir():
            raise OpennessError(f"{path}: not a folder (expected a checkout of the index's main-database)")
        out = _target(out, update_bundled, "eosai.ttl")
        commit, retrieved = source_version(path, commit, retrieved)
        prov = eosai_provenance(commit, retrieved)
        importer = EosaiImporter(path, prov, Report("eosai"), with_notes=with_notes)
        cmd = _command("eosai", path, "--retrieved", retrieved, *(("--commit", commit) if commit else ()),
                       "--with-notes" if with_notes else None)
        _import_records(importer, record_files(path), path, out, eosai_header(cmd, prov), started, fmt)

    @import_group.command("mof", epilog="\b\nExample:\n  openness import mof ../shared/reference/mof "
                                        "--retrieved 2026-05-11 --commit 8b5d30e... --out mof.ttl")
    @click.argument("path", type=click.Path(path_type=Path))
    @_output_options("mof.ttl")
    @_source_options
    @guarded
    def import_mof(path, out, update_bundled, retrieved, commit, fmt) -> None:
        """Import Model Openness Tool records (a checkout, its models/ folder, or single files) into Turtle."""
        from ..importers.common import Report, source_version
        from ..importers.mof import MofImporter, mof_header, mof_provenance, record_files

        started = time.monotonic()
        out = _target(out, update_bundled, "mof.ttl")
        root, files = record_files(path)
        commit, retrieved = source_version(root, commit, retrieved)
        prov = mof_provenance(root, commit, retrieved)
        importer = MofImporter(root, prov, Report("mof"))
        cmd = _command("mof", path, "--retrieved", retrieved, *(("--commit", commit) if commit else ()))
        _import_records(importer, files, path, out, mof_header(cmd, prov, "Model Openness Tool records, as a snapshot."),
                        started, fmt)

    @import_group.command("mof-licences", epilog="\b\nExample:\n  openness import mof-licences "
                                                 "../shared/reference/mof --retrieved 2026-05-11 --out mof-licences.ttl")
    @click.argument("path", type=click.Path(path_type=Path))
    @_output_options("mof-licences.ttl")
    @_source_options
    @guarded
    def import_mof_licences(path, out, update_bundled, retrieved, commit, fmt) -> None:
        """Which licences the Model Openness Tool counts as open (oo:mofOpen), from its own lists."""
        from ..importers.common import Graph, Report, source_version, write_atomically
        from ..importers.mof import build_mof_licences, mof_header, mof_provenance

        started = time.monotonic()
        out = _target(out, update_bundled, "mof-licences.ttl")
        if not path.is_dir():
            raise OpennessError(f"{path}: no such folder (expected a checkout of the Model Openness Tool, "
                                "or its licenses/ folder)")
        root = path if (path / "licenses").is_dir() else path.parent
        if not (root / "licenses").is_dir():
            raise OpennessError(f"{path}: no licenses/ folder here (expected a checkout of the Model Openness Tool)")
        commit, retrieved = source_version(root, commit, retrieved)
        prov = mof_provenance(root, commit, retrieved)
        g = Graph()
        counts = build_mof_licences(root, g, prov)
        cmd = _command("mof-licences", path, "--retrieved", retrieved, *(("--commit", commit) if commit else ()))
        what = ("oo:mofOpen of the tool's licences: licenses.json, then mof-licenses.json replacing entries by id; "
                "open = OSI-approved or FSF-libre there, or an open data licence of docs/claims.md, or OpenMDW-1.0.")
        write_atomically(out, g.turtle(mof_header(cmd, prov, what)))
        report = Report("mof-licences", read=counts["licences"], imported=counts["licences"])
        report.extra["open"] = counts["open"]
        _finish(report, out, started, fmt)

    @import_group.command("spdx", epilog="\b\nExample:\n  openness import spdx --out licences.ttl\n  openness import spdx --update-bundled   # maintainers")
    @_output_options("spdx-licences.ttl")
    @summary_format_option
    @guarded
    def import_spdx(out, update_bundled, fmt) -> None:
        """Regenerate the SPDX licence list and ScanCode AI licence keys from the installed packages."""
        from ..importers.common import Report, write_atomically
        from ..importers.spdx import build_spdx, spdx_header

        started = time.monotonic()
        out = _target(out, update_bundled, "spdx-licences.ttl")
        g, counts = build_spdx()
        if counts["spdx"] + counts["scancode"] == 0:
            raise OpennessError("the installed licence lists hold no licence; nothing was written")
        cmd = _command("spdx", *(("--update-bundled",) if update_bundled else ("--out", out)))
        write_atomically(out, g.turtle(spdx_header(cmd)))
        report = Report("spdx", read=counts["spdx"] + counts["scancode"], imported=counts["spdx"] + counts["scancode"])
        report.extra.update(counts)
        _finish(report, out, started, fmt)

    @import_group.command("hf-card", epilog="\b\nExample:\n  openness import hf-card README.md --id org/model "
                                            "--retrieved 2026-06-01 --out model.ttl")
    @click.argument("path", type=click.Path(path_type=Path))
    @required_out_option
    @click.option("--id", "repo_id", default=None, metavar="ORG/NAME",
                  help="The model's Hugging Face repository id (default: the card's model-index name, "
                       "else the folder name).")
    @click.option("--retrieved", metavar="YYYY-MM-DD", required=True, help="The date the card was read.")
    @summary_format_option
    @click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                  help="RDF file or folder added to the bundled graph when resolving base_model. Repeatable.")
    @guarded
    def import_hf_card(path, out, repo_id, retrieved, fmt, data) -> None:
        """Describe a release from a Hugging Face model card's YAML front matter (nothing is downloaded).

        The card's base_model (a repository id) is resolved to the curated release stating it with
        oo:huggingFaceRepo and linked by oo:fineTunedFrom, or by the relation base_model_relation names
        (merge: oo:mergedFrom, quantized: oo:quantisedFrom, adapter: oo:fineTunedFrom)."""
        from ..graph.dataset import Dataset
        from ..importers.common import Report, source_version, write_atomically
        from ..importers.hfcard import base_resolver, card_to_graph, hf_header

        from ..files import check_output

        started = time.monotonic()
        check_output(out)
        _, retrieved = source_version(path, "-", retrieved)
        g, info = card_to_graph(path, repo_id, retrieved,
                                base_resolver(Dataset.load(data, include_generated=False)))
        cmd = _command("hf-card", path, *(("--id", repo_id) if repo_id else ()), "--retrieved", retrieved)
        write_atomically(out, g.turtle(hf_header(cmd, path, info)))
        report = Report("hf-card", read=1, imported=1)
        report.extra["not_stated"] = info["not_stated"]
        report.extra["project"] = info["project"]
        report.extra["base_models"] = info["base_models"]
        if fmt == "text":
            for base, found in info["base_models"].items():
                note(f"base_model {base}: " + (f"{info['base_relation']} {', '.join(found)}" if found else
                     "no curated release states this Hugging Face repository: its terms are unknown"))
            note(f"{info['project']}: the card does not state: {', '.join(info['not_stated']) or 'nothing checked'}")
        _finish(report, out, started, fmt)

    for kind, what in (("spdx-ai", "an SPDX 3.0 JSON-LD document (AI and Dataset profiles)"),
                       ("cyclonedx", "a CycloneDX 1.6 ML-BOM (JSON)")):
        _register_bom(import_group, kind, what)


def _register_bom(group: click.Group, kind: str, what: str) -> None:
    @group.command(kind, help=f"Describe a release from {what}, so claims can be checked on it "
                              "(`openness validate --file` does this conversion itself).",
                   epilog=f"\b\nExample:\n  openness import {kind} sbom.json --out release.ttl\n"
                          "  openness validate --file release.ttl --claim mof-class-3")
    @click.argument("path", type=click.Path(path_type=Path))
    @required_out_option
    @click.option("--retrieved", metavar="YYYY-MM-DD", default=None,
                  help="The date the BOM was read (default: the date the document says it was created).")
    @click.option("--source", metavar="URL", default=None, help="Where the BOM was published (default: the file).")
    @click.option("--data", "data", multiple=True, type=click.Path(path_type=Path),
                  help="RDF added to the bundled graph when resolving ancestors' Hugging Face ids. Repeatable.")
    @summary_format_option
    @guarded
    def import_bom(path, out, retrieved, source, data, fmt) -> None:
        from ..importers.common import Report, write_atomically
        from ..importers.sbom import convert, header

        started = time.monotonic()
        if not path.is_file():
            raise OpennessError(f"{path}: no such file")
        g, info = convert(path, kind, retrieved, source, data)
        cmd = _command(kind, path, *(("--retrieved", retrieved) if retrieved else ()),
                       *(("--source", source) if source else ()))
        write_atomically(out, g.turtle(header(cmd, path, info)))
        report = Report(kind, read=1, imported=1)
        report.extra.update({k: v for k, v in info.items() if k not in ("retrieved",)})
        _finish(report, out, started, fmt)

