"""Issue 14 item 6: a mistaken answers file gets every mistake said at once, each on its own
line (file:line: field: message), in the interface language, with the field or the choice most
likely meant; nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINIMAL, run_cli, write

from generator.answers.load import load_answers
from generator.errors import InputError, InputErrors

NBSP = "\u00a0"

# Three mistakes: a misspelt field (retension), a wrong choice (helth), a missing field (the
# vendor's legal_form).
THREE = (
    MINIMAL.replace("  retention:", "  retension:")
    .replace(
        "data_categories: [identification, health]", "data_categories: [identification, helth]"
    )
    .replace("    legal_form: SAS\n", "")
)


def _line(text: str, start: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith(start))


LINES = {
    "parties[1].legal_form": _line(THREE, "  - id: vendor"),  # the party that lacks it
    "processing.data_categories[1]": _line(THREE, "  data_categories:"),
    "processing.retension": _line(THREE, "  retension:"),
}


def _mistakes(err: str, file: Path) -> dict[str, str]:
    """The lines of `err` naming a place in `file`: {'file:line: field': message}."""
    found = {}
    for line in err.splitlines():
        if re.match(rf"{re.escape(str(file))}:\d", line.strip()):
            where, _, message = line.strip().partition(": ")
            field, _, message = message.partition(": ")
            found[f"{where}: {field}"] = message
    return found


@pytest.mark.parametrize("command", ["build", "assess"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_three_mistakes_three_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, language: str
) -> None:
    answers = write(tmp_path / "a.yaml", THREE)
    out = ("--out", tmp_path / "out") if command == "build" else ()
    assert run_cli(command, answers, *out, "--lang", language) == 2
    err = capsys.readouterr().err
    mistakes = _mistakes(err, answers)
    assert sorted(mistakes) == sorted(f"{answers}:{n}: {field}" for field, n in LINES.items())
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing written
    heading = {"en": "3 mistakes to correct:", "fr": f"3 erreurs à corriger{NBSP}:"}[language]
    assert err.startswith(f"clausier: {answers}") and heading in err.splitlines()[0]
    said = " ".join(mistakes.values())
    if language == "en":
        assert "required field missing" in said
        assert "unknown field; did you mean 'retention'?" in said
        assert "'helth' is not one of the choices; did you mean 'health'?" in said
        assert "health — data concerning health" in said
    else:
        assert "champ obligatoire absent" in said
        assert f"champ inconnu{NBSP}; vouliez-vous dire «{NBSP}retention{NBSP}»{NBSP}?" in said
        assert f"vouliez-vous dire «{NBSP}health{NBSP}»{NBSP}?" in said
        assert "health — données concernant la santé" in said
        assert "required" not in said and "unknown" not in said


def test_the_locale_chooses_the_language_without_lang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = write(tmp_path / "a.yaml", THREE)
    for variable in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert run_cli("assess", answers) == 2
    assert "champ obligatoire absent" in capsys.readouterr().err
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert run_cli("assess", answers) == 2
    assert "required field missing" in capsys.readouterr().err


def test_a_batch_lists_every_mistake_of_each_file_and_builds_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "in").mkdir()
    bad = write(tmp_path / "in" / "bad.yaml", THREE)
    write(tmp_path / "in" / "good.yaml", MINIMAL)
    out = tmp_path / "out"
    batch = ("--jobs", "2", "--only", "dpa")  # the good file's agreement stands for its set
    assert run_cli("build", tmp_path / "in", "--out", out, "--lang", "en", *batch) == 2
    err = capsys.readouterr().err
    assert "1 of 2 built, 1 failed" in err
    assert len(_mistakes(err, bad)) == 3
    assert [p.name for p in out.iterdir()] == ["data-processing-agreement-sante-cloud-en.docx"]


def _error(tmp_path: Path, text: str, language: str = "en") -> InputError:
    with pytest.raises(InputError) as caught:
        load_answers(write(tmp_path / "a.yaml", text), language)
    return caught.value


def test_a_misspelt_optional_field_is_unknown_with_the_field_meant(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("  purposes:", "  volumne: 300\n  purposes:"))
    assert (error.line, error.field) == (_line(MINIMAL, "  purposes:"), "processing.volumne")
    assert error.message == "unknown field; did you mean 'volume'?"
    french = _error(tmp_path, MINIMAL.replace("  purposes:", "  volumne: 300\n  purposes:"), "fr")
    assert french.message == f"champ inconnu{NBSP}; vouliez-vous dire «{NBSP}volume{NBSP}»{NBSP}?"


def test_a_misspelt_required_field_is_said_once(tmp_path: Path) -> None:
    """The missing `retention` is the misspelt `retension`: one mistake, not two."""
    error = _error(tmp_path, MINIMAL.replace("  retention:", "  retension:"))
    assert not isinstance(error, InputErrors)
    assert (error.line, error.field) == (_line(MINIMAL, "  retention:"), "processing.retension")
    # A DPA's retention is required by a rule on the whole file, which waits for the fields to
    # be right: the one mistake said is the misspelling, with the name it stands for.
    assert error.message == "unknown field; did you mean 'retention'?"


def test_a_field_with_no_likely_meaning_is_just_unknown(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("  purposes:", "  colour: blue\n  purposes:"))
    assert (error.field, error.message) == ("processing.colour", "unknown field")


def test_a_wrong_choice_gets_the_closest_and_the_choices_in_words(tmp_path: Path) -> None:
    text = MINIMAL.replace("roles: [processor]", "roles: [procesor]")
    error = _error(tmp_path, text)
    assert (error.line, error.field) == (
        _line(text, "    roles: [procesor]"),
        "parties[1].roles[0]",
    )
    assert error.message.startswith(
        "'procesor' is not one of the choices; did you mean 'processor'?"
    )
    assert "processor | sub_processor — sub-processor |" in error.message
    french = _error(tmp_path, text, "fr").message
    assert f"vouliez-vous dire «{NBSP}processor{NBSP}»{NBSP}?" in french
    assert "processor — sous-traitant | sub_processor — sous-traitant ultérieur" in french


def test_a_choice_written_in_words_points_at_its_value(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("roles: [processor]", "roles: [sous-traitant]"), "fr")
    assert f"vouliez-vous dire «{NBSP}processor{NBSP}»" in error.message


def test_a_choice_far_from_any_lists_them_without_a_guess(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("language: fr", "language: de"))
    assert error.message == "'de' is not one of the choices: fr — French | en — English"


def test_an_impossible_date_is_located_not_a_crash(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("date: 2027-03-01", "date: 2027-13-01"), "fr")
    assert (error.line, error.field) == (_line(MINIMAL, "  date:"), "signature.date")
    assert error.message == f"date attendue au format AAAA-MM-JJ, et non «{NBSP}2027-13-01{NBSP}»"


def test_the_models_own_rules_in_french(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("storage_country: FR", "storage_country: XY"), "fr")
    assert error.message.startswith(f"«{NBSP}XY{NBSP}» n'est pas un code pays ISO 3166")
    error = _error(tmp_path, MINIMAL.replace("id: vendor", "id: chu"), "fr")
    assert error.message == f"les identifiants des parties doivent être uniques{NBSP}: chu"
    english = _error(tmp_path, MINIMAL.replace("id: vendor", "id: chu"))
    assert english.message == "party ids must be unique: chu"


def test_every_unknown_party_reference_at_once(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "  - {category: authentication, description: Authentification à deux facteurs}",
        "  - {category: authentication, description: Authentification à deux facteurs,"
        " parties: [vendr, hote]}",
    )
    error = _error(tmp_path, text)
    assert isinstance(error, InputErrors)
    assert [(e.field, e.message) for e in error.errors] == [
        ("security_measures[1].parties[0]", "no party has the id 'vendr' (known: chu, vendor)"),
        ("security_measures[1].parties[1]", "no party has the id 'hote' (known: chu, vendor)"),
    ]


def test_a_parties_table_row_says_its_mistakes_in_french(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL)
    table = write(tmp_path / "t.csv", "name,dpo.email,country\nA,x@y.fr,XY\n")
    out = tmp_path / "out"
    assert run_cli("build", answers, "--parties", table, "--out", out, "--lang", "fr") == 2
    err = capsys.readouterr().err
    assert f"{table}:2: dpo.name: champ obligatoire absent" in err
    assert f"{table}:2: country: «{NBSP}XY{NBSP}»" in err
    assert not out.exists()


def test_an_unreadable_file_is_said_in_french(tmp_path: Path) -> None:
    error = _error(
        tmp_path, MINIMAL.replace("  purposes: [prise de rendez-vous]", "  purposes: [x"), "fr"
    )
    assert error.message.startswith(f"YAML mal formé{NBSP}:")
    error = _error(tmp_path, MINIMAL + "language: en\n", "fr")
    assert (error.field, error.message) == ("language", "clé en double")
