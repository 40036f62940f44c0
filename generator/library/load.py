"""The clause library: YAML files of clauses and document texts, French and English side by side.

Loading validates each file's shape (file:line:field errors, like answers files); what the text
*says* (placeholders, conditions, coverage) is checked by `checks.py`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from ..answers.errors import input_error
from ..answers.model import Language
from ..answers.yamlfile import read_yaml
from ..errors import InputError

NonEmpty = Annotated[str, StringConstraints(min_length=1)]
# Folders of the library that hold no document: what `clausier review` looks for (review.py).
NOT_DOCUMENTS = frozenset({"review"})
Expression = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Each = Annotated[str, StringConstraints(pattern=r"^\s*[a-z_][a-z0-9_]*\s+in\s+\S.*$")]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Spec):
    fr: NonEmpty
    en: NonEmpty

    def in_(self, language: Language) -> str:
        return self.fr if language is Language.FR else self.en


class Paragraph(Bilingual):
    """A paragraph of a clause: numbered 1.1 (level 1), a sub-item (a) (2) or plain (0)."""

    level: Literal[0, 1, 2] = 1
    when: Expression | None = None
    each: Each | None = None


class Clause(_Spec):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_]*$")]
    order: int = Field(ge=0)
    title: Bilingual
    articles: list[NonEmpty] = Field(min_length=1)
    covers: list[NonEmpty] = Field(default_factory=list)
    when: Expression | None = None
    paragraphs: list[Paragraph] = Field(min_length=1)


class Row(_Spec):
    """A row of an annex table: a label and the value template, in both languages."""

    label: Bilingual
    value: Bilingual
    when: Expression | None = None
    covers: list[NonEmpty] = Field(
        default_factory=list, description="Elements of the law it states, as a clause's."
    )


class DiagramGroup(_Spec):
    """Boxes of one role, side by side: a box per item of `each` that some arrow reaches (a
    box already in an earlier group is not drawn again)."""

    title: Bilingual
    each: Each
    key: Expression = Field(description="What the arrows name the box by (a party's id).")
    label: Bilingual
    note: Bilingual | None = Field(None, description="A line under the label (a country).")
    outside: Expression | None = Field(
        None, description="The box is drawn with a dashed border (outside the EEA)."
    )
    collapse: Bilingual | None = Field(
        None,
        description="Over `collapse_over` boxes, one box saying this instead (`count`: how "
        "many it stands for); their arrows alike are drawn once.",
    )
    collapse_over: int = Field(4, ge=1)


class DiagramArrows(_Spec):
    """Arrows from a box to another, one per item of `each` (or one)."""

    each: Each | None = None
    when: Expression | None = None
    source: Expression = Field(description="The key of the box the data leave.")
    recipient: Expression = Field(description="The key of the box receiving them.")
    data: Bilingual = Field(description="Above the arrow: the data (shortened to fit).")
    means: Bilingual | None = Field(None, description="Under the arrow: how they travel.")
    identifying: Expression | None = Field(
        None, description="The arrow is dashed: the data identify the persons directly."
    )


class DiagramLegend(_Spec):
    """What each line style means; an entry is shown only when its style is drawn."""

    solid: Bilingual | None = None
    dashed: Bilingual | None = None
    outside: Bilingual | None = None


class Diagram(_Spec):
    """A picture of who sends what to whom, drawn at build time above the annex's table
    (library/diagram.py plans it, word/diagram.py draws it). No arrow, no picture."""

    when: Expression | None = None
    name: Bilingual = Field(description="The picture's title (Word's alternative text title).")
    alt: Bilingual = Field(description="The same in words (Word's alternative text).")
    groups: list[DiagramGroup] = Field(min_length=1)
    arrows: list[DiagramArrows] = Field(min_length=1)
    legend: DiagramLegend = DiagramLegend()


class Annex(_Spec):
    title: Bilingual
    paragraphs: list[Paragraph] = Field(default_factory=list)
    each: Each | None = Field(None, description="Repeat the rows (or a table row) per item.")
    heading: Bilingual | None = Field(None, description="A heading row per item of `each`.")
    rows: list[Row] = Field(default_factory=list, description="Label/value rows.")
    columns: list[Row] = Field(
        default_factory=list, description="Columns: label is the header, value the cell."
    )
    widths: list[float] = Field(
        default_factory=list, description="Column widths in centimetres (template layout)."
    )
    measures: bool = Field(False, description="Lists the security measures by category.")
    landscape: bool = Field(False, description="On landscape pages (a wide table).")
    empty: Bilingual | None = Field(
        None, description="Said instead of a table with no rows (no item of `each`)."
    )
    diagram: Diagram | None = Field(None, description="A picture of the flows, before the table.")

    @model_validator(mode="after")
    def _columns_always_shown(self) -> Annex:
        if any(c.when for c in self.columns):
            raise ValueError("a column cannot have a condition: every row needs every cell")
        return self


class ContractTexts(_Spec):
    """The words that make a document a contract: preamble, recitals, closing, signatures."""

    between: Bilingual
    party: Bilingual = Field(description="How a party is identified in the preamble.")
    designations: dict[str, Bilingual] = Field(description="By role: how the party is called.")
    signing: dict[str, Bilingual] = Field(
        description="By role: the line above a party's name in the signature block."
    )
    and_: Bilingual = Field(alias="and")
    together: Bilingual
    recitals_heading: Bilingual
    recitals: list[Paragraph]
    agreed: Bilingual
    closing: list[Paragraph]
    signature: dict[str, Bilingual]


class DocumentTexts(_Spec):
    """The words of a document outside its clauses: _document.yaml."""

    title: Bilingual
    subtitle: Bilingual | None = None
    filename: Bilingual
    heading_number: Bilingual = Field(description="Word's number format for clause headings.")
    heading_separator: dict[str, str] = Field(
        default_factory=dict,
        description="Between the number and the title, by language, e.g. fr: '– ' (a dash "
        "in the heading text, not in the number, so cross-references show 'Article 4').",
    )
    subject: Bilingual | None = Field(
        None,
        description="The subject-matter of the services as this document states it, once for "
        "its clauses and annexes (`subject`): it may depend on the party it binds.",
    )
    intro: list[Paragraph] = Field(default_factory=list)
    plain: bool = Field(
        False,
        description="Written for patients: no clause numbers, no contents, level-2 paragraphs "
        "as bullets.",
    )
    contents: bool = Field(
        True, description="A table of contents after the title block; not in a short deed."
    )
    one_page: bool = Field(
        False,
        description="A sheet to display (a poster): narrower margins and smaller type, so it "
        "holds on one page in the side-by-side edition too.",
    )
    contract: ContractTexts | None = None
    page: dict[str, Bilingual]
    annexes: dict[str, Annex] = Field(default_factory=dict)


class MessageTexts(_Spec):
    """clauses/messages.yaml: the words of each finding code and phrase of the legal layer."""

    findings: dict[str, Bilingual]
    phrases: dict[str, Bilingual] = Field(default_factory=dict)


class UnitWords(_Spec):
    singular: NonEmpty
    plural: NonEmpty
    feminine: bool = False  # « vingt et une heures »


class Unit(_Spec):
    """clauses/units.yaml: a unit a delay or quantity is counted in, in each language."""

    fr: UnitWords
    en: UnitWords

    def in_(self, language: Language) -> UnitWords:
        return self.fr if language is Language.FR else self.en


@dataclass(frozen=True)
class LoadedClause:
    spec: Clause
    file: Path
    digest: str


@dataclass(frozen=True)
class DocumentLibrary:
    kind: str
    folder: Path
    texts: DocumentTexts
    clauses: tuple[LoadedClause, ...]


@dataclass(frozen=True)
class Library:
    root: Path
    labels: dict[str, dict[str, dict[str, str]]]
    documents: dict[str, DocumentLibrary]
    messages: MessageTexts
    units: dict[str, Unit]
    messages_file: Path  # where the messages come from, for errors: a firm's, or Clausier's


def _load(file: Path, model: type[_Spec]) -> tuple[_Spec, bytes]:
    located = read_yaml(file)
    if not isinstance(located.data, dict):
        raise InputError(file, 1, None, "expected a mapping")
    try:
        return model.model_validate(located.data), file.read_bytes()
    except ValidationError as exc:
        raise input_error(located, exc, model=model) from None


def load_labels(file: Path) -> dict[str, dict[str, dict[str, str]]]:
    located = read_yaml(file)
    data = located.data
    for enum_name, values in (data or {}).items():
        for value, words in (values or {}).items():
            try:
                Bilingual.model_validate(words)
            except ValidationError as exc:
                raise input_error(located, exc, (enum_name, value), Bilingual) from None
            if not isinstance(value, str):
                raise InputError(file, located.line_of((enum_name,)), enum_name, "bad label key")
    return data or {}


def load_messages(file: Path) -> MessageTexts:
    return _load(file, MessageTexts)[0]  # type: ignore[return-value]


def load_units(file: Path) -> dict[str, Unit]:
    located = read_yaml(file)
    units = {}
    for name, words in (located.data or {}).items():
        try:
            units[str(name)] = Unit.model_validate(words)
        except ValidationError as exc:
            raise input_error(located, exc, (name,), Unit) from None
    return units


def load_document(folder: Path) -> DocumentLibrary:
    texts, _ = _load(folder / "_document.yaml", DocumentTexts)
    clauses = []
    for file in sorted(folder.glob("[0-9]*.yaml")):
        spec, raw = _load(file, Clause)
        clauses.append(LoadedClause(spec, file, hashlib.sha256(raw).hexdigest()[:16]))
    clauses.sort(key=lambda c: c.spec.order)
    return DocumentLibrary(folder.name, folder, texts, tuple(clauses))  # type: ignore[arg-type]


def load_library(root: Path) -> Library:
    documents = {
        folder.name: load_document(folder)
        for folder in sorted(root.iterdir())
        if folder.is_dir() and (folder / "_document.yaml").exists()
    }
    return Library(
        root,
        load_labels(root / "labels.yaml"),
        documents,
        load_messages(root / "messages.yaml"),
        load_units(root / "units.yaml"),
        root / "messages.yaml",
    )


def with_firm_clauses(base: Library, firm: Path) -> Library:
    """A firm's own library laid over Clausier's: same layout; a clause with an existing id
    replaces it, a new id is added (placed by its order), a _document.yaml or a label replaces
    Clausier's."""
    if not firm.is_dir():
        raise InputError(firm, None, None, "not a folder of clauses")
    labels = {enum: dict(values) for enum, values in base.labels.items()}
    if (firm / "labels.yaml").exists():
        for enum, values in load_labels(firm / "labels.yaml").items():
            labels.setdefault(enum, {}).update(values)
    messages, messages_file = base.messages, base.messages_file
    if (firm / "messages.yaml").exists():
        messages_file = firm / "messages.yaml"
        own = load_messages(firm / "messages.yaml")
        messages = MessageTexts(
            findings={**messages.findings, **own.findings},
            phrases={**messages.phrases, **own.phrases},
        )
    units = base.units
    if (firm / "units.yaml").exists():
        units = {**units, **load_units(firm / "units.yaml")}
    documents = dict(base.documents)
    for folder in sorted(p for p in firm.iterdir() if p.is_dir() and p.name not in NOT_DOCUMENTS):
        current = documents.get(folder.name)
        if current is None and not (folder / "_document.yaml").exists():
            raise InputError(folder, None, None, "a new kind of document needs a _document.yaml")
        texts = (
            _load(folder / "_document.yaml", DocumentTexts)[0]
            if (folder / "_document.yaml").exists()
            else current.texts
        )
        clauses = {c.spec.id: c for c in (current.clauses if current else ())}
        for file in sorted(folder.glob("[0-9]*.yaml")):
            spec, raw = _load(file, Clause)
            clauses[spec.id] = LoadedClause(spec, file, hashlib.sha256(raw).hexdigest()[:16])
        ordered = tuple(sorted(clauses.values(), key=lambda c: c.spec.order))
        own = folder if (folder / "_document.yaml").exists() else current.folder
        documents[folder.name] = DocumentLibrary(folder.name, own, texts, ordered)  # type: ignore[arg-type]
    return Library(firm, labels, documents, messages, units, messages_file)


@cache
def default_library(firm: Path | None = None) -> Library:
    """Clausier's clause library, with a firm's own clauses over it when given."""
    from ..resources import data_dir

    base = load_library(data_dir("clauses"))
    return with_firm_clauses(base, firm) if firm else base


@cache
def default_labels() -> dict[str, dict[str, dict[str, str]]]:
    """The words for the answers' fixed choices, without loading every clause."""
    from ..resources import data_dir

    return load_labels(data_dir("clauses") / "labels.yaml")
