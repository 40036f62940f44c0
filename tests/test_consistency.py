"""No contradiction inside a deed (issue 12, item 5): every period an annex states agrees with
the clauses.

Each example is built in French, English and bilingual, and each data processing agreement read
back from the .docx. Every "N days / jours / hours / heures / months / mois…" printed in the
annexes (figures, words, or both: « trente (30) jours », "thirty-five (35) days", « soixante
jours ») is found, and the sentence it sits in tells what it measures:

- the retention of backups (« sauvegardes », "backups"): where the clauses state the backups'
  retention cycle, the annex states the same; otherwise it is no longer than the period within
  which the clauses have backups erased;
- the deletion of the data at the end of the contract: the same period as the clauses', counted
  from the end of the Services (the return period and the deletion period after it added up,
  when the data are returned first);
- the return of the data at the end, or their deletion after their return (to the research
  sponsor): the same period as the clauses';
- a breach notice, an audit notice: one of the clauses' periods for it.

A period describing something the clauses do not time (logs kept one year, a patient's data
three months after monitoring ends) is the annex's alone and is not compared. Everywhere in the
deed, a number written in words and figures says the same in both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLES, ROOT, docx_paragraphs, run_cli, write

from generator.answers.load import load_answers
from generator.legal.assessment import DocumentKind, assess

EDITIONS = ("fr", "en", "bilingual")
DPA_FILES = ("accord-sous-traitance-*.docx", "data-processing-agreement-*.docx")
# The examples that are data processing agreements in their own right (not research).
DPA_EXAMPLES = {
    "chu-teleconsultation": "agendo-sante",
    "glucose-telemonitoring": "glyceo",
    "clinic-lab-results": "transbio-sante",
}

# Numbers in words -------------------------------------------------------------------------

_FR_SMALL = {
    "zéro": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
    "quatorze": 14, "quinze": 15, "seize": 16,
}  # fmt: skip
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_HUNDRED = {"cent", "cents", "hundred"}
_CONNECTORS = {"et", "and"}
NUMBER_WORDS = {*_FR_SMALL, *_FR_TENS, "vingts", *_EN_SMALL, *_EN_TENS, *_HUNDRED, *_CONNECTORS}


def _below_hundred(words: list[str]) -> int | None:
    """1 to 99 in French or English words, or None when the words are not one number."""
    match words:
        case [w] if w in _FR_SMALL or w in _EN_SMALL:
            return _FR_SMALL.get(w, _EN_SMALL.get(w))
        case [w] if w in _FR_TENS or w in _EN_TENS:
            return _FR_TENS.get(w, _EN_TENS.get(w))
        case ["dix", w] if _FR_SMALL.get(w, 0) in (7, 8, 9):
            return 10 + _FR_SMALL[w]
        case ["quatre", "vingts"]:
            return 80
        case ["quatre", "vingt", *rest] if rest:
            tail = _below_hundred(rest)
            return 80 + tail if tail is not None and tail < 20 else None
        case ["soixante", "et", "onze"]:
            return 71
        case ["soixante", *rest] if rest and rest[0] != "et":
            tail = _below_hundred(rest)
            return 60 + tail if tail is not None and tail < 20 else None
        case [t, "et", ("un" | "une")] if t in _FR_TENS:
            return _FR_TENS[t] + 1
        case [t, w] if t in _FR_TENS and 2 <= _FR_SMALL.get(w, 0) <= 9:
            return _FR_TENS[t] + _FR_SMALL[w]
        case [t, w] if t in _EN_TENS and 1 <= _EN_SMALL.get(w, 0) <= 9:
            return _EN_TENS[t] + _EN_SMALL[w]
    return None


def number_in_words(words: list[str]) -> int | None:
    """« trente-cinq », "one hundred and twenty", « cent vingt »… as an int (below 1,000)."""
    words = [w.lower() for w in words]
    for i, w in enumerate(words):
        if w in _HUNDRED:
            head, tail = words[:i], words[i + 1 :]
            if tail[:1] == ["and"]:
                tail = tail[1:]
            times = _below_hundred(head) if head else 1
            rest = _below_hundred(tail) if tail else 0
            if times is None or rest is None or not 1 <= times <= 9:
                return None
            return times * 100 + rest
    return _below_hundred(words)


# Periods in text --------------------------------------------------------------------------

UNITS = {
    "hour": r"heures?|hours?",
    "working_day": r"jours? ouvrés|jours? ouvrables|working days?|business days?",
    "day": r"jours?|days?",
    "week": r"semaines?|weeks?",
    "month": r"mois|months?",
    "year": r"ans|an|années?|years?",
}
_UNIT = re.compile(
    r"(?<![\w'’])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in UNITS.items()) + r")(?!\w)",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"(?:\((\d{1,4})\)|(?<![\w(])(\d{1,4}))\s*$")
# A word of a number, then what may separate it from the next: « trente-cinq », "thirty five".
_WORD = re.compile(r"([^\W\d_]+)[\s-]*$")
# "every six months", « toutes les quatre heures »: a frequency, not a period.
_FREQUENCY = re.compile(r"(?:every|each|per|tous les|toutes les|chaque)\s*$", re.IGNORECASE)
IN_DAYS = {"hour": None, "working_day": None, "day": 1, "week": 7, "month": 30, "year": 365}


@dataclass(frozen=True)
class Period:
    value: int
    unit: str
    text: str  # as printed, for messages
    end: int  # where the unit ends in the text it was found in

    def days(self) -> int | None:
        per = IN_DAYS[self.unit]
        return None if per is None else self.value * per

    def __str__(self) -> str:
        return repr(self.text)


def periods(text: str, problems: list[str] | None = None) -> list[Period]:
    """Every period in `text`, in figures, words or both; frequencies left out. A number in
    words and figures whose words and figures disagree is a problem."""
    found = []
    for m in _UNIT.finditer(text):
        unit = m.lastgroup
        assert unit is not None
        before = text[: m.start()].rstrip()
        start = len(before)
        figure = _FIGURE.search(before)
        value = None
        if figure:
            value = int(figure.group(1) or figure.group(2))
            start = figure.start()
        # The words just before the figure (or the unit): the longest run that is one number.
        words: list[tuple[str, int]] = []
        rest = before[:start].rstrip()
        while (w := _WORD.search(rest)) and w.group(1).lower() in NUMBER_WORDS:
            words.insert(0, (w.group(1), w.start()))
            rest = rest[: w.start()]
        spelt = None
        for i in range(len(words)):
            spelt = number_in_words([w for w, _ in words[i:]])
            if spelt is not None:
                start = words[i][1]
                break
        printed = text[start : m.end()]
        if figure and figure.group(1) and problems is not None and spelt != value:
            problems.append(f"words and figures disagree: {printed!r}")
        if value is None:
            value = spelt
        if value is None or _FREQUENCY.search(text[:start].rstrip()):
            continue
        found.append(Period(value, unit, printed, m.end()))
    return found


# What a sentence is about -----------------------------------------------------------------

BACKUP = re.compile(r"sauvegard|backup", re.IGNORECASE)
BACKUP_CYCLE = re.compile(r"cycle|rotation|n'excède pas|not exceed", re.IGNORECASE)
END = re.compile(
    r"\bfin (?:du contrat|de contrat|des prestations)|\bterme du contrat|"
    r"\bend of the (?:main agreement|services|contract)|"
    r"\bexpiry of the (?:main agreement|contract)",
    re.IGNORECASE,
)
DELETE = re.compile(r"supprim|suppression|effac|détrui|destruction|purg|delet|eras|destroy", re.I)
RETURN = re.compile(r"restitu|remis|\breturn|deliver", re.IGNORECASE)
BREACH = re.compile(r"violation|breach", re.IGNORECASE)
AUDIT = re.compile(r"audit", re.IGNORECASE)
# In a clause, what a period is counted from.
_FROM = re.compile(
    r"^\s*(?:à compter de|of|from|after)\s+(?:la |l'|the )?"
    r"(?P<end>fin des Prestations|end of the Services)?(?P<return>restitution|return)?",
    re.IGNORECASE,
)
# The clause's rule when the Controller asks for the data before their deletion.
_DELETION_FROM_RETURN = re.compile(
    r"délai de suppression court alors à compter de la restitution|"
    r"deletion period then runs from the return",
    re.IGNORECASE,
)


def segments(paragraph: str) -> list[str]:
    """A paragraph cut into sentences and the parts of a list joined by « ; »."""
    return [s for s in re.split(r";\s+|(?<=[a-zà-ÿ)»\"])\.\s+", paragraph) if s.strip()]


@dataclass
class Clauses:
    """The periods the clauses of one deed set, by what they time."""

    backup: list[Period] = field(default_factory=list)
    backup_cycle: list[Period] = field(default_factory=list)
    return_from_end: list[Period] = field(default_factory=list)
    delete_from_end: list[Period] = field(default_factory=list)
    delete_from_return: list[Period] = field(default_factory=list)
    breach: list[Period] = field(default_factory=list)
    audit: list[Period] = field(default_factory=list)

    def deletion_from_end(self) -> set[tuple[int, str]]:
        """How long after the end of the Services the data are deleted at the latest."""
        if self.delete_from_end:
            return {(p.value, p.unit) for p in self.delete_from_end}
        return {
            (r.value + d.value, r.unit)
            for r in self.return_from_end
            for d in self.delete_from_return
            if r.unit == d.unit
        }


def read_clauses(paragraphs: list[str], problems: list[str]) -> Clauses:
    found = Clauses()
    runs_from_return = False
    for paragraph in paragraphs:
        runs_from_return |= bool(_DELETION_FROM_RETURN.search(paragraph))
        for segment in segments(paragraph):
            for p in periods(segment, problems):
                if BACKUP.search(segment):
                    found.backup.append(p)
                    if BACKUP_CYCLE.search(segment):
                        found.backup_cycle.append(p)
                if BREACH.search(segment) and p.unit == "hour":
                    found.breach.append(p)
                if AUDIT.search(segment):
                    found.audit.append(p)
                since = _FROM.match(segment[p.end :])
                if not since or not (since["end"] or since["return"]):
                    continue
                if DELETE.search(segment):
                    (found.delete_from_end if since["end"] else found.delete_from_return).append(p)
                elif RETURN.search(segment) and since["end"]:
                    found.return_from_end.append(p)
    if runs_from_return:
        found.delete_from_return += found.delete_from_end
    return found


def _say(value: int, unit: str) -> str:
    return f"{value} {unit.replace('_', ' ')}{'' if value == 1 else 's'}"


@dataclass(frozen=True)
class Check:
    what: str
    annex: str
    clauses: str
    ok: bool


def compare(annexes: list[str], clauses: Clauses) -> list[Check]:
    """Each period the annexes state about something the clauses time, against the clauses."""

    def same(p: Period, what: str, periods: list[Period] | set[tuple[int, str]]) -> Check:
        pairs = {(q.value, q.unit) for q in periods} if isinstance(periods, list) else periods
        shown = ", ".join(sorted(_say(v, u) for v, u in pairs)) or "nothing"
        return Check(what, str(p), shown, (p.value, p.unit) in pairs)

    checks = []
    for paragraph in annexes:
        for segment in segments(paragraph):
            for p in periods(segment):
                if BACKUP.search(segment):
                    if clauses.backup_cycle:
                        checks.append(same(p, "backup retention", clauses.backup_cycle))
                        continue
                    bound = [q.days() for q in clauses.backup if q.days() is not None]
                    days = p.days()
                    ok = bool(bound) and days is not None and days <= min(bound)
                    limit = f"{min(bound)} days at most" if bound else "nothing"
                    checks.append(Check("backup retention", str(p), limit, ok))
                elif END.search(segment) and DELETE.search(segment):
                    checks.append(same(p, "deletion at the end", clauses.deletion_from_end()))
                elif END.search(segment) and RETURN.search(segment):
                    checks.append(same(p, "return at the end", clauses.return_from_end))
                elif RETURN.search(segment) and DELETE.search(segment):
                    checks.append(same(p, "deletion after return", clauses.delete_from_return))
                elif BREACH.search(segment) and p.unit == "hour":
                    checks.append(same(p, "breach notice", clauses.breach))
                elif AUDIT.search(segment):
                    checks.append(same(p, "audit notice", clauses.audit))
    return checks


_AGREED = re.compile(r"^(?:IL A ÉTÉ CONVENU|IT IS AGREED)")
_FIRST_ANNEX = re.compile(r"^Annexe? I – ")


def split_deed(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    """The clauses (after « IL A ÉTÉ CONVENU ») and the annexes (from Annex I's title: the last
    such paragraph, so that a table of contents does not count)."""
    agreed = [i for i, p in enumerate(paragraphs) if _AGREED.match(p)]
    annex = [i for i, p in enumerate(paragraphs) if _FIRST_ANNEX.match(p)]
    assert agreed and annex, "a deed without « IL A ÉTÉ CONVENU » or Annex I"
    return paragraphs[agreed[-1] + 1 : annex[-1]], paragraphs[annex[-1] :]


def check_deed(paragraphs: list[str]) -> tuple[list[Check], list[str]]:
    """The comparisons made in one deed, and its problems (contradictions included)."""
    problems: list[str] = []
    clause_text, annex_text = split_deed(paragraphs)
    for paragraph in annex_text:
        periods(paragraph, problems)
    clauses = read_clauses(clause_text, problems)
    if not clauses.deletion_from_end():
        problems.append("the clauses state no period for deleting the data after the Services")
    checks = compare(annex_text, clauses)
    problems += [
        f"{c.what}: the annexes say {c.annex}, the clauses {c.clauses}" for c in checks if not c.ok
    ]
    return checks, problems


# The examples, built ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example built in each edition (drafts: a blocker must not hide a deed)."""
    out = tmp_path_factory.mktemp("consistency")
    for edition in EDITIONS:
        args = ["build", ROOT / "examples", "--out", out / edition, "--lang", edition]
        assert run_cli(*args, "--draft", "--force", "--jobs", "1") == 0
    return {edition: out / edition for edition in EDITIONS}


def deeds(folder: Path) -> list[Path]:
    return sorted(p for pattern in DPA_FILES for p in folder.glob(pattern))


def _dpas_due() -> int:
    return sum(
        due.kind is DocumentKind.DPA
        for example in EXAMPLES
        for due in assess(load_answers(example)).documents
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_annex_periods_agree_with_the_clauses(built: dict[str, Path], edition: str) -> None:
    found = deeds(built[edition])
    assert len(found) == _dpas_due(), "every data processing agreement is read"
    report = {path.name: check_deed(docx_paragraphs(path)) for path in found}
    problems = [f"{name}: {p}" for name, (_, ps) in report.items() for p in ps]
    assert not problems, "\n".join(problems)
    # Not a test that passes by finding nothing: each DPA example has its periods compared.
    for processor in DPA_EXAMPLES.values():
        checks = [c for name, (cs, _) in report.items() if processor in name for c in cs]
        assert checks, f"no annex period of the {processor} deed was compared with the clauses"
    # A research site's deed states no period of its own in its annexes (they refer to the
    # clauses): the partnerships' and the CROs' deeds carry the comparisons.
    assert sum(len(cs) for cs, _ in report.values()) >= len(DPA_EXAMPLES) * 3


# The checker itself -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dans un délai de trente (30) jours", [(30, "day")]),
        ("within thirty-five (35) days of", [(35, "day")]),
        ("supprimées dans un délai de soixante jours", [(60, "day")]),
        ("vingt-quatre (24) heures", [(24, "hour")]),
        ("quinze (15) jours ouvrés", [(15, "working_day")]),
        ("un (1) mois, puis un an, soixante-dix jours", [(1, "month"), (1, "year"), (70, "day")]),
        ("quatre-vingt-dix (90) jours ; one hundred and twenty days", [(90, "day"), (120, "day")]),
        ("kept for 35 days, with a restore test every six months", [(35, "day")]),
        ("Sauvegardes toutes les quatre heures, conservées 30 jours", [(30, "day")]),
        (
            "à trois, six et douze mois ; accounts disabled after 90 days",
            [(12, "month"), (90, "day")],
        ),
        ("24 h/24 et 7 j/7, dans l'heure, an hour, month of sampling", []),
    ],
)
def test_periods_are_read_in_words_and_figures(text: str, expected: list[tuple[int, str]]) -> None:
    problems: list[str] = []
    assert [(p.value, p.unit) for p in periods(text, problems)] == expected
    assert not problems


def test_words_and_figures_that_disagree_are_a_problem() -> None:
    problems: list[str] = []
    periods("dans un délai de trente (35) jours", problems)
    assert problems


# Issue 12's findings, as the clauses and annexes printed them before the fix.
_DELETE_30 = (
    "As chosen by the Controller, the Processor shall delete all the Personal Data and destroy "
    "all existing copies, including backups, whether held by it or by its Sub-processors, "
    "without returning them, within thirty (30) days of the end of the Services."
)
_RETURN_60 = (
    "Conformément au choix du Responsable du traitement, le Sous-traitant restitue l'ensemble "
    "des Données au Responsable du traitement dans un délai de soixante (60) jours à compter de "
    "la fin des Prestations, dans un format ouvert."
)
_THEN_DELETE_60 = (
    "Le Sous-traitant supprime ensuite toutes les Données et détruit toutes les copies "
    "existantes, y compris les sauvegardes, dès que le Responsable du traitement a confirmé que "
    "la restitution est complète et exploitable, et au plus tard dans un délai de soixante (60) "
    "jours à compter de la restitution."
)


def _deed(clauses: list[str], annexes: list[str]) -> list[str]:
    return ["IL A ÉTÉ CONVENU CE QUI SUIT :", *clauses, "Annexe I – Liste des Parties", *annexes]


def test_glucose_backups_kept_longer_than_the_deletion_period_are_found() -> None:
    annex = (
        "Daily encrypted backups replicated to a second HDS-certified data centre in Germany, "
        "kept for 35 days, with a restore test every six months."
    )
    checks, problems = check_deed(_deed([_DELETE_30], [annex]))
    assert [c.what for c in checks] == ["backup retention"]
    assert problems == ["backup retention: the annexes say '35 days', the clauses 30 days at most"]
    assert not check_deed(_deed([_DELETE_30], [annex.replace("35", "30")]))[1]


def test_clinic_deletion_in_sixty_days_against_sixty_plus_sixty_is_found() -> None:
    annex = (
        "les journaux de connexion sont conservés un an ; à la fin du Contrat principal, les "
        "données sont restituées puis supprimées dans un délai de soixante jours."
    )
    checks, problems = check_deed(_deed([_RETURN_60, _THEN_DELETE_60], [annex]))
    assert [(c.what, c.clauses) for c in checks] == [("deletion at the end", "120 days")]
    assert problems == [
        "deletion at the end: the annexes say 'soixante jours', the clauses 120 days"
    ]
    research = "remises au promoteur et supprimées par la CRO dans les 60 jours"
    assert not check_deed(_deed([_RETURN_60, _THEN_DELETE_60], [research]))[1]


def test_a_backup_cycle_the_clauses_state_is_the_annexes_cycle() -> None:
    cycle = (
        "Toutefois, les copies des Données contenues dans les sauvegardes sont effacées au terme "
        "de leur cycle de conservation, qui n'excède pas trente (30) jours."
    )
    annex = "Les sauvegardes des Données sont conservées au plus vingt (20) jours."
    _, problems = check_deed(_deed([_DELETE_30, cycle], [annex]))
    assert problems == ["backup retention: the annexes say 'vingt (20) jours', the clauses 30 days"]


def test_an_example_reintroducing_the_glucose_contradiction_fails(tmp_path: Path) -> None:
    """Built, not only planned: Glucose's backups typed as kept 35 days, with no option."""
    data = yaml.safe_load((ROOT / "examples" / "glucose-telemonitoring.yaml").read_text("utf-8"))
    data["options"].pop("backup_retention_days", None)
    data["options"]["end_of_contract_days"] = 30
    backup = next(m for m in data["security_measures"] if m["category"] == "backup")
    backup["description"] = "Daily encrypted backups, kept for 35 days."
    answers = write(tmp_path / "glucose.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert run_cli("build", answers, "--out", tmp_path / "out", "--lang", "en", "--draft") == 0
    (deed,) = deeds(tmp_path / "out")
    _, problems = check_deed(docx_paragraphs(deed))
    assert any("backup retention" in p and "35 days" in p for p in problems), problems


# --- cross-references carry their number ------------------------------------------------------

_BY_TITLE_ONLY = re.compile(r"\b(?:the clause|Clauses?) \"|\barticles? «")


@pytest.mark.parametrize(
    "file", sorted((ROOT / "clauses").glob("*/*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}"
)
def test_a_clause_is_referred_to_by_its_number(file: Path) -> None:
    """ "Clause 19 ("End of the Services")", « l'Article 19 (« Fin des Prestations ») »: never a
    title alone, which a reader cannot find in a numbered deed and Word cannot follow."""
    for line_number, line in enumerate(file.read_text("utf-8").splitlines(), 1):
        text = re.sub(r"\[\[[a-z0-9_.-]+\]\]", "N", line)
        assert not _BY_TITLE_ONLY.search(text), f"{file.name}:{line_number}: {line.strip()}"
