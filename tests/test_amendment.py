"""The amendment (« Avenant n° N ») `build --against` writes beside the new version of a
signed DPA: each change as an article in contract form, numbered after the previous ones."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
import yaml
from conftest import ROOT, docx_text, run_cli
from docx_check import check_docx
from test_revisions import EXAMPLE, EXAMPLES, W, body, build, changed

from generator.library.changes import Clause, Version, changes


def amend(tmp_path: Path, edition: str, **edits: object) -> tuple[str, list[Path]]:
    """The amendment's text (no-break spaces as spaces) and every file written."""
    (signed,) = build(EXAMPLES[edition], tmp_path / "signed", edition)
    new = changed(tmp_path / "new.yaml", EXAMPLES[edition], **edits)
    out = tmp_path / "out"
    assert run_cli("build", new, "--against", signed, "--out", out) == 0
    written = sorted(out.glob("*.docx"))
    amendments = [p for p in written if p.name.startswith(("avenant-", "amendment-"))]
    text = docx_text(amendments[0]).replace("\u00a0", " ") if amendments else ""
    return text, written


def articles(text: str, marker: str) -> list[str]:
    """The paragraphs of Article 1 (« Modifications de l'Accord »): one per change."""
    body = text.split(marker, 1)[1]
    return [line for line in body.split("\n") if line.startswith(ARTICLE_STARTS)]


ARTICLE_STARTS = (
    "L'Article",
    "Il est",
    "Le tableau",
    "La ligne",
    "Dans l'",
    "Les articles",
    "Clause",
    "The following",
    "In ",
    "The Clauses",
)


def test_a_new_sub_processor_and_a_shorter_breach_delay_in_french(tmp_path: Path) -> None:
    text, written = amend(tmp_path, "fr")
    assert [p.name for p in written][-1] == "avenant-1-agendo-sante-fr.docx"
    flat = text.replace("\n", " ")
    assert flat.startswith(
        "Avenant n° 1 à l'accord intitulé « Accord de sous-traitance de données à caractère "
        "personnel » conclu le 12 janvier 2027 (réf. DAJ-2027-0142)"
    )
    # Article 23.3 (breaches before signature) refers to Article 14's delay: it is spent, and
    # no amendment restates it.
    breach, row = articles(text, "Modifications de l'Accord\n")
    assert breach.startswith("L'Article 14.1 de l'Accord est remplacé par la stipulation suivante")
    assert "douze (12) heures" in breach and "vingt-quatre" not in breach
    assert row.startswith(
        "Le tableau de l'Annexe IV de l'Accord est complété par la ligne suivante"
    )
    assert "Assistia" in row
    # Authorised from the amendment on, not since the start of the services.
    assert row.endswith(
        "Le Responsable du traitement autorise le recours à ce Sous-traitant ultérieur à "
        "compter de l'entrée en vigueur du présent Avenant."
    )
    assert "renumérotés" not in text


def test_the_same_in_english(tmp_path: Path) -> None:
    text, written = amend(tmp_path, "en")
    assert written[0].name == "amendment-1-transbio-sante-en.docx"
    changes_made = articles(text, "Amendments to the Agreement\n")
    assert len(changes_made) == 2
    assert changes_made[0].startswith(
        "Clause 13.1 of the Agreement is deleted and replaced with the following"
    )
    assert "twelve (12) hours" in changes_made[0]
    assert changes_made[1].startswith("The following row is added to Annex IV of the Agreement")


def test_the_same_side_by_side(tmp_path: Path) -> None:
    text, written = amend(tmp_path, "bilingual")
    assert written[-1].name == "avenant-1-agendo-sante-fr-en.docx"
    assert "Avenant n° 1 / Amendment No. 1" in text
    for words in (
        "L'Article 14.1 de l'Accord est remplacé",
        "Clause 14.1 of the Agreement is deleted and replaced",
        "Le tableau de l'Annexe IV de l'Accord est complété",
        "The following row is added to Annex IV",
    ):
        assert words in text


@pytest.mark.parametrize("edition", ["fr", "en", "bilingual"])
def test_every_file_passes_the_schema_and_integrity_check(tmp_path: Path, edition: str) -> None:
    _, written = amend(tmp_path, edition)
    assert len(written) == 3  # the new version, its redline, the amendment
    for path in written:
        assert check_docx(path) == [], path.name


def test_its_number_date_and_effect_follow_the_answers(tmp_path: Path) -> None:
    text, written = amend(
        tmp_path,
        "fr",
        **{
            "options.breach_notice_hours": 12,
            "amendment": {
                "date": dt.date(2027, 6, 3),
                "effective": dt.date(2027, 7, 1),
                "previous": [{"number": 1, "date": dt.date(2027, 3, 15)}],
            },
        },
    )
    assert written[-1].name == "avenant-2-agendo-sante-fr.docx"
    (redline,) = [p for p in written if p.name.endswith("-modifications-suivies.docx")]
    assert "Version consolidée intégrant l'avenant n° 2 du 3 juin 2027" in docx_text(redline)
    revisions = body(redline).iter(f"{W}ins", f"{W}del")
    assert {r.get(f"{W}date") for r in revisions} == {"2027-06-03T12:00:00Z"}
    flat = text.replace("\n", " ")
    assert "Avenant n° 2" in flat
    assert "L'Accord a été modifié par l'avenant n° 1 du 15 mars 2027." in flat
    assert "L'Avenant entre en vigueur le 1er juillet 2027." in flat
    assert "Version du 3 juin 2027" in flat


def test_a_removed_clause_is_deleted_and_the_others_renumbered(tmp_path: Path) -> None:
    text, _ = amend(tmp_path, "fr", **{"options.hospital.patient_app": False})
    changes_made = articles(text, "Modifications de l'Accord\n")
    assert changes_made == [
        "L'Article 13 de l'Accord (« Application destinée aux patients ») est supprimé.",
        "Les articles de l'Accord qui suivent un article inséré ou supprimé par le présent "
        "Article sont renumérotés en conséquence, et les renvois que l'Accord y fait "
        "s'entendent de leur nouveau numéro.",
    ]


def test_no_amendment_when_nothing_the_agreement_states_has_changed(tmp_path: Path) -> None:
    _, written = amend(tmp_path, "fr", **{"options.breach_notice_hours": 24})
    assert [p.name for p in written] == [
        "accord-sous-traitance-agendo-sante-fr-modifications-suivies.docx",
        "accord-sous-traitance-agendo-sante-fr.docx",
    ]


def _clause(id: str, *paragraphs: tuple[str, int], title: str = "T") -> Clause:
    return Clause(id, title, paragraphs)


def _version(*clauses: Clause) -> Version:
    return Version(clauses=clauses, annexes={})


def test_an_inserted_clause_follows_the_signed_clause_before_it() -> None:
    old = _version(_clause("a", ("x", 1)), _clause("c", ("z", 1)))
    new = _version(_clause("a", ("x", 1)), _clause("b", ("y", 1), ("i", 2)), _clause("c", ("z", 1)))
    (change,) = changes(old, new)
    assert (change.kind, change.number, change.after) == ("clause_inserted", "2", "1")
    assert change.paragraphs == ("2.1 y", "(a) i")


def test_a_clause_whose_sub_clauses_change_in_number_is_replaced_whole() -> None:
    old = _version(_clause("a", ("x", 1), ("y", 1)))
    new = _version(_clause("a", ("x", 1)))
    (change,) = changes(old, new)
    assert (change.kind, change.number, change.paragraphs) == ("clause_replaced", "1", ("1.1 x",))


def test_a_changed_item_replaces_its_sub_clause_with_its_items() -> None:
    old = _version(_clause("a", ("x", 1), ("y", 1), ("i", 2), ("j", 2)))
    new = _version(_clause("a", ("x", 1), ("y", 1), ("i", 2), ("k", 2)))
    (change,) = changes(old, new)
    assert (change.kind, change.number) == ("sub_clause_replaced", "1.2")
    assert change.paragraphs == ("y", "(a) i", "(b) k")


def test_annex_rows_added_replaced_and_removed_by_their_first_cell() -> None:
    def annex(*rows: tuple[str, str]) -> dict:
        return {
            "annexes": {
                "subs": {
                    "title": "Annex IV – Sub-processors",
                    "headers": ["Name", "Country"],
                    "table": [list(r) for r in rows],
                    "rows": [],
                    "paragraphs": [],
                }
            }
        }

    old = Version(clauses=(), **annex(("A", "FR"), ("B", "DE")))
    new = Version(clauses=(), **annex(("A", "BE"), ("C", "FR")))
    found = [(c.kind, c.label or c.row) for c in changes(old, new)]
    assert found == [
        ("row_replaced", "A"),
        ("row_added", "Name: C; Country: FR"),
        ("row_removed", "B"),
    ]


def test_the_amendment_library_is_checked_like_the_others() -> None:
    assert run_cli("check") == 0
    assert (ROOT / "templates" / "amendment.docx").exists()


def test_a_new_sub_processor_is_authorised_from_the_amendment_everywhere(tmp_path: Path) -> None:
    """The amendment, the redline and the consolidated version agree: the new sub-processor
    is authorised from the amendment's effect, not since the start of the services."""
    (signed,) = build(EXAMPLE, tmp_path / "signed", "fr")
    new = changed(tmp_path / "new.yaml")
    data = yaml.safe_load(new.read_text(encoding="utf-8"))
    data["amendment"] = {"date": dt.date(2027, 6, 3), "effective": dt.date(2027, 7, 1)}
    new.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "out"
    assert run_cli("build", new, "--against", signed, "--out", out) == 0
    row = "Assistia, 5 rue Lafayette, 31000 Toulouse (dpo@assistia.fr), autorisé à compter du "
    for path in out.glob("*.docx"):
        assert row + "1er juillet 2027" in docx_text(path).replace("\u00a0", " "), path.name
    (consolidated,) = out.glob("accord-*-fr.docx")
    assert "sauf pour ceux qu'un avenant autorise à compter de la date que leur ligne indique" in (
        docx_text(consolidated)
    )
    (amendment,) = out.glob("avenant-*.docx")
    assert docx.Document(str(amendment)).core_properties.title == "Avenant n° 1"
