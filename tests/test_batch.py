"""Batch builds: several answers files, a folder, a parties table; parallel jobs; failures
reported together at the end without stopping the others."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli, write

from generator.batch import Job, _ProgressBar, run_job
from generator.pipeline import Outcome, Settings

DPA = ROOT / "examples" / "chu-teleconsultation.yaml"
RESEARCH = ROOT / "examples" / "research-observational-cro.yaml"
# Batches of vendors' files or of table rows are about their agreements, one per file or row:
# they build those only, not the pack (record, DPIA) each set carries along.
ONLY_DPA = ("--only", "dpa")


def vendors(folder: Path, count: int) -> list[Path]:
    data = yaml.safe_load(DPA.read_text("utf-8"))
    files = []
    for i in range(count):
        data["parties"][1]["name"] = f"Éditeur {i}"
        files.append(write(folder / f"vendor-{i}.yaml", yaml.safe_dump(data, allow_unicode=True)))
    return files


def test_a_folder_builds_every_answers_file_in_parallel(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    vendors(folder, 6)
    assert run_cli("build", folder, "--out", tmp_path / "two", "--jobs", "2", *ONLY_DPA) == 0
    assert (
        run_cli(
            "build", *sorted(folder.iterdir()), "--out", tmp_path / "one", "--jobs", "1", *ONLY_DPA
        )
        == 0
    )
    built = sorted(p.name for p in (tmp_path / "two").iterdir())
    assert built == [f"accord-sous-traitance-editeur-{i}-fr.docx" for i in range(6)]
    for name in built:  # parallel or not, the same bytes
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "answers"
    folder.mkdir()
    vendors(folder, 3)
    write(folder / "broken.yaml", "parties: [\n")
    blocked = yaml.safe_load(DPA.read_text("utf-8"))
    blocked["hosting"]["hds_certified"] = False
    write(folder / "blocked.yaml", yaml.safe_dump(blocked, allow_unicode=True))
    status = run_cli("build", folder, "--out", tmp_path / "out", "--jobs", "2", *ONLY_DPA)
    assert status == 2  # the worst: bad input
    assert len(list((tmp_path / "out").iterdir())) == 3
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 3
    err = captured.err.splitlines()
    # What the built ones' assessment found comes first; the failures close the output.
    summary = err.index("clausier: 3 of 5 built, 2 failed:")
    assert all(
        " built; the assessment found:" in line or line.startswith("  [") for line in err[:summary]
    )
    assert err[summary + 1].startswith(f"  {folder / 'blocked.yaml'}: blocking findings")
    assert any(line.startswith(f"  {folder / 'broken.yaml'}:2: malformed YAML") for line in err)


def test_blocked_is_exit_1_when_nothing_else_failed(tmp_path: Path) -> None:
    vendors(tmp_path, 1)
    blocked = yaml.safe_load(DPA.read_text("utf-8"))
    blocked["hosting"]["hds_certified"] = False
    write(tmp_path / "blocked.yaml", yaml.safe_dump(blocked, allow_unicode=True))
    files = [tmp_path / "vendor-0.yaml", tmp_path / "blocked.yaml"]
    assert run_cli("build", *files, "--out", tmp_path / "out") == 1


def test_an_empty_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("build", tmp_path, "--out", tmp_path / "out") == 2
    assert "no answers file" in capsys.readouterr().err


VENDORS_CSV = """\
name;legal_form;address;signatory.name;signatory.title;dpo.email;hosting.provider;reference
Doctoweb;SAS;"12 rue de Rivoli
75001 Paris";Mme Anne Roy;Présidente;dpo@doctoweb.fr;Doctoweb;DPA-DW-01
Médi&Co <SAS>;SARL;3 quai Perrache, 69002 Lyon;M. Paul Roux;Gérant;;Médi&Co <SAS>;
"""


def test_one_dpa_per_row_of_a_parties_table(tmp_path: Path) -> None:
    table = write(tmp_path / "vendors.csv", VENDORS_CSV)
    out = tmp_path / "out"
    assert run_cli("build", DPA, "--parties", table, "--out", out, *ONLY_DPA) == 0
    first, second = sorted(out.iterdir())
    assert first.name == "accord-sous-traitance-doctoweb-fr.docx"
    text = docx_text(first)
    assert "12 rue de Rivoli\n75001 Paris" in text and "Mme Anne Roy" in text
    assert "DPA-DW-01" in text  # a section's field: the reference
    assert "Agendo Santé" not in text  # the vendor of the answers file is replaced throughout
    text = docx_text(second)
    assert "Médi&Co <SAS>" in text
    # An empty cell keeps the answers file's value: Agendo Santé's DPO.
    assert "dpo@agendo-sante.fr" in text


def test_parties_table_in_yaml_with_commas_or_tabs(tmp_path: Path) -> None:
    rows = [{"name": "Clinique A", "signatory": {"name": "Dr A"}}, {"name": "Clinique B"}]
    table = write(tmp_path / "t.yaml", yaml.safe_dump(rows, allow_unicode=True))
    assert run_cli("build", DPA, "--parties", table, "--out", tmp_path / "yaml", *ONLY_DPA) == 0
    assert len(list((tmp_path / "yaml").iterdir())) == 2
    for delimiter in ",\t":
        table = write(tmp_path / "t.csv", f"name{delimiter}legal_form\nClinique C{delimiter}SAS\n")
        out = tmp_path / f"csv{ord(delimiter)}"
        assert run_cli("build", DPA, "--parties", table, "--out", out, *ONLY_DPA) == 0
        assert [p.name for p in out.iterdir()] == ["accord-sous-traitance-clinique-c-fr.docx"]


def test_one_dpa_per_investigating_centre(tmp_path: Path) -> None:
    """--vary names the party the rows replace; only the documents concerning it are built."""
    table = write(tmp_path / "centres.csv", "name,address\nCH de Vierzon,1 rue X 18100 Vierzon\n")
    out = tmp_path / "out"
    vary = ("--vary", "ch-blois-sologne")
    assert run_cli("build", RESEARCH, "--parties", table, *vary, "--out", out, *ONLY_DPA) == 0
    (document,) = out.iterdir()
    assert "CH de Vierzon" in docx_text(document)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            "name,dpo.email\nA,dpo@a.fr\nB,not-an-email\n",
            "t.csv:3: dpo.email: 'not-an-email' is not an e-mail address",
        ),
        ("name,colour\nA,blue\n", "t.csv:2: colour: unknown field"),
        ("name,hosting.storage_country\nA,XX\n", "t.csv:2: hosting.storage_country: 'XX' is"),
        ("id,name\nx,A\n", "t.csv:2: id: a row replaces a party's details; its id stays"),
        ("name,name\nA,B\n", "t.csv:1: name: each column needs a distinct name"),
        ("name\nA,B\n", "t.csv:2: 2 cells for 1 columns"),
        ("name\n", "t.csv: the table has no rows"),
    ],
)
def test_table_errors_name_the_line_and_the_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str, expected: str
) -> None:
    path = write(tmp_path / "t.csv", table)
    status = run_cli("build", DPA, "--parties", path, "--out", tmp_path / "out", "--lang", "en")
    assert status == 2
    assert expected in capsys.readouterr().err


def test_yaml_table_errors_name_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = write(tmp_path / "t.yaml", "- name: A\n- name: B\n  signatory:\n    name: ''\n")
    assert run_cli("build", DPA, "--parties", table, "--out", tmp_path / "out") == 2
    assert f"{table}:4: signatory.name: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["--vary", "x"], "clausier: --vary: only with --parties TABLE"),
        (["--parties", "t.csv", "--vary", "nobody"], "--vary nobody: no such party"),
        ([DPA, "--parties", "t.csv"], "clausier: --parties: goes with exactly one answers file"),
        (["--jobs", "0"], "expected a number of processes, not '0'"),
    ],
)
def test_misused_options_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list, expected: str
) -> None:
    write(tmp_path / "t.csv", "name\nA\n")
    arguments = [tmp_path / a if a == "t.csv" else a for a in arguments]
    try:
        status = run_cli("build", DPA, *arguments, "--out", tmp_path / "out")
    except SystemExit as exit_:  # argparse's own checks
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1


def test_research_table_needs_vary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = write(tmp_path / "t.csv", "name\nA\n")
    assert run_cli("build", RESEARCH, "--parties", table, "--out", tmp_path / "out") == 2
    assert "name it with --vary ID" in capsys.readouterr().err


def test_progress_bar_counts_to_the_end() -> None:
    stream = io.StringIO()
    bar = _ProgressBar(4, width=8, stream=stream)
    for _ in range(4):
        bar.advance()
    assert "[████░░░░] 2/4" in stream.getvalue()
    assert "[████████] 4/4" in stream.getvalue()
    bar.done()
    assert stream.getvalue().endswith("\r")


def test_two_files_for_the_same_document_are_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --force, the second would silently replace the first: it is reported instead."""
    first, second = vendors(tmp_path, 1)[0], tmp_path / "copy.yaml"
    second.write_bytes(first.read_bytes())
    status = run_cli("build", first, second, "--out", tmp_path / "out", "--force")
    assert status == 2
    err = capsys.readouterr().err
    assert "1 of 2 built, 1 failed" in err and f"also built from {first}" in err


def test_ctrl_c_stops_a_parallel_batch_cleanly(tmp_path: Path) -> None:
    """Interrupted mid-way: exit 130, no traceback, and every file written is whole."""
    import signal
    import subprocess
    import sys
    import time
    import zipfile

    folder = tmp_path / "answers"
    folder.mkdir()
    vendors(folder, 60)
    out = tmp_path / "out"
    build = ["build", folder, "--out", out, "--jobs", "2", *ONLY_DPA]
    command = [sys.executable, "-m", "generator", *build]
    # As from a terminal: a shell without job control starts background commands with Ctrl+C
    # ignored, and Python keeps ignoring it (a CI script run with `&` did: exit 0, not 130).
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while not (out.exists() and any(out.glob("*.docx"))) and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.decode().strip().splitlines()[-1] == "clausier: interrupted"
    assert "Traceback" not in err.decode()
    written = list(out.iterdir())
    assert 0 < len(written) < 60
    for document in written:
        assert document.suffix == ".docx"  # no temporary file left
        assert zipfile.ZipFile(document).testzip() is None


def _dies_on_the_second(job: Job, settings: Settings) -> Outcome:
    if job.source.endswith("vendor-1.yaml"):
        os._exit(9)  # a worker killed outright (out of memory, kill -9)
    return run_job(job, settings)


def test_a_worker_that_dies_is_a_failure_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import generator.batch

    monkeypatch.setattr(generator.batch, "run_job", _dies_on_the_second)
    vendors(tmp_path, 3)
    status = run_cli("build", tmp_path, "--out", tmp_path / "out", "--jobs", "2", *ONLY_DPA)
    assert status == 2
    err = capsys.readouterr().err
    assert "failed:" in err and "the process building it stopped" in err
    assert "Traceback" not in err


def test_an_invalid_answers_file_is_named_once_not_per_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = yaml.safe_load(DPA.read_text("utf-8"))
    data["processing"]["purposes"] = []
    answers = write(tmp_path / "dpa.yaml", yaml.safe_dump(data, allow_unicode=True))
    table = write(tmp_path / "t.csv", "name\nA\nB\n")
    vary = ("--vary", "agendo-sante")  # validated even when the party is named
    assert run_cli("build", answers, "--parties", table, *vary, "--out", tmp_path / "out") == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"clausier: {answers}:")
    assert "processing.purposes" in err[0]
