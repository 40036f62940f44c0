"""Answers files: validation, and errors that name the file, the line and the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, run_cli, write

from generator.answers.load import load_answers
from generator.errors import InputError


def test_minimal_answers_load(tmp_path: Path) -> None:
    answers = load_answers(write(tmp_path / "a.yaml", MINIMAL))
    assert answers.processing.health_data
    assert answers.options.breach_notice_hours == 24


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_examples_are_valid(example: Path) -> None:
    load_answers(example)


def _error(tmp_path: Path, text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        load_answers(write(tmp_path / "a.yaml", text))
    return caught.value


def test_unknown_key_names_file_line_and_field(tmp_path: Path) -> None:
    text = MINIMAL.replace("  retention:", "  colour: typo\n  retention:")
    error = _error(tmp_path, text)
    assert (error.line, error.field, error.message) == (26, "processing.colour", "unknown field")
    assert str(error) == f"{tmp_path / 'a.yaml'}:26: processing.colour: unknown field"


def test_wrong_type_is_located(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("hds_certified: true", "hds_certified: maybe"))
    assert (error.line, error.field) == (29, "hosting.hds_certified")
    assert error.message == "expected true or false, not 'maybe'"


def test_missing_field_points_at_its_parent(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("    legal_form: SAS\n", ""))
    assert (error.line, error.field, error.message) == (
        13,
        "parties[1].legal_form",
        "required field missing",
    )


def test_malformed_yaml_is_located(tmp_path: Path) -> None:
    error = _error(
        tmp_path, MINIMAL.replace("  purposes: [prise de rendez-vous]", "  purposes: [oops")
    )
    assert error.line is not None and 20 <= error.line <= 22
    assert error.message.startswith("malformed YAML")


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL + "language: en\n")
    assert (error.line, error.field, error.message) == (39, "language", "duplicate key")


def test_bad_country_and_email(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("storage_country: FR", "storage_country: XY"))
    assert error.field == "hosting.storage_country" and "ISO 3166" in error.message
    error = _error(tmp_path, MINIMAL.replace("dpo@chu-test.fr", "not-an-email"))
    assert error.field == "parties[0].dpo.email"


def test_wrong_format_version(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("format_version: 1", "format_version: 7"))
    assert error.field == "format_version" and error.line == 1


def test_duplicate_party_ids(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("id: vendor", "id: chu"))
    assert "unique" in error.message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  retention:", "  retension: x\n  retention:"),
            ":26: processing.retension: unknown field",
        ),
        (("hds_certified: true", "hds_certified: maybe"), ":29: hosting.hds_certified: "),
        (("  purposes: [prise de rendez-vous]", "  purposes: [oops"), "malformed YAML"),
    ],
)
def test_build_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    answers = write(tmp_path / "a.yaml", MINIMAL.replace(*change))
    assert run_cli("build", answers, "--out", tmp_path / "out", "--lang", "en") == 2
    err = capsys.readouterr().err
    assert expected in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("assess", tmp_path / "nope.yaml", "--lang", "en") == 2
    assert "cannot read the file" in capsys.readouterr().err


def test_unknown_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        run_cli("build", "--colour", "x.yaml")
    assert caught.value.code == 2


def test_schema_is_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli("schema") == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["additionalProperties"] is False
    assert {"parties", "processing", "options", "format_version"} <= set(schema["properties"])
    assert "hds_certified" in schema["$defs"]["Hosting"]["properties"]


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        previous, name = chr(96 + i), chr(97 + i)
        levels.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    error = _error(tmp_path, "\n".join(levels) + "\n")
    assert "values once aliases are expanded" in error.message and error.line


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL + "# " + "x" * 2_100_000 + "\n")
    assert "larger than" in error.message


def test_control_characters_are_refused_not_dropped(tmp_path: Path) -> None:
    error = _error(tmp_path, MINIMAL.replace("name: Santé Cloud", 'name: "Santé\\x0bCloud"'))
    assert error.field == "parties[1].name" and "U+000B" in error.message
