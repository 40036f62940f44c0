"""The DPIA outline and its export to the CNIL's PIA software: built for every example where a
DPIA is due, in French and English; the three risks left for the team to assess; the measures
the answers give; the action plan the findings call for; an export the software imports."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL, ROOT, answers_with, docx_text

from generator.answers.languages import text_in
from generator.answers.load import load_answers
from generator.answers.model import Answers, Language, LawfulBasis
from generator.exports import exports
from generator.legal.assessment import ALL_RULES, Assessment, DocumentKind, assess
from generator.library.load import default_library
from generator.library.plan import plan_document
from generator.pipeline import Settings, build
from generator.word.bilingual import plan_bilingual
from generator.word.render import render

SKELETON = json.loads((ROOT / "tests" / "data" / "pia-example-structure.json").read_text("utf-8"))
# What the export leaves unset for the team, where the example has a value: the DPO's opinion,
# the persons' views, whether they were sought (the software's own "not given" is null).
UNSET = {"dpo_status", "concerned_people_status", "concerned_people_searched_opinion"}
TO_ASSESS = {Language.FR: "À évaluer par l'équipe", Language.EN: "To be assessed by the team"}
RISKS = {
    Language.FR: (
        "Accès illégitime à des données",
        "Modification non désirée de données",
        "Disparition de données",
    ),
    Language.EN: (
        "Illegitimate access to data",
        "Unwanted modification of data",
        "Disappearance of data",
    ),
}
LEVELS = {
    Language.FR: ("négligeable", "limitée", "importante", "maximale"),
    Language.EN: ("negligible", "limited", "significant", "maximum"),
}
# The action plan's row for each finding it answers (label in French and English).
ACTIONS = {
    "NO_ENCRYPTION": ("Chiffrement", "Encryption"),
    "NO_AUTHENTICATION": ("Authentification", "Authentication"),
    "HDS_NOT_CERTIFIED": ("Hébergement certifié", "Certified hosting"),
    "SNDS_SECURITY": ("Référentiel de sécurité du SNDS", "SNDS security framework"),
}


def _with_dpia(example: Path) -> bool:
    return any(d.kind is DocumentKind.DPIA for d in assess(load_answers(example)).documents)


DUE = [e for e in EXAMPLES if _with_dpia(e)]
CASES = [(e, language) for e in DUE for language in Language]


class Built:
    """One DPIA outline: its .docx, its text, its table rows, and its PIA export."""

    def __init__(self, answers: Answers, language: Language, out: Path):
        assessment = assess(answers)
        due = next(d for d in assessment.documents if d.kind is DocumentKind.DPIA)
        plan = plan_document(due, answers, assessment, default_library(), language)
        self.answers, self.language, self.assessment = answers, language, assessment
        self.docx = render(plan, answers)
        (name, self.json), *_ = exports(plan, answers, assessment)
        assert name == plan.filename.removesuffix(".docx") + ".json"
        out.mkdir(parents=True, exist_ok=True)
        path = out / plan.filename
        path.write_bytes(self.docx)
        self.text = docx_text(path).replace("\u00a0", " ")
        self.document = docx.Document(str(path))
        self.export: dict[str, Any] = json.loads(self.json)

    def table(self, first_cell: str, headed: bool = True) -> list[list[str]]:
        """The rows of the table whose first cell is given, its header row left out."""
        for table in self.document.tables:
            rows = [[c.text.replace("\u00a0", " ") for c in r.cells] for r in table.rows]
            if rows and rows[0][0] == first_cell:
                return rows[1:] if headed else rows
        raise AssertionError(f"no table starting {first_cell!r}")


@cache
def _built(example: Path, language: Language, out: Path) -> Built:
    return Built(load_answers(example), language, out / f"{example.stem}-{language.value}")


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("dpia")


def test_examples_are_due() -> None:
    """Health data in care, every research route, an internal study of patients' health
    data: each example holds one (none is left out by a typo in this test)."""
    assert DUE == EXAMPLES


@pytest.mark.parametrize(("example", "language"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_three_risks_left_to_assess(example: Path, language: Language, out: Path) -> None:
    built = _built(example, language, out)
    for risk in RISKS[language]:
        assert risk in built.text
    # Each risk's severity and likelihood paragraph says the team assesses it, and the map too.
    word = {Language.FR: ("Gravité", "Vraisemblance"), Language.EN: ("Severity", "Likelihood")}
    heads = tuple(f"{w}{c}" for w in word[language] for c in (" :", ":"))
    lines = [line for line in built.text.split("\n") if line.startswith(heads)]
    assert len(lines) == 6
    for line in lines:
        assert line.split(":", 1)[1].strip().startswith(TO_ASSESS[language])
    rows = built.table({Language.FR: "Risque", Language.EN: "Risk"}[language])
    assert [r[0] for r in rows] == list(RISKS[language])
    assert all(r[1:] == [TO_ASSESS[language]] * 2 for r in rows)
    # No level is ever chosen: the scale appears only as the list the team chooses from.
    for level in LEVELS[language]:
        chosen = re.findall(
            rf"(?:Gravité|Vraisemblance|Severity|Likelihood) ?: {level}", built.text
        )
        assert not chosen


@pytest.mark.parametrize(("example", "language"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_measures_are_the_answers(example: Path, language: Language, out: Path) -> None:
    built = _built(example, language, out)
    given = [_plain(text_in(m.description, language)) for m in built.answers.security_measures]
    rows = built.table({Language.FR: "Catégorie", Language.EN: "Category"}[language])
    assert [r[1] for r in rows] == given
    # Table 1's measures first, then the action plan's steps as planned measures.
    contents = [_plain(m["content"]) for m in built.export["measures"]][: len(given)]
    for content, description in zip(contents, given, strict=True):
        assert content.startswith(f"<p>{_escaped(description)}</p>")


@pytest.mark.parametrize(("example", "language"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_action_plan_follows_the_findings(example: Path, language: Language, out: Path) -> None:
    built = _built(example, language, out)
    labels = [r[0] for r in built.table(_plan_header(built), headed=False)]
    codes = {f.code for f in built.assessment.findings}
    for code, words in ACTIONS.items():
        assert (words[language is Language.EN] in labels) == (code in codes), code


def test_action_plan_names_the_security_gaps(tmp_path: Path) -> None:
    """Without an encryption or an authentication measure, the plan says to add them."""
    answers = answers_with(
        MINIMAL, security_measures=[{"category": "logging", "description": "Journaux"}]
    )
    codes = {f.code for f in assess(answers).findings}
    assert {"NO_ENCRYPTION", "NO_AUTHENTICATION"} <= codes
    for language in Language:
        built = Built(answers, language, tmp_path / language.value)
        labels = [r[0] for r in built.table(_plan_header(built), headed=False)]
        assert ACTIONS["NO_ENCRYPTION"][language is Language.EN] in labels
        assert ACTIONS["NO_AUTHENTICATION"][language is Language.EN] in labels


def test_action_plan_codes_are_findings() -> None:
    """Every finding code the outline's text tests is one the assessment can raise: a
    misspelt code would leave its action out silently."""
    folder = ROOT / "clauses" / "dpia"
    text = "".join(f.read_text("utf-8") for f in sorted(folder.glob("*.yaml")))
    codes = set(re.findall(r"'([A-Z0-9_]+)' in findings", text))
    assert codes and codes <= set(ALL_RULES)
    assert set(ACTIONS) <= codes


@pytest.mark.parametrize(("example", "language"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_export_matches_the_pia_example(example: Path, language: Language, out: Path) -> None:
    export = _built(example, language, out).export
    structure = SKELETON["structure"]
    _matches(export["pia"], structure["pia"], "pia", unset=UNSET)
    for name in ("answers", "measures"):
        assert export[name], name
        for item in export[name]:
            _matches(item, structure[name]["__items__"], name)
    assert export["evaluations"] == [] and export["comments"] == []


@pytest.mark.parametrize(("example", "language"), CASES, ids=lambda v: getattr(v, "stem", v))
def test_export_says_what_the_document_says(example: Path, language: Language, out: Path) -> None:
    """Every question of the software answered once; risks' lists from the outline's items,
    the measures they name among the export's; severity and likelihood unset."""
    built = _built(example, language, out)
    answers = {a["reference_to"]: a["data"] for a in built.export["answers"]}
    assert len(answers) == len(built.export["answers"]) == 36
    titles = {m["title"] for m in built.export["measures"]}
    for risk in (32, 33, 34):
        for question in (1, 2, 3):
            items = answers[risk * 10 + question]["list"]
            assert items and all(_plain(i) in built.text for i in items)
        assert set(answers[risk * 10 + 4]["list"]) <= titles
        for question in (5, 6):
            data = answers[risk * 10 + question]
            assert data["gauge"] == 0 and TO_ASSESS[language] in data["text"]
    overview = answers[111]["text"]
    assert _plain(built.export["pia"]["name"]) in built.text
    assert _plain(re.sub("<[^>]+>", "", overview))[:80] in built.text


@pytest.mark.parametrize("language", list(Language))
def test_builds_are_byte_identical(language: Language, tmp_path: Path) -> None:
    example = ROOT / "examples" / "research-drug-trial.yaml"
    first = Built(load_answers(example), language, tmp_path / "1")
    second = Built(load_answers(example), language, tmp_path / "2")
    assert first.docx == second.docx and first.json == second.json


def test_bilingual_edition_has_no_export() -> None:
    """The software holds one language: the side-by-side edition's outline has no export,
    each single-language edition has its own."""
    answers = load_answers(ROOT / "examples" / "chu-teleconsultation.yaml")
    assessment = assess(answers)
    due = next(d for d in assessment.documents if d.kind is DocumentKind.DPIA)
    plan = plan_bilingual(due, answers, assessment, default_library())
    assert render(plan, answers) and exports(plan, answers, assessment) == []


def test_no_dpia_when_none_is_due(tmp_path: Path) -> None:
    """Care without health data: no outline, no export."""
    answers = answers_with(MINIMAL, processing__data_categories=["identification"])
    assessment: Assessment = assess(answers)
    assert DocumentKind.DPIA not in {d.kind for d in assessment.documents}
    outcome = build(answers, "answers.yaml", Settings(out=tmp_path))
    assert outcome.documents
    names = [p.name for p in tmp_path.iterdir()]
    assert not any(n.startswith(("analyse-impact", "dpia")) for n in names)
    assert not any(n.endswith(".json") for n in names)


def test_build_writes_the_export(tmp_path: Path) -> None:
    """`clausier build` writes the .json beside the outline."""
    answers = yaml.safe_load(MINIMAL)
    outcome = build(Answers.model_validate(answers), "a.yaml", Settings(out=tmp_path))
    names = sorted(p.name for p in outcome.documents)
    outline = next(n for n in names if n.startswith("analyse-impact"))
    assert outline.removesuffix(".docx") + ".json" in names


def _plan_header(built: Built) -> str:
    """The action plan is a label/value table, which always holds the risk assessment's row:
    its first row is its first action."""
    for table in built.document.tables:
        labels = [row.cells[0].text for row in table.rows]
        if {"Évaluation des risques", "Risk assessment"} & set(labels):
            return labels[0]
    raise AssertionError("no action plan")


def _matches(value: dict[str, Any], shape: dict[str, Any], where: str, unset=frozenset()) -> None:
    """Every key of the example's skeleton, with one of its types (an unset key: null)."""
    missing = set(shape) - set(value)
    assert not missing, f"{where}: missing {sorted(missing)}"
    extra = set(value) - set(shape)
    assert not extra, f"{where}: not in the example {sorted(extra)}"
    for key, expected in shape.items():
        if isinstance(expected, dict):
            assert isinstance(value[key], dict), f"{where}.{key}"
            if expected:
                _matches(value[key], expected, f"{where}.{key}")
            continue
        allowed = set(expected.split("|")) | ({"null"} if key in unset else set())
        assert _type(value[key]) in allowed, f"{where}.{key}: {_type(value[key])}"


def _type(value: object) -> str:
    if value is None:
        return "null"
    return {bool: "bool", int: "int", str: "str", list: "list", dict: "dict"}[type(value)]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def _example(stem: str, language: Language, out: Path) -> Built:
    return _built(ROOT / "examples" / f"{stem}.yaml", language, out)


def _flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _section(built: Built, start: str, end: str) -> str:
    """The outline's text from one paragraph's lead-in to the next's."""
    text = _flat(built.text)
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.mark.parametrize("language", list(Language), ids=lambda x: x.value)
def test_the_sponsors_own_host_is_named_with_the_processors(language: Language, out: Path) -> None:
    """CROHNIX-2's safety reports are stored in the sponsor's pharmacovigilance database,
    hosted in Dublin by Liffey Cloud Services: the outline names that host with the
    processors (responsibilities, processors, supporting assets) and among the systems the
    access and disappearance risks threaten, in the Word document and the export alike."""
    built = _example("research-drug-trial", language, out)
    heads = {
        Language.FR: ("Responsabilités.", "Cadre juridique", "Sous-traitance.", "Transferts hors"),
        Language.EN: ("Responsibilities.", "Legal framework", "Processors.", "Transfers outside"),
    }[language]
    assert "Liffey Cloud Services" in _section(built, heads[0], heads[1])
    assert "Liffey Cloud Services" in _section(built, heads[2], heads[3])
    answers = {a["reference_to"]: a["data"] for a in built.export["answers"]}
    for question in (112, 123, 226):
        assert "Liffey Cloud Services" in answers[question]["text"], question
    for threats in (322, 342):
        assert any("Liffey Cloud Services" in item for item in answers[threats]["list"])


OBJECTION = {
    Language.FR: (
        "article 21, paragraphes 1 et 6, du RGPD",
        "motifs légitimes et impérieux",
        "L'opposition ne s'étend pas aux traitements de vigilance",
        "article 28, paragraphe 3, du règlement (UE) n° 536/2014",
        "sauf lorsqu'il est nécessaire à l'exécution d'une mission d'intérêt public",
    ),
    Language.EN: (
        "Article 21(1) and (6) GDPR",
        "compelling legitimate grounds",
        "Objection does not reach the vigilance processing",
        "Article 28(3) of Regulation (EU) No 536/2014",
        "save where it is necessary for the performance of a task carried out in the public",
    ),
}


@pytest.mark.parametrize("language", list(Language), ids=lambda x: x.value)
def test_objection_follows_the_lawful_basis(language: Language, out: Path, tmp_path: Path) -> None:
    """A trial on the sponsor's legitimate interests: objection on grounds of one's situation
    (Art. 21(1) and (6)), overridden only by compelling grounds — not the public-interest
    exception, which belongs to a study on a public task; vigilance, on a legal obligation,
    out of its reach; data collected before withdrawal still used (Reg. 536/2014 art. 28(3)).
    The same trial on a public task keeps the exception."""
    granted, compelling, vigilance, trial, public = OBJECTION[language]
    built = _example("research-drug-trial", language, out)
    answer = {a["reference_to"]: a["data"] for a in built.export["answers"]}[225]["text"]
    for text in (_flat(built.text), _flat(answer)):
        assert granted in text and compelling in text and vigilance in text and trial in text
        assert public not in text
    answers = load_answers(ROOT / "examples" / "research-drug-trial.yaml")
    public_task = answers.research.model_copy(update={"lawful_basis": LawfulBasis.PUBLIC_INTEREST})
    study = Built(answers.model_copy(update={"research": public_task}), language, tmp_path)
    assert public in _flat(study.text) and compelling not in _flat(study.text)


def test_a_sponsor_alone_holding_the_key_answers_access_itself(out: Path) -> None:
    """BARIA-SNDS: the hospital is sponsor, only centre and holder of the key table: requests
    go to it, not through an investigator hiding identities from the sponsor; in a study with
    other centres, the sponsor's own patients apply to it directly."""
    access = _section(
        _example("research-snds-authorisation", Language.FR, out),
        "Droits d'accès et à la portabilité.",
        "Droits de rectification",
    )
    assert "sans que leur identité soit révélée au promoteur" not in access
    assert "qui détient la table de correspondance" in access
    assert "délégué à la protection des données de l'établissement" in access
    multi = _section(
        _example("research-observational-cro", Language.FR, out),
        "Droits d'accès et à la portabilité.",
        "Droits de rectification",
    )
    assert "sans que leur identité soit révélée au promoteur, sauf pour les personnes" in multi


@pytest.mark.parametrize("language", list(Language), ids=lambda x: x.value)
def test_a_measure_naming_nobody_is_not_given_to_the_processors(
    language: Language, out: Path
) -> None:
    """Table 1: a measure the answers attribute to no party is the controller's or its
    processors', as the case may be — never "each processor" outright; with no processor,
    the caption cites no processing agreement."""
    built = _example("research-snds-authorisation", language, out)
    rows = built.table({Language.FR: "Catégorie", Language.EN: "Category"}[language])
    assert any(not m.parties for m in built.answers.security_measures)
    for _, _, who in rows:
        assert "Chaque sous-traitant" not in who and "Each processor" not in who
    undesignated = {
        Language.FR: "Responsable du traitement ou sous-traitants, selon le cas (à préciser)",
        Language.EN: "Controller or processors, as the case may be (to be stated)",
    }[language]
    assert any(who == undesignated for _, _, who in rows)
    internal = _flat(_example("research-internal-study", language, out).text)
    assert "annexe III" not in internal and "Annex III" not in internal


def test_the_key_tables_retention_is_stated(out: Path) -> None:
    """BARIA-SNDS: the answers say how long the hospital keeps the key table; the data
    section and the retention principle say it."""
    text = _flat(_example("research-snds-authorisation", Language.FR, out).text)
    kept = "le CHU conserve la table de correspondance entre numéro d'étude et identité"
    assert text.count(kept) == 2


# The open steps each example's action plan lists (French labels, then English).
STEPS = {
    "chu-teleconsultation": (
        ("Prestations commencées avant la signature", "Services started before signature"),
        ("Base juridique à déterminer", "Lawful basis to settle"),
        ("Information des personnes", "Informing data subjects"),
    ),
    "research-drug-trial": (
        ("Déclaration de conformité", "Declaration of conformity"),
        ("Suivi des transferts", "Review of the transfers"),
    ),
    "research-us-sponsor": (
        ("Déclaration de conformité", "Declaration of conformity"),
        ("Suivi des transferts", "Review of the transfers"),
    ),
    "research-snds-authorisation": (
        ("Autorisation de la CNIL", "CNIL authorisation"),
        ("Répertoire public des études", "Public directory of studies"),
    ),
}


@pytest.mark.parametrize("example", sorted(STEPS))
@pytest.mark.parametrize("language", list(Language), ids=lambda x: x.value)
def test_action_plan_lists_the_open_formalities(
    example: str, language: Language, out: Path
) -> None:
    """The action plan lists what the assessment's facts leave open — the care controller's
    lawful basis and notice, services begun before the DPA, the declaration of conformity to
    file, the transfers to review, the CNIL's pending decision, the HDH directory — and the
    export carries the whole plan as planned measures, word for word."""
    built = _example(example, language, out)
    rows = built.table(_plan_header(built), headed=False)
    labels = [r[0] for r in rows]
    for words in STEPS[example]:
        assert words[language is Language.EN] in labels
    plan = {Language.FR: "Plan d'action", Language.EN: "Action plan"}[language]
    planned = {
        m["title"]: m["content"] for m in built.export["measures"] if m["title"].startswith(plan)
    }
    assert list(planned) == [f"{plan} – {label}" for label in labels]
    for (label, value), content in zip(rows, planned.values(), strict=True):
        assert _flat(re.sub("<[^>]+>", "", content)) == _flat(_escaped(value)), label
    others = {"research-snds-authorisation", "chu-teleconsultation"} - {example}
    for other in others:
        for words in STEPS[other]:
            if words not in STEPS[example]:
                assert words[language is Language.EN] not in labels, (example, words)
