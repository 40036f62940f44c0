"""The picture of the flows: drawn at build time above the protocol annex's Table 2 and the
DPA's description of the processing, with alternative text saying the same in words,
deterministic, absent when there is no flow, and matplotlib imported only to draw one."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, docx_text, run_cli
from docx_check import check_docx
from lxml import etree
from PIL import Image

from generator.answers.load import load_answers
from generator.answers.model import Language
from generator.legal.assessment import DocumentKind, assess
from generator.library.checks import check_loaded
from generator.library.load import default_library
from generator.library.plan import plan_document

EXAMPLES = ROOT / "examples"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def pictures(document: Path) -> list[tuple[dict[str, str], bytes]]:
    """Each picture in the body: its alternative text (wp:docPr's attributes) and its PNG."""
    with zipfile.ZipFile(document) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        out = []
        for inline in body.iter(f"{{{WP}}}inline"):
            properties = dict(inline.find(f"{{{WP}}}docPr").attrib)
            blip = next(inline.iter(f"{{{A}}}blip"))
            rid = blip.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
            )
            out.append((properties, package.read(f"word/{targets[rid]}")))
    return out


def build(example: str, out: Path, lang: str, only: str, *extra: str) -> list[Path]:
    assert run_cli("build", EXAMPLES / example, "--out", out, "--force", "--lang", lang,
                   "--only", only, *extra) == 0  # fmt: skip
    return sorted(out.glob("*.docx"))


def test_protocol_annex_pictures_its_flows_and_names_every_party(tmp_path: Path) -> None:
    (annex,) = build("research-observational-cro.yaml", tmp_path, "fr", "protocol-annex")
    ((alt, png),) = pictures(annex)
    assert png.startswith(b"\x89PNG")
    assert alt["title"] == "Schéma des flux de données de la recherche"
    answers = load_answers(EXAMPLES / "research-observational-cro.yaml")
    research = answers.research
    assert research is not None
    for flow in research.data_flows:
        for party in (flow.source, flow.recipient):
            assert answers.party(party).name in alt["descr"]
    assert "cahier d'observation électronique (eCRF)" in alt["descr"]
    assert check_docx(annex) == []


def test_snds_linkage_is_pictured_with_the_cnam(tmp_path: Path) -> None:
    (annex,) = build("research-snds-authorisation.yaml", tmp_path, "fr", "protocol-annex")
    ((alt, _),) = pictures(annex)
    assert "Caisse nationale de l'assurance maladie (CNAM)" in alt["descr"]
    assert "NIR" in alt["descr"]


def test_dpa_description_pictures_its_host_and_sub_processors(tmp_path: Path) -> None:
    example = EXAMPLES / "chu-teleconsultation.yaml"
    (dpa,) = build(example.name, tmp_path, "fr", "dpa")
    ((alt, png),) = pictures(dpa)
    answers = load_answers(example)
    assert answers.hosting is not None
    names = [answers.hosting.provider, *(s.name for s in answers.sub_processors)]
    assert names and all(name in alt["descr"] for name in names)
    assert "Pays-Bas" in alt["descr"]  # each country said, EEA or not
    # The picture sits in the description annex, between its title and its table.
    text = docx_text(dpa)
    assert text.index("Annexe II – Description du traitement") < text.index("Objet des Prestations")
    with Image.open(BytesIO(png)) as image:  # greys only: printed in black and white alike
        assert image.mode == "L"
        assert image.info.keys() <= {"dpi"}  # no software, time or other metadata
    assert check_docx(dpa) == []


def test_outside_the_eea_is_said(tmp_path: Path) -> None:
    (annex,) = build("research-us-sponsor.yaml", tmp_path, "en", "protocol-annex", "--draft")
    ((alt, _),) = pictures(annex)
    assert "Norwell Therapeutics, Inc. (United States, outside the EEA)" in alt["descr"]
    assert "storage outside the EEA: United States" in alt["descr"]


def test_bilingual_edition_has_one_picture_said_in_both_languages(tmp_path: Path) -> None:
    (annex,) = build("research-observational-cro.yaml", tmp_path, "bilingual", "protocol-annex")
    ((alt, _),) = pictures(annex)
    assert alt["title"] == (
        "Schéma des flux de données de la recherche / Diagram of the research data flows"
    )
    french, english = alt["descr"].split("\n")
    assert french.startswith("Schéma des flux") and english.startswith("Diagram of the")
    assert check_docx(annex) == []


def test_same_answers_same_picture_bytes(tmp_path: Path) -> None:
    """Two processes, the same answers: the same PNG, and so the same document."""
    runs = []
    for name in ("one", "two"):
        out = tmp_path / name
        subprocess.run(
            [sys.executable, "-m", "generator", "build", str(EXAMPLES / "research-drug-trial.yaml"),
             "--out", str(out), "--only", "protocol-annex,dpa", "--lang", "en", "--draft"],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        runs.append({p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))})
    assert len(runs[0]) > 1 and runs[0].keys() == runs[1].keys()
    for name, document in runs[0].items():
        assert [png for _, png in pictures(tmp_path / "one" / name)] == [
            png for _, png in pictures(tmp_path / "two" / name)
        ]
        assert document == runs[1][name], name


def test_no_flow_no_picture(tmp_path: Path) -> None:
    (annex,) = build("research-internal-study.yaml", tmp_path, "fr", "protocol-annex")
    assert pictures(annex) == []
    assert "Aucune donnée de la recherche n'est transmise" in docx_text(annex)
    assert check_docx(annex) == []


def _plan(example: str, kind: DocumentKind, library=None, language=Language.FR):
    answers = load_answers(EXAMPLES / example)
    assessment = assess(answers)
    due = next(d for d in assessment.documents if d.kind is kind)
    return plan_document(due, answers, assessment, library or default_library(), language)


def _with_diagram(kind: str, key: str, **changes: object):
    """The library, the diagram of one annex changed."""
    library = default_library()
    doc = library.documents[kind]
    annex = doc.texts.annexes[key]
    assert annex.diagram is not None
    diagram = annex.diagram.model_copy(update=changes)
    annexes = {**doc.texts.annexes, key: annex.model_copy(update={"diagram": diagram})}
    texts = doc.texts.model_copy(update={"annexes": annexes})
    documents = {**library.documents, kind: dataclasses.replace(doc, texts=texts)}
    return dataclasses.replace(library, documents=documents)


def test_many_centres_are_one_box_and_their_flows_one_arrow() -> None:
    """Over `collapse_over` centres, one box "N centres"; the same data each sends, one arrow."""
    spec = default_library().documents["protocol-annex"].texts.annexes["flows"].diagram
    assert spec is not None
    groups = [g.model_copy(update={"collapse_over": 3}) if g.collapse else g for g in spec.groups]
    library = _with_diagram("protocol-annex", "flows", groups=groups)
    plan = _plan("research-observational-cro.yaml", DocumentKind.PROTOCOL_ANNEX, library)
    diagram = plan.diagrams["flows"]
    centres = next(g for g in diagram.groups if g.title == "Centres investigateurs")
    assert [b.label for b in centres.boxes] == ["4 centres investigateurs"]
    to_cro = [a for a in diagram.arrows if a.data.startswith("données de la recherche")]
    assert len(to_cro) == 1
    assert len(to_cro[0].sources) == 2  # the sponsor, also a centre, and the four others


def test_an_arrow_to_a_box_no_group_holds_is_the_library_error() -> None:
    spec = default_library().documents["dpa"].texts.annexes["processing"].diagram
    assert spec is not None
    library = _with_diagram("dpa", "processing", groups=spec.groups[:2])
    with pytest.raises(Exception, match="no group holds"):
        _plan("chu-teleconsultation.yaml", DocumentKind.DPA, library)


def test_check_reads_the_diagram_words() -> None:
    spec = default_library().documents["dpa"].texts.annexes["processing"].diagram
    assert spec is not None
    group = spec.groups[0]
    label = group.label.model_copy(update={"fr": "{{ p.nmae }}"})
    groups = [group.model_copy(update={"label": label}), *spec.groups[1:]]
    problems = check_loaded(_with_diagram("dpa", "processing", groups=groups))
    assert any("diagram" in p and "p.nmae" in p for p in problems), problems


@pytest.mark.parametrize(
    "code",
    [
        "import generator.cli, generator.word.render, generator.pipeline",
        "import generator.interview.app",
    ],
)
def test_matplotlib_only_when_a_picture_is_drawn(code: str) -> None:
    check = f"{code}; import sys; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            cwd=ROOT, check=True)  # fmt: skip
    assert result.stdout.strip() == "False"


def test_help_imports_no_matplotlib() -> None:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "--help"],
                            capture_output=True, text=True, cwd=ROOT, check=True)  # fmt: skip
    assert "generator.cli" in result.stderr
    assert "matplotlib" not in result.stderr


def test_parallel_workers_draw_what_one_process_draws(tmp_path: Path) -> None:
    """Forked workers each open their own fonts (a font opened before the fork shares its file
    offset between them: "failed to load glyph")."""
    answers = yaml.safe_load((EXAMPLES / "chu-teleconsultation.yaml").read_text("utf-8"))
    folder = tmp_path / "answers"
    folder.mkdir()
    for i in range(6):
        answers["parties"][1]["name"] = f"Éditeur numéro {i}"
        (folder / f"vendor-{i}.yaml").write_text(yaml.safe_dump(answers, allow_unicode=True))
    drawn = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs-{jobs}"
        assert run_cli("build", folder, "--out", out, "--jobs", jobs, "--only", "dpa") == 0
        drawn[jobs] = {p.name: pictures(p) for p in sorted(out.glob("*.docx"))}
    assert len(drawn["1"]) == 6 and drawn["1"] == drawn["2"]
