"""Every finding code of the legal layer, as a table: cases that raise it, near cases that do
not, the edges of each threshold, and its severity and articles.

Each case is an example of examples/ with a few fields changed. The tests read only what the
assessment decides — codes, severities, articles, the values of each finding (names, numbers,
countries, enums, and the phrases it chose, as Phrase(code, values)), roles, documents, route,
the transfers out of the EEA — never the words of a message (clauses/messages.yaml words them).
`make mutate` runs this module against mutants of generator/legal/.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import functools
import importlib
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from pydantic import ValidationError

import generator.legal
from generator.answers.load import load_answers
from generator.answers.model import (
    Answers,
    Language,
    LawfulBasis,
    Participation,
    Role,
    Route,
    Safeguard,
)
from generator.legal import facts
from generator.legal.assessment import (
    ALL_RULES,
    Assessment,
    DocumentKind,
    OutsideTransfer,
    assess,
)
from generator.legal.findings import Findings, Phrase, Rule, Severity

ROOT = Path(__file__).resolve().parent.parent
LEGAL = Path(generator.legal.__file__).resolve().parent

# The examples cases start from.
# The documents travelling with the agreements, whose due rules tests/test_pack.py holds.
PACK = {
    DocumentKind.INFORMATION_NOTICE,
    DocumentKind.INFORMATION_POSTER,
    DocumentKind.PROCESSING_RECORD,
    DocumentKind.DPIA,
}
TELE = "chu-teleconsultation"  # hospital (0) and vendor (1); subs: host (0), SMS (1), video (2)
# sponsor-centre (0), three centres (1-3), CRO (4), German centre (5): MR-003
OBS = "research-observational-cro"
DRUG = "research-drug-trial"  # category 1 drug trial with genetic testing: MR-001
IVD = "research-ivd-performance"  # in-vitro diagnostic performance study: MR-002
REUSE = "research-joint-reuse"  # three hospitals reusing their data, joint protocol: MR-004
SNDS = "research-snds-authorisation"  # SNDS linkage with the NIR: authorisation (CESREES)
SNDS_ONLY = "research-snds-methodology"  # main SNDS database only, public interest: MR-007
INTERNAL = "research-internal-study"  # one hospital's internal study
# Sponsor-centre (0), centre (1), secure environment (2), funder receiving data (3): MR-004;
# flows: sponsor and centre to the environment (0, 1), sponsor to the funder (2).
FUNDED = "research-funded-reuse"
CU = "research-convention-unique"  # industry sponsor (0), CRO (1), CHU (2), clinic (3), host (4)


@functools.cache
def _example(name: str) -> dict[str, Any]:
    """An example's answers as plain data, read and validated once per test session.

    Only the answers are cached, never an assessment: under `make mutate` each mutant must
    assess afresh."""
    return load_answers(ROOT / "examples" / f"{name}.yaml").model_dump(mode="json")


def answers(example: str, changes: Mapping[str, Any] | None = None) -> Answers:
    """The example with some fields changed. A key is a dotted path ("parties.1.dpo",
    "research.riph_category"); a value replaces the field, a callable gets the old value and
    returns the new one."""
    data = copy.deepcopy(_example(example))
    for path, value in (changes or {}).items():
        *parents, last = path.split(".")
        target = data
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        index: Any = int(last) if last.isdigit() else last
        target[index] = value(target[index]) if callable(value) else value
    return Answers.model_validate(data)


# Building blocks for changes.
def plus(*items: Any) -> Callable[[list[Any]], list[Any]]:
    return lambda old: [*old, *items]


def without(category: str) -> Callable[[list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda measures: [m for m in measures if m["category"] != category]


def party(party_id: str, *roles: str) -> dict[str, Any]:
    return {
        "id": party_id,
        "name": f"Party {party_id}",
        "legal_form": "SAS",
        "address": "1 rue de l'Essai, 75001 Paris",
        "signatory": {"name": "A. Test"},
        "roles": list(roles),
    }


def transfer(country: str, safeguard: str | None = None, recipient: str = "Support Inc.") -> dict:
    data = {"recipient": recipient, "country": country, "purpose": "support"}
    return data if safeguard is None else {**data, "safeguard": safeguard}


def flow(source: str, recipient: str, *, hds: bool = True, country: str = "FR") -> dict:
    return {
        "source": source,
        "recipient": recipient,
        "data": "données codées",
        "pseudonymised": True,
        "means": "secure_transfer",
        "storage": "serveur",
        "hds": hds,
        "country": country,
    }


def cro(party_id: str = "cro-x") -> dict[str, Any]:
    """Changes that add a CRO to a research example."""
    return {
        "parties": plus(party(party_id, "cro")),
        "research.cros": plus({"party": party_id, "tasks": ["gestion des données"]}),
    }


NO_HEALTH = {"processing.data_categories": ["identification", "contact"]}

# Names the findings carry (the parties', hosts' and recipients' names of the examples).
CHU_VDL = "Centre hospitalier universitaire de Val-de-Loire"  # TELE's controller, OBS's sponsor
AGENDO = "Agendo Santé"  # TELE's processor
NUVEA = "Nuvéa Cloud Santé"  # TELE's host, also its health-data sub-processor (0)
CHU_FOREZ = "Centre hospitalier universitaire de Forez-Velay"  # CU's public centre
CLINIC_PARC = "Clinique du Parc de Villeurbanne"  # CU's private centre
CHU_PICARDIE = "Centre hospitalier universitaire de Picardie-Somme"  # DRUG's public centres
CHU_ADOUR = "Centre hospitalier universitaire de l'Adour"
STREAMWAVE = "Streamwave B.V."  # TELE's video sub-processor (2)
CLINIQA = "Cliniqa Recherche"  # OBS's CRO
SECURIS = "Securis Data Santé"  # FUNDED's secure research environment
VELMORA = "Velmora Pharma France"  # FUNDED's funder
CHU_CHAMPAGNE = "Centre hospitalier universitaire de Champagne"  # REUSE's sponsor
WRITTEN, EXPRESS = Participation.WRITTEN_CONSENT, Participation.EXPRESS_CONSENT
NON_OPPOSITION = Participation.NON_OPPOSITION
PUBLIC, LEGITIMATE = LawfulBasis.PUBLIC_INTEREST, LawfulBasis.LEGITIMATE_INTEREST
SCC = Safeguard.SCC


def P(code: str, **values: Any) -> Phrase:
    """The phrase a finding is expected to carry."""
    return Phrase(code, values)


def mismatch(intended: str, derived: str, reason: Phrase | None) -> dict[str, Any]:
    """The values of ROUTE_MISMATCH."""
    return {"intended": Route(intended), "derived": Route(derived), "reason": reason}


class Case(NamedTuple):
    name: str
    example: str
    changes: Mapping[str, Any] = {}
    count: int | None = None  # how many findings of the code, when it matters
    route: str | None = None  # the research route the case must reach, when it matters
    # The values of the findings of the code: one mapping (each finding carries it), or a
    # tuple of mappings (the findings, in order). Required when the code's rule has values.
    values: Mapping[str, Any] | tuple[Mapping[str, Any], ...] | None = None
    edition: str | None = None  # the edition assessed ("fr", "en", "bilingual"), if not the default


class Row(NamedTuple):
    code: str
    severity: Severity
    articles: tuple[str, ...]
    raises: tuple[Case, ...]
    spares: tuple[Case, ...]  # near cases that must not raise it


def C(
    name: str,
    example: str,
    changes: Mapping[str, Any] | None = None,
    *,
    count: int | None = None,
    route: str | None = None,
    values: Mapping[str, Any] | tuple[Mapping[str, Any], ...] | None = None,
    edition: str | None = None,
    **fields: Any,
) -> Case:
    """A case: changes as a mapping of dotted paths, or as keywords with __ for the dots
    (research__riph_category=2), or both."""
    merged = {**(changes or {}), **{k.replace("__", "."): v for k, v in fields.items()}}
    return Case(name, example, merged, count, route, values, edition)


TABLE: tuple[Row, ...] = (
    # --- Partnerships: the DPA and its parties -------------------------------------------------
    Row(
        "DPA_ROLES",
        Severity.BLOCKER,
        ("GDPR 28(3)",),
        raises=(
            C(
                "no-controller",
                TELE,
                {"parties.0.roles": ["joint_controller"]},
                values={"controllers": 0, "processors": 1},
            ),
            C(
                "two-controllers",
                TELE,
                {"parties": plus(party("chu-2", "controller"))},
                values={"controllers": 2, "processors": 1},
            ),
            C(
                "two-processors",
                TELE,
                {"parties": plus(party("vendor-2", "processor"))},
                values={"controllers": 1, "processors": 2},
            ),
        ),
        spares=(
            C("one-controller-one-processor", TELE),
            C("no-processor", TELE, {"parties.1.roles": ["controller"]}),
            C("research-with-many-processors", OBS, {}),
        ),
    ),
    Row(
        "NO_PROCESSOR",
        Severity.INFO,
        ("GDPR 28(3)",),
        raises=(
            C("two-controllers", TELE, {"parties.1.roles": ["controller"]}),
            C("sub-processor-only", TELE, {"parties.1.roles": ["sub_processor"]}),
        ),
        spares=(
            C("one-processor", TELE),
            C("no-controller", TELE, {"parties.0.roles": ["joint_controller"]}),
            C("research-without-processor", INTERNAL),
        ),
    ),
    Row(
        "PROCESSOR_DECIDES",
        Severity.WARNING,
        ("GDPR 28(10)",),
        raises=(
            C(
                "decides-purposes",
                TELE,
                {"parties.1.determines_purposes": True},
                values={"party": AGENDO, "facts": [P("decides_purposes")]},
            ),
            C(
                "decides-means",
                TELE,
                {"parties.1.determines_essential_means": True},
                values={"party": AGENDO, "facts": [P("decides_means")]},
            ),
            C(
                "reuses-data",
                TELE,
                {"parties.1.reuses_data_for_own_purposes": True},
                values={"party": AGENDO, "facts": [P("reuses_data")]},
            ),
            C(
                "all-three",
                TELE,
                {
                    "parties.1.determines_purposes": True,
                    "parties.1.determines_essential_means": True,
                    "parties.1.reuses_data_for_own_purposes": True,
                },
                count=1,
                values={
                    "party": AGENDO,
                    "facts": [P("decides_purposes"), P("decides_means"), P("reuses_data")],
                },
            ),
            C(
                "research-cro-reuses",
                OBS,
                {"parties.4.reuses_data_for_own_purposes": True},
                values={"party": CLINIQA, "facts": [P("reuses_data")]},
            ),
        ),
        spares=(
            C("controller-decides", TELE),  # the hospital decides purposes and means
            C(
                "controller-reuses",
                TELE,
                {"parties.0.reuses_data_for_own_purposes": True},
            ),
        ),
    ),
    # --- Health data hosting (CSP L.1111-8) ---------------------------------------------------
    Row(
        "HDS_NOT_CERTIFIED",
        Severity.BLOCKER,
        ("CSP L.1111-8",),
        raises=(
            C(
                "uncertified-host",
                TELE,
                count=1,
                values={"host": NUVEA},
                hosting__hds_certified=False,
            ),
            C(
                "uncertified-health-sub",
                TELE,
                {"sub_processors.0.hds_certified": False, "sub_processors.0.name": "Nuvéa Bis"},
                count=1,
                values={"host": "Nuvéa Bis"},
            ),
            C(
                "both",
                TELE,
                {
                    "hosting.hds_certified": False,
                    "sub_processors.0.hds_certified": False,
                    "sub_processors.0.name": "Nuvéa Bis",
                },
                count=2,
                values=({"host": NUVEA}, {"host": "Nuvéa Bis"}),
            ),
            C("research-host", OBS, values={"host": "Clinfolio"}, hosting__hds_certified=False),
            # The vendor runs its own platform at a certified host (activity 5) uncertified.
            C(
                "processor-own-activity-uncertified",
                TELE,
                {"hosting.processor_hds_certificate": None},
                count=1,
                values={"host": AGENDO},
            ),
            C(
                "processor-own-activity-uncertified-named",
                TELE,
                {"hosting.processor_hds_certificate": None, "hosting.processor": "agendo-sante"},
                count=1,
                values={"host": AGENDO},
            ),
            C(
                "host-listed-twice-uncertified",
                TELE,
                {"hosting.hds_certified": False, "sub_processors.0.hds_certified": False},
                count=1,
                values={"host": NUVEA},
            ),
        ),
        spares=(
            # The processor is the host itself: its own certificate is the host's.
            C(
                "processor-is-the-host",
                "clinic-lab-results",
                {"hosting.processor_hds_certificate": None},
            ),
            # The activities are those of another party's hosting.
            C(
                "activities-of-another-processor",
                TELE,
                {
                    "hosting.processor_hds_certificate": None,
                    "hosting.processor": "chu-val-de-loire",
                },
            ),
            C("certified", TELE),
            C(
                "no-health-data",
                TELE,
                {
                    **NO_HEALTH,
                    "hosting.hds_certified": False,
                    "sub_processors.0.hds_certified": False,
                },
            ),
            C(
                "sub-storing-other-data",
                TELE,
                {"sub_processors.1.hosts_data": True, "sub_processors.1.hds_certified": False},
            ),
            C("sub-storing-nothing", TELE, {"sub_processors.1.hds_certified": False}),
            C("no-hosting", TELE, hosting=None),
        ),
    ),
    Row(
        "HDS_OUTSIDE_EEA",
        Severity.BLOCKER,
        ("CSP L.1111-8", "CSP R.1111-9", "Loi 2024-449 art. 32"),
        raises=(
            C(
                "storage",
                TELE,
                count=1,
                values={"host": NUVEA, "country": "US"},
                hosting__storage_country="US",
            ),
            C(
                "backup",
                TELE,
                count=1,
                values={"host": NUVEA, "country": "CH"},
                hosting__backup_country="CH",
            ),
            C(
                "both-same",
                TELE,
                count=1,
                values={"host": NUVEA, "country": "US"},
                hosting__storage_country="US",
                hosting__backup_country="US",
            ),
            C(
                "both-apart",
                TELE,
                count=2,
                values=({"host": NUVEA, "country": "CH"}, {"host": NUVEA, "country": "US"}),
                hosting__storage_country="US",
                hosting__backup_country="CH",
            ),
            C(
                "health-sub",
                TELE,
                {"sub_processors.0.country": "US", "sub_processors.0.name": "Nuvéa Bis"},
                count=1,
                values={"host": "Nuvéa Bis", "country": "US"},
            ),
        ),
        spares=(
            C("france", TELE),
            C("eea", TELE, hosting__storage_country="DE", hosting__backup_country="NO"),
            C("no-backup", TELE, hosting__backup_country=None),
            C("no-health-data", TELE, {**NO_HEALTH, "hosting.storage_country": "US"}),
            C(
                "sub-without-health-data",
                TELE,
                {
                    "sub_processors.1.country": "US",
                    "sub_processors.1.transfer_safeguard": "scc_2021_914",
                },
            ),
        ),
    ),
    # --- Transfers outside the EEA (GDPR Chapter V) -------------------------------------------
    Row(
        "TRANSFER_NO_SAFEGUARD",
        Severity.BLOCKER,
        ("GDPR 44", "GDPR 46"),
        raises=(
            C(
                "declared",
                TELE,
                count=1,
                values={"recipient": "Support Inc.", "country": "IN"},
                transfers=[transfer("IN")],
            ),
            C(
                "sub-processor",
                TELE,
                {"sub_processors.2.country": "US"},
                count=1,
                values={"recipient": STREAMWAVE, "country": "US"},
            ),
            C(
                "processor-outside",
                TELE,
                {"parties.1.country": "CH", "hosting": None},
                count=1,
                values={"recipient": AGENDO, "country": "CH"},
            ),
            C(
                "processor-declared-elsewhere",
                TELE,
                {
                    "parties.1.country": "CH",
                    "hosting": None,
                    # The same recipient in another country, another recipient in the same one:
                    # neither covers the processor's own transfer to Switzerland.
                    "transfers": [
                        transfer("US", "scc_2021_914", recipient="Agendo Santé"),
                        transfer("CH", "adequacy"),
                    ],
                },
                count=1,
                values={"recipient": AGENDO, "country": "CH"},
            ),
            C(
                "storage",
                TELE,
                count=1,
                values={"recipient": NUVEA, "country": "US"},
                hosting__storage_country="US",
            ),
            C(
                "storage-and-backup",
                TELE,
                count=2,
                values=(
                    {"recipient": NUVEA, "country": "IN"},
                    {"recipient": NUVEA, "country": "US"},
                ),
                hosting__storage_country="US",
                hosting__backup_country="IN",
            ),
            C(
                "research-flow",
                OBS,
                {"research.data_flows.4.country": "US"},
                count=1,
                values={"recipient": CHU_VDL, "country": "US"},
            ),
            C(
                "research-flow-to-a-sponsor-established-outside",
                OBS,
                {"parties.0.country": "US"},
                count=1,
                values={"recipient": CHU_VDL, "country": "US"},
            ),
            C(
                "two-declared",
                TELE,
                {"transfers": [transfer("IN"), transfer("US", recipient="Other Inc.")]},
                count=2,
                values=(
                    {"recipient": "Support Inc.", "country": "IN"},
                    {"recipient": "Other Inc.", "country": "US"},
                ),
            ),
        ),
        spares=(
            C("none", TELE),
            C(
                "research-flow-to-a-us-sponsor-on-its-ground",
                OBS,
                {"parties.0.country": "US", "research.data_flows.4.safeguard": "adequacy"},
            ),
            C("declared-with-ground", TELE, transfers=[transfer("IN", "scc_2021_914")]),
            C("declared-by-derogation", TELE, transfers=[transfer("IN", "derogation")]),
            C("declared-inside-eea", TELE, transfers=[transfer("DE")]),
            C(
                "sub-with-ground",
                TELE,
                {"sub_processors.2.country": "US", "sub_processors.2.transfer_safeguard": "bcr"},
            ),
            C(
                "processor-declared",
                TELE,
                {
                    "parties.1.country": "CH",
                    "hosting": None,
                    "transfers": [transfer("CH", "adequacy", recipient="Agendo Santé")],
                },
            ),
            C(
                "sub-declared",
                TELE,
                {
                    "sub_processors.2.country": "US",
                    "transfers": [transfer("US", "scc_2021_914", recipient="Streamwave B.V.")],
                },
            ),
            C(
                "storage-declared",
                TELE,
                {
                    "hosting.storage_country": "US",
                    "hosting.backup_country": "US",
                    "transfers": [transfer("US", "scc_2021_914", recipient="Nuvéa Cloud Santé")],
                },
            ),
            C(
                "research-flow-declared",
                OBS,
                {
                    "research.data_flows.4.country": "US",
                    "transfers": [
                        transfer(
                            "US",
                            "scc_2021_914",
                            recipient=CHU_VDL,
                        )
                    ],
                },
            ),
        ),
    ),
    Row(
        "SUBPROCESSOR_OUTSIDE_EEA",
        Severity.INFO,
        ("GDPR 28(4)", "GDPR 44"),
        raises=(
            C(
                "with-ground",
                TELE,
                {
                    "sub_processors.2.country": "US",
                    "sub_processors.2.transfer_safeguard": "scc_2021_914",
                },
                count=1,
                values={"recipient": STREAMWAVE, "country": "US", "safeguard": SCC},
            ),
            C(
                "without-ground",
                TELE,
                {"sub_processors.2.country": "US"},
                count=1,
                values={"recipient": STREAMWAVE, "country": "US", "safeguard": None},
            ),
            C(
                "example",
                "glucose-telemonitoring",
                count=1,
                values={
                    "recipient": "Atlas Contact Services SARL",
                    "country": "MA",
                    "safeguard": SCC,
                },
            ),
        ),
        spares=(
            C("inside-eea", TELE),
            C("declared-transfer", TELE, transfers=[transfer("US", "scc_2021_914")]),
            C("processor-outside", TELE, {"parties.1.country": "CH", "hosting": None}),
        ),
    ),
    Row(
        "DEROGATION_TRANSFER",
        Severity.WARNING,
        ("GDPR 49",),
        raises=(
            C(
                "declared",
                TELE,
                count=1,
                values={"recipient": "Support Inc."},
                transfers=[transfer("IN", "derogation")],
            ),
            C(
                "sub-processor",
                TELE,
                {
                    "sub_processors.2.country": "US",
                    "sub_processors.2.transfer_safeguard": "derogation",
                },
                count=1,
                values={"recipient": STREAMWAVE},
            ),
        ),
        spares=(
            C("scc", TELE, transfers=[transfer("IN", "scc_2021_914")]),
            C("adequacy", TELE, transfers=[transfer("CH", "adequacy")]),
            C("no-ground", TELE, transfers=[transfer("IN")]),
            C("inside-eea", TELE, transfers=[transfer("DE", "derogation")]),
        ),
    ),
    Row(
        "GOVERNING_LAW",
        Severity.BLOCKER,
        ("GDPR 28(3)",),
        raises=(
            C("united-states", TELE, values={"country": "US"}, options__governing_law="US"),
            C("switzerland", TELE, values={"country": "CH"}, options__governing_law="CH"),
            C("research", OBS, values={"country": "GB"}, options__governing_law="GB"),
        ),
        spares=(C("france", TELE), C("germany", TELE, options__governing_law="DE")),
    ),
    # --- Governance and security of health data -----------------------------------------------
    Row(
        "DPO_MISSING",
        Severity.WARNING,
        ("GDPR 37(1)", "GDPR 37(7)"),
        raises=(
            C(
                "controller",
                TELE,
                count=1,
                values={"party": CHU_VDL},
                parties__0__dpo=None,
                parties__0__public_body=False,
            ),
            C(
                "research-sponsor",
                OBS,
                {"parties.0.dpo": None, "parties.0.public_body": False},
                count=1,
                values={"party": CHU_VDL},
            ),
            C(
                "research-joint-controller",
                REUSE,
                {"parties.1.dpo": None, "parties.1.public_body": False},
                count=1,
                values={"party": "Centre hospitalier Ardennes-Nord"},
            ),
            C(
                "controller-and-joint-controller-once",
                INTERNAL,
                {
                    "parties.0.roles": ["sponsor", "investigating_centre", "joint_controller"],
                    "parties.0.dpo": None,
                    "parties.0.public_body": False,
                },
                count=1,
                values={"party": "Centre hospitalier Rhône-Vivarais"},
            ),
        ),
        spares=(
            C("given", TELE),
            C("processor-without", TELE, {"parties.1.dpo": None}),
            C("no-health-data", TELE, {**NO_HEALTH, "parties.0.dpo": None}),
            # The centres are the sponsor's processors: none needs a DPO for it.
            C("research-centres-without", OBS, {f"parties.{i}.dpo": None for i in (1, 2, 3)}),
            C("research-joint-controllers-with", REUSE),
            # A public body has its own, wider rule: PUBLIC_BODY_DPO.
            C("public-controller-without", TELE, {"parties.0.dpo": None}),
        ),
    ),
    Row(
        "PUBLIC_BODY_DPO",
        Severity.WARNING,
        ("GDPR 37(1)(a)",),
        raises=(
            C(
                "public-controller",
                TELE,
                {"parties.0.dpo": None},
                count=1,
                values={"party": CHU_VDL},
            ),
            # Whatever its role, health data or not.
            C(
                "public-processor-no-health-data",
                TELE,
                {**NO_HEALTH, "parties.1.dpo": None, "parties.1.public_body": True},
                count=1,
                values={"party": AGENDO},
            ),
            C(
                "public-centre",
                OBS,
                {"parties.1.dpo": None},
                count=1,
                values={"party": "Centre hospitalier de Blois-Sologne"},
            ),
        ),
        spares=(
            C("public-with-dpo", TELE),
            C("private-without", TELE, {"parties.1.dpo": None}),
            C("public-service-mission-only", DRUG, {"parties.3.dpo": None}),
        ),
    ),
    # --- The language of a contract (Loi 94-665 art. 5) -----------------------------------------
    Row(
        "FRENCH_REQUIRED",
        Severity.BLOCKER,
        ("Loi 94-665 art. 5",),
        raises=(
            C("english-dpa-public-hospital", TELE, edition="en", values={"parties": [CHU_VDL]}),
            C(
                "english-public-service-mission",
                TELE,
                {"parties.0.public_body": False, "parties.0.public_service_mission": True},
                edition="en",
                values={"parties": [CHU_VDL]},
            ),
            C(
                "english-answers-by-default",
                TELE,
                {"language": "en"},
                values={"parties": [CHU_VDL]},
            ),
            C(
                "english-study-contracts",
                DRUG,
                edition="en",
                values={
                    "parties": [
                        "Centre hospitalier universitaire de Picardie-Somme",
                        "Groupe hospitalier Saint-Aubert",
                        "Centre hospitalier universitaire de l'Adour",
                    ]
                },
            ),
        ),
        spares=(
            C("french", TELE, edition="fr"),
            C("bilingual", TELE, edition="bilingual"),
            C("english-private-parties", TELE, {"parties.0.public_body": False}, edition="en"),
            # The law binds French public persons, not a public hospital of another State.
            C("english-foreign-public-hospital", TELE, {"parties.0.country": "DE"}, edition="en"),
            # A protocol annex is no contract: an internal study has none.
            C("english-internal-study", INTERNAL, edition="en"),
        ),
    ),
    Row(
        "HOSTED_DATA_NOT_RETURNED",
        Severity.WARNING,
        ("CSP L.1111-8", "CSP R.1111-11"),
        raises=(
            C(
                "glucose-deletes",
                "glucose-telemonitoring",
                {"options.end_of_contract": "delete"},
                count=1,
                values={"host": "Nordwerk Cloud GmbH"},
            ),
            C(
                "tele-deletes",
                TELE,
                {"options.end_of_contract": "delete"},
                values={"host": NUVEA},
            ),
        ),
        spares=(
            C("returns-then-deletes", TELE),
            C("glucose-returns-then-deletes", "glucose-telemonitoring"),
            C("no-health-data", TELE, {**NO_HEALTH, "options.end_of_contract": "delete"}),
            C("no-host", TELE, {"hosting": None, "options.end_of_contract": "delete"}),
        ),
    ),
    Row(
        "PROCESSOR_OWN_PURPOSES",
        Severity.INFO,
        ("GDPR 4(7)", "GDPR 28(10)"),
        raises=(
            C(
                "manufacturer-vigilance",
                "glucose-telemonitoring",
                count=1,
                values={"party": "Glycéo"},
            ),
            C(
                "vendor-own-purpose",
                TELE,
                {"processing.processor_own_purposes": ["obligation comptable"]},
                values={"party": AGENDO},
            ),
        ),
        spares=(C("none", TELE),),
    ),
    Row(
        "PARTY_IN_NO_DOCUMENT",
        Severity.WARNING,
        ("GDPR 26", "GDPR 28(3)"),
        raises=(
            C(
                "a-funder-without-a-role-in-the-study",
                OBS,
                {"parties": plus(party("funder", "controller"))},
                count=1,
                values={"party": "Party funder"},
            ),
            C(
                "a-controller-receiving-nothing",
                FUNDED,
                {"parties.3.roles": ["controller"], "research.data_flows": lambda f: f[:2]},
                count=1,
                values={"party": VELMORA},
            ),
        ),
        spares=(
            C("every-party-placed", OBS),
            C("a-host-and-a-funder-receiving-data", FUNDED),
            C(
                "a-funder-receiving-aggregated-results-only",
                FUNDED,
                {"parties.3.roles": ["funder"], "research.data_flows": lambda f: f[:2]},
            ),
            C(
                "a-host-for-the-sponsor-gets-its-dpa",
                OBS,
                {"parties": plus(party("host", "processor"))},
            ),
            C("partnership", TELE),
            C("no-document", TELE, {"parties.1.roles": ["controller"]}),
        ),
    ),
    Row(
        "CCAG_ASSUMED",
        Severity.INFO,
        ("CCP R.2112-2",),
        raises=(C("no-ccag-named", TELE, count=1),),
        spares=(
            C("ccag-named", TELE, {"processing.main_agreement.ccag": "CCAG-FCS"}),
            C("not-a-public-contract", TELE, {"processing.main_agreement.public_contract": False}),
            C("no-main-agreement", TELE, {"processing.main_agreement": None}),
        ),
    ),
    Row(
        "LIABILITY_UNCAPPED",
        Severity.INFO,
        ("GDPR 82", "C. civ. 1231-3"),
        raises=(
            C("by-default", TELE, count=1),
            C("a-research-dpa", OBS, count=1),
        ),
        spares=(
            C("main-agreement-caps", TELE, {"options.liability_caps": "main_agreement"}),
            C(
                "a-cap-of-its-own",
                TELE,
                {"options.liability_caps": "specific", "options.liability_cap": "100 000 €"},
            ),
            C("no-dpa", INTERNAL),
        ),
    ),
    Row(
        "TRANSFER_ASSESSMENT_MISSING",
        Severity.WARNING,
        ("GDPR 46(1)", "CJEU C-311/18"),
        raises=(
            C(
                "support-from-morocco-unassessed",
                "glucose-telemonitoring",
                {"sub_processors.1.transfer_assessment": None},
                values={"recipient": "Atlas Contact Services SARL", "country": "MA"},
            ),
            C(
                "declared-transfer-on-bcr",
                TELE,
                {
                    "transfers": [
                        {
                            "recipient": "Groupe X",
                            "country": "US",
                            "purpose": "support",
                            "safeguard": "bcr",
                        }
                    ]
                },
                values={"recipient": "Groupe X", "country": "US"},
            ),
            C(
                "cro-to-a-us-sponsor-on-scc-unassessed",
                OBS,
                {"parties.0.country": "US", "research.data_flows.4.safeguard": "scc_2021_914"},
                count=1,
                values={"recipient": CHU_VDL, "country": "US"},
            ),
        ),
        spares=(
            C("assessed", "glucose-telemonitoring"),
            C(
                "cro-to-a-us-sponsor-assessed",
                OBS,
                {
                    "parties.0.country": "US",
                    "research.data_flows.4.safeguard": "scc_2021_914",
                    "research.data_flows.4.assessment": "droit américain évalué",
                },
            ),
            C(
                "a-derogation-is-not-assessed-so",
                TELE,
                {
                    "transfers": [
                        {
                            "recipient": "Groupe X",
                            "country": "US",
                            "purpose": "support",
                            "safeguard": "derogation",
                        }
                    ]
                },
            ),
            C(
                "adequacy",
                TELE,
                {
                    "transfers": [
                        {
                            "recipient": "Groupe X",
                            "country": "CH",
                            "purpose": "support",
                            "safeguard": "adequacy",
                        }
                    ]
                },
            ),
        ),
    ),
    # --- Free text in each edition's language ---------------------------------------------------
    Row(
        "FREE_TEXT_OTHER_LANGUAGE",
        Severity.WARNING,
        (),
        raises=(
            C(
                "french-only-text-in-english",
                TELE,
                {"processing.subject_matter": "la téléconsultation"},
                edition="en",
                values={"language": Language.EN, "fields": ["processing.subject_matter"]},
            ),
            C(
                "english-only-items-in-french",
                TELE,
                {
                    "processing.purposes.0": {"en": "video consultations"},
                    "processing.purposes.2": {"en": "prescriptions"},
                    "parties.1.signatory.title": {"en": "Chief Executive"},
                },
                edition="fr",
                values={
                    "language": Language.FR,
                    "fields": ["parties[1].signatory.title", "processing.purposes[0, 2]"],
                },
            ),
            C(
                "the-answers-language-by-default",
                TELE,
                {"language": "en", "processing.subject_matter": {"fr": "la téléconsultation"}},
                values={"language": Language.EN, "fields": ["processing.subject_matter"]},
            ),
        ),
        spares=(
            C("both-languages", TELE, edition="en"),
            C("plain-text-in-its-language", TELE, {"processing.subject_matter": "la télé"}),
            C(
                "only-the-edition-language",
                TELE,
                {"processing.subject_matter": {"fr": "la téléconsultation"}},
                edition="fr",
            ),
            C(
                "bilingual-is-the-other-code",
                TELE,
                {"processing.subject_matter": "la téléconsultation"},
                edition="bilingual",
            ),
        ),
    ),
    Row(
        "FREE_TEXT_UNTRANSLATED",
        Severity.BLOCKER,
        (),
        raises=(
            C(
                "french-only-text",
                TELE,
                {"processing.subject_matter": "la téléconsultation"},
                edition="bilingual",
                values={"language": Language.EN, "fields": ["processing.subject_matter"]},
            ),
            C(
                "one-field-each-way",
                TELE,
                {
                    "processing.subject_matter": {"fr": "la téléconsultation"},
                    "options.courts": {"en": "Administrative Court of Orléans"},
                },
                edition="bilingual",
                count=2,
                values=(
                    {"language": Language.FR, "fields": ["options.courts"]},
                    {"language": Language.EN, "fields": ["processing.subject_matter"]},
                ),
            ),
        ),
        spares=(
            C("both-languages", TELE, edition="bilingual"),
            C("one-language-edition", TELE, {"processing.subject_matter": "x"}, edition="en"),
        ),
    ),
    # --- Dates ----------------------------------------------------------------------------------
    Row(
        "SERVICES_BEFORE_SIGNATURE",
        Severity.WARNING,
        ("GDPR 28(3)", "GDPR 28(9)"),
        raises=(
            C(
                "eleven-days-before",
                TELE,
                count=1,
                values={"start": dt.date(2027, 1, 1), "signature": dt.date(2027, 1, 12)},
            ),
            C(
                "the-day-before",
                TELE,
                {"processing.main_agreement.services_start": "2027-01-11"},
                values={"start": dt.date(2027, 1, 11), "signature": dt.date(2027, 1, 12)},
            ),
        ),
        spares=(
            C(
                "the-day-of-signature",
                TELE,
                {"processing.main_agreement.services_start": "2027-01-12"},
            ),
            C("after-signature", TELE, {"processing.main_agreement.services_start": "2027-02-01"}),
            C("undated-deed", TELE, {"signature.date": None}),
            C("no-start-given", TELE, {"processing.main_agreement.services_start": None}),
            C("glucose-starts-after", "glucose-telemonitoring"),
        ),
    ),
    Row(
        "CONTRACT_TERMS_MISSING",
        Severity.BLOCKER,
        (),
        raises=(
            C(
                "dpa-without-courts",
                TELE,
                options__courts=None,
                values={"fields": ["options.courts"]},
            ),
            C(
                "arrangement-without-place",
                REUSE,
                signature__place=None,
                values={"fields": ["signature.place"]},
            ),
            C(
                "research-dpa-without-either",
                OBS,
                options__courts=None,
                signature__place=None,
                values={"fields": ["options.courts", "signature.place"]},
            ),
        ),
        spares=(
            C("internal-study-binds-nobody", INTERNAL, options__courts=None, signature__place=None),
            C("both-given", TELE),
        ),
    ),
    Row(
        "FRENCH_TEXT_AUTHENTIC",
        Severity.INFO,
        ("Loi 94-665 art. 5",),
        raises=(
            C("bilingual-french-parties", TELE, edition="bilingual", values={"parties": [CHU_VDL]}),
        ),
        spares=(
            C("french", TELE, edition="fr"),
            C("foreign-processor", TELE, {"parties.1.country": "DE"}, edition="bilingual"),
            C(
                "private-parties",
                TELE,
                {"parties.0.public_body": False},
                edition="bilingual",
            ),
        ),
    ),
    Row(
        "BREACH_DELAY_LONG",
        Severity.WARNING,
        ("GDPR 33(1)", "GDPR 33(2)"),
        raises=(
            C("49-hours", TELE, values={"hours": 49}, options__breach_notice_hours=49),
            C("72-hours-the-maximum", TELE, values={"hours": 72}, options__breach_notice_hours=72),
            C("research", OBS, values={"hours": 60}, options__breach_notice_hours=60),
        ),
        spares=(
            C("48-hours", TELE, options__breach_notice_hours=48),
            C("36-hours", TELE, options__breach_notice_hours=36),
            C("24-hours", TELE, options__breach_notice_hours=24),
            C("1-hour", TELE, options__breach_notice_hours=1),
        ),
    ),
    Row(
        "NO_ENCRYPTION",
        Severity.WARNING,
        ("GDPR 32(1)(a)",),
        raises=(
            C("none", TELE, count=1, security_measures=without("encryption")),
            C("research", OBS, security_measures=without("encryption")),
        ),
        spares=(
            C("encryption", TELE),
            C("encryption-only", TELE, security_measures=without("authentication")),
            C("no-health-data", TELE, {**NO_HEALTH, "security_measures": without("encryption")}),
        ),
    ),
    Row(
        "NO_AUTHENTICATION",
        Severity.WARNING,
        ("GDPR 32(1)(b)",),
        raises=(
            C("none", TELE, count=1, security_measures=without("authentication")),
            C("research", OBS, security_measures=without("authentication")),
        ),
        spares=(
            C("authentication", TELE),
            C("authentication-only", TELE, security_measures=without("encryption")),
            C(
                "no-health-data",
                TELE,
                {**NO_HEALTH, "security_measures": without("authentication")},
            ),
        ),
    ),
    Row(
        "DPIA_DUE",
        Severity.INFO,
        ("GDPR 35", "CNIL 2018-327"),
        raises=(
            C("health-data", TELE, count=1),
            C("no-processor", TELE, parties__1__roles=["controller"]),
        ),
        spares=(
            C("no-health-data", TELE, NO_HEALTH),
            C("research", OBS),  # research has its own DPIA reasoning
            C("internal-study", INTERNAL),
        ),
    ),
    # --- Research: internal study ------------------------------------------------------------
    Row(
        "INTERNAL_STUDY",
        Severity.INFO,
        ("Loi 78-17 art. 65", "GDPR 30", "GDPR 13", "GDPR 14"),
        raises=(
            C("internal", INTERNAL, route="internal"),
            C(
                "flow-within-the-team",
                INTERNAL,
                {"research.data_flows": [flow("ch-rhone-vivarais", "ch-rhone-vivarais")]},
                route="internal",
            ),
        ),
        spares=(
            C("not-care-data", INTERNAL, research__internal__care_data=False, route="MR-004"),
            C("not-own-team", INTERNAL, research__internal__own_team=False, route="MR-004"),
            C("not-exclusive", INTERNAL, research__internal__exclusive_use=False, route="MR-004"),
            C("with-a-cro", INTERNAL, cro(), route="MR-004"),
            C("not-claimed", OBS),
        ),
    ),
    Row(
        "INTERNAL_DPIA_ADVISED",
        Severity.INFO,
        ("GDPR 35",),
        raises=(
            C("staff-data", INTERNAL, {"processing.data_subjects": ["staff"]}, count=1),
            C("no-health-data", INTERNAL, {"processing.data_categories": ["identification"]}),
        ),
        spares=(
            C("patients-health-data", INTERNAL),
            C(
                "dpia-done",
                INTERNAL,
                {"processing.data_subjects": ["staff"]},
                research__dpia_reference="AIPD-2027-01",
                route="internal",
            ),
            C("formal-route", OBS),
        ),
    ),
    Row(
        "INTERNAL_DPIA_REQUIRED",
        Severity.WARNING,
        ("GDPR 35", "WP248 rev.01"),
        raises=(C("patients-health-data", INTERNAL, count=1),),
        spares=(
            C("dpia-done", INTERNAL, research__dpia_reference="AIPD-2027-01", route="internal"),
            C("not-own-team", INTERNAL, research__internal__own_team=False),
            C("with-a-cro", INTERNAL, cro()),
            C("staff-data", INTERNAL, {"processing.data_subjects": ["staff"]}),
            C("formal-route", OBS),
        ),
    ),
    Row(
        "NOT_INTERNAL",
        Severity.BLOCKER,
        ("Loi 78-17 art. 65",),
        raises=(
            C(
                "cro",
                INTERNAL,
                cro(),
                count=1,
                route="MR-004",
                values={"reasons": [P("cro_takes_part", names=["Party cro-x"])]},
            ),
            C(
                "other-centre",
                INTERNAL,
                {
                    "parties": plus(party("ch-2", "investigating_centre")),
                    "research.centres": plus("ch-2"),
                },
                route="MR-004",
                values={"reasons": [P("other_establishments", names=["Party ch-2"])]},
            ),
            C(
                "data-sent-out",
                INTERNAL,
                {
                    "parties": plus(party("lab", "processor")),
                    "research.data_flows": [flow("ch-rhone-vivarais", "lab")],
                },
                route="MR-004",
                values={"reasons": [P("data_sent_to", names=["Party lab"])]},
            ),
            C(
                "all-three",
                INTERNAL,
                {
                    **cro(),
                    "parties": plus(party("cro-x", "cro"), party("ch-2", "investigating_centre")),
                    "research.centres": plus("ch-2"),
                    "research.data_flows": [flow("ch-rhone-vivarais", "cro-x")],
                },
                count=1,
                values={
                    "reasons": [
                        P("cro_takes_part", names=["Party cro-x"]),
                        P("other_establishments", names=["Party ch-2"]),
                        P("data_sent_to", names=["Party cro-x"]),
                    ]
                },
            ),
            C(
                "joint-reuse",
                REUSE,
                {
                    "research.internal.own_team": True,
                    "research.internal.exclusive_use": True,
                },
                route="MR-004",
                values={
                    "reasons": [
                        P(
                            "other_establishments",
                            names=[
                                "Centre hospitalier Ardennes-Nord",
                                "Groupement hospitalier Aube-Seine",
                            ],
                        ),
                        P("data_sent_to", names=["Centre hospitalier universitaire de Champagne"]),
                    ]
                },
            ),
        ),
        spares=(
            C("internal", INTERNAL),
            C("not-claimed", OBS),
            C("cro-not-claimed", INTERNAL, {**cro(), "research.internal.own_team": False}),
        ),
    ),
    # --- Research: the reference methodologies and the authorisation route -------------------
    Row(
        "RIPH_CPP",
        Severity.INFO,
        ("CSP L.1121-1",),
        raises=(
            C("category-3", OBS, count=1, values={"category": 3}),
            C("category-1", DRUG, values={"category": 1}, research__product=None),
            C(
                "category-2",
                OBS,
                values={"category": 2},
                research__riph_category=2,
                research__participation="express_consent",
            ),
            C("authorisation", OBS, values={"category": 3}, research__snds_linkage=True),
        ),
        spares=(
            C("reuse", REUSE),
            C("ivd", IVD),
            C("snds", SNDS),
            C("internal", INTERNAL),
            C("drug-trial", DRUG),  # CLINICAL_TRIAL_CTIS in its place
        ),
    ),
    Row(
        "PARTICIPATION",
        Severity.INFO,
        ("CSP L.1122-1-1", "GDPR 6"),
        raises=(
            C(
                "non-opposition",
                OBS,
                count=1,
                values={"participation": NON_OPPOSITION, "basis": PUBLIC},
            ),
            C("written", DRUG, values={"participation": WRITTEN, "basis": LEGITIMATE}),
            C(
                "mismatched",
                OBS,
                values={"participation": NON_OPPOSITION, "basis": PUBLIC},
                research__riph_category=1,
            ),
            C(
                "internal-with-participation",
                INTERNAL,
                values={"participation": NON_OPPOSITION, "basis": PUBLIC},
                research__participation="non_opposition",
            ),
        ),
        spares=(C("none", REUSE), C("internal", INTERNAL), C("snds", SNDS)),
    ),
    Row(
        "PARTICIPATION_MISMATCH",
        Severity.BLOCKER,
        ("CSP L.1122-1-1",),
        # Category 2 without consent may be lawful (collective information the CPP accepts):
        # CATEGORY_2_WITHOUT_CONSENT, a warning.
        raises=(
            C(
                "cat-1-express",
                OBS,
                count=1,
                values={"category": 1, "expected": WRITTEN, "given": EXPRESS},
                research__riph_category=1,
                research__participation="express_consent",
            ),
            C(
                "cat-1-non-opposition",
                OBS,
                values={"category": 1, "expected": WRITTEN, "given": NON_OPPOSITION},
                research__riph_category=1,
            ),
            C(
                "cat-1-nothing",
                OBS,
                values={"category": 1, "expected": WRITTEN, "given": None},
                research__riph_category=1,
                research__participation=None,
            ),
            C(
                "cat-3-nothing",
                OBS,
                values={"category": 3, "expected": NON_OPPOSITION, "given": None},
                research__participation=None,
            ),
            C(
                "drug-trial-express",
                DRUG,
                values={"category": 1, "expected": WRITTEN, "given": EXPRESS},
                research__participation="express_consent",
            ),
        ),
        spares=(
            C(
                "cat-1-written",
                OBS,
                research__riph_category=1,
                research__participation="written_consent",
            ),
            C(
                "cat-2-written",
                OBS,
                research__riph_category=2,
                research__participation="written_consent",
            ),
            C(
                "cat-2-express",
                OBS,
                research__riph_category=2,
                research__participation="express_consent",
            ),
            C("cat-3-non-opposition", OBS),
            C("cat-3-express", OBS, research__participation="express_consent"),
            C("cat-3-written", OBS, research__participation="written_consent"),
            C("not-human-person", REUSE),
            C("internal-not-human-person", INTERNAL),
        ),
    ),
    Row(
        "LEFTOVER_SAMPLES",
        Severity.INFO,
        ("CSP L.1211-2",),
        raises=(C("ivd-residual-samples", IVD, count=1),),
        spares=(
            C("ivd-fresh-samples", IVD, research__leftover_samples=False),
            C("observational", OBS),
        ),
    ),
    Row(
        "SPONSOR_REPRESENTATIVE_MISSING",
        Severity.WARNING,
        ("Regulation 536/2014 art. 74", "GDPR 27"),
        raises=(
            C(
                "us-sponsor",
                DRUG,
                {"parties.0.country": "US"},
                count=1,
                values={"sponsor": "Laboratoires Orvénia"},
            ),
            C("swiss-sponsor", OBS, {"parties.0.country": "CH"}, values={"sponsor": CHU_VDL}),
            C("norwegian-sponsor", OBS, {"parties.0.country": "NO"}, values={"sponsor": CHU_VDL}),
        ),
        spares=(
            C("french-sponsor", OBS),
            C(
                "us-sponsor-represented",
                DRUG,
                {"parties.0.country": "US", "parties.0.eu_representative": "Orvane EU BV, Leiden"},
            ),
            C("partnership", TELE, {"parties.0.country": "US"}),
        ),
    ),
    # --- The product studied: Regulation 536/2014, 2017/745, 2017/746 ------------------------
    Row(
        "CLINICAL_TRIAL_CTIS",
        Severity.INFO,
        ("Regulation 536/2014 art. 5", "Regulation 536/2014 art. 8", "CSP L.1124-1"),
        raises=(
            C("drug-trial", DRUG, count=1, values={"category": 1}),
            C("category-2", DRUG, values={"category": 2}, research__riph_category=2),
        ),
        spares=(
            C("no-product", DRUG, research__product=None),
            C("category-3", DRUG, research__riph_category=3),
            C("device", DRUG, research__product="medical_device"),
            C("not-riph", REUSE, research__product="medicinal_product"),
        ),
    ),
    Row(
        "CLINICAL_TRIAL_CATEGORY_2",
        Severity.WARNING,
        ("CSP L.1121-1", "Regulation 536/2014 art. 2"),
        raises=(C("category-2", DRUG, count=1, research__riph_category=2),),
        spares=(
            C("category-1", DRUG),
            C(
                "device-category-2",
                DRUG,
                research__product="medical_device",
                research__riph_category=2,
            ),
        ),
    ),
    Row(
        "PRODUCT_NOT_STATED",
        Severity.INFO,
        ("Regulation 536/2014 art. 2",),
        raises=(
            C(
                "industry-category-2",
                CU,
                count=1,
                research__product=None,
                research__riph_category=2,
                research__participation="express_consent",
            ),
            C("category-1", DRUG, research__product=None),
        ),
        spares=(
            C("drug-trial", DRUG),
            C("category-3", OBS),
            C("not-riph", REUSE),
        ),
    ),
    Row(
        "MEDICINAL_NON_INTERVENTIONAL",
        Severity.INFO,
        ("Regulation 536/2014 art. 2",),
        raises=(
            C("category-3", OBS, count=1, research__product="medicinal_product"),
            C("drug-category-3", DRUG, research__riph_category=3),
        ),
        spares=(
            C("drug-trial", DRUG),
            C("not-riph", REUSE, research__product="medicinal_product"),
            C("no-product", OBS),
        ),
    ),
    Row(
        "CLINICAL_TRIAL_SAFETY_REPORTING",
        Severity.WARNING,
        (
            "Regulation 536/2014 art. 41",
            "Regulation 536/2014 art. 42",
            "GDPR 6(1)(c)",
            "GDPR 9(2)(i)",
        ),
        raises=(C("unset", DRUG, count=1, research__safety_reporting=False),),
        spares=(
            C("set", DRUG),
            C("device", DRUG, research__product="medical_device", research__safety_reporting=False),
            C("category-3", DRUG, research__riph_category=3, research__safety_reporting=False),
        ),
    ),
    Row(
        "DEVICE_INVESTIGATION",
        Severity.INFO,
        ("Regulation 2017/745 art. 62", "CSP L.1121-1", "CSP L.1125-1"),
        raises=(
            C("device-category-1", DRUG, count=1, research__product="medical_device"),
            C(
                "device-category-2",
                OBS,
                research__product="medical_device",
                research__riph_category=2,
                research__participation="express_consent",
            ),
        ),
        spares=(
            C("device-category-3", OBS, research__product="medical_device"),
            C("device-not-riph", IVD, research__product="medical_device"),
            C("drug-trial", DRUG),
        ),
    ),
    Row(
        "IVD_PERFORMANCE_STUDY",
        Severity.INFO,
        ("Regulation 2017/746 art. 57", "Regulation 2017/746 art. 58"),
        raises=(
            C("leftover-samples", IVD, count=1),
            C("riph", OBS, research__product="in_vitro_diagnostic"),
        ),
        spares=(
            C("no-product", IVD, research__product=None),
            C("reuse", REUSE, research__product="in_vitro_diagnostic"),
            C("drug-trial", DRUG),
        ),
    ),
    Row(
        "SITE_OUTSIDE_FRANCE",
        Severity.INFO,
        ("GDPR 9(4)", "Loi 78-17 art. 3"),
        raises=(
            C(
                "german-site",
                OBS,
                count=1,
                values={"site": "Universitätsklinikum Rheinhessen", "country": "DE"},
            ),
            C(
                "belgian-joint-controller-site",
                REUSE,
                {"parties.1.country": "BE"},
                count=1,
                values={"site": _example(REUSE)["parties"][1]["name"], "country": "BE"},
            ),
        ),
        spares=(
            C("french-sites", DRUG),
            C("german-site-moved-to-france", OBS, {"parties.5.country": "FR"}),
            C("partnership", TELE, {"parties.1.country": "DE"}),
        ),
    ),
    Row(
        "CATEGORY_2_WITHOUT_CONSENT",
        Severity.WARNING,
        ("CSP L.1122-1-1", "CSP L.1122-1-4"),
        raises=(C("cat-2-non-opposition", OBS, count=1, research__riph_category=2),),
        spares=(
            C(
                "cat-2-express",
                OBS,
                research__riph_category=2,
                research__participation="express_consent",
            ),
            C("cat-3-non-opposition", OBS),
            C("cat-1-non-opposition", OBS, research__riph_category=1),
        ),
    ),
    Row(
        "METHODOLOGY",
        Severity.INFO,
        ("Loi 78-17 art. 73",),
        raises=(
            C(
                "mr-003",
                OBS,
                count=1,
                route="MR-003",
                values={"route": Route.MR_003, "why": P("category_3_research")},
            ),
            C(
                "mr-001-drug-trial",
                DRUG,
                route="MR-001",
                values={
                    "route": Route.MR_001,
                    "why": P("consent_research", category=1, genetic=True),
                },
            ),
            C(
                "mr-001-category-1",
                OBS,
                research__riph_category=1,
                research__participation="written_consent",
                route="MR-001",
                values={
                    "route": Route.MR_001,
                    "why": P("consent_research", category=1, genetic=False),
                },
            ),
            C(
                "mr-001-category-2",
                OBS,
                research__riph_category=2,
                research__participation="express_consent",
                route="MR-001",
                values={
                    "route": Route.MR_001,
                    "why": P("consent_research", category=2, genetic=False),
                },
            ),
            C(
                "mr-001-genetic-with-consent",
                OBS,
                research__genetic_testing=True,
                research__participation="express_consent",
                route="MR-001",
                values={
                    "route": Route.MR_001,
                    "why": P("consent_research", category=3, genetic=True),
                },
            ),
            C(
                "mr-002",
                IVD,
                route="MR-002",
                values={"route": Route.MR_002, "why": P("ivd_performance_study")},
            ),
            C(
                "mr-004",
                REUSE,
                route="MR-004",
                values={"route": Route.MR_004, "why": P("existing_data_reuse")},
            ),
            C(
                "mr-002-before-reuse",
                IVD,
                research__reuses_existing_data_only=True,
                route="MR-002",
                values={"route": Route.MR_002, "why": P("ivd_performance_study")},
            ),
            C(
                "mr-005-pmsi-before-reuse",
                REUSE,
                research__pmsi_data=True,
                research__intended_route=None,
                route="MR-005",
                values={"route": Route.MR_005, "why": P("pmsi_establishment")},
            ),
            C(
                "mr-006-pmsi-industry",
                REUSE,
                research__pmsi_data=True,
                research__intended_route=None,
                research__commercial=True,
                route="MR-006",
                values={"route": Route.MR_006, "why": P("pmsi_industry")},
            ),
            C(
                "mr-007-snds-public-interest",
                SNDS_ONLY,
                route="MR-007",
                values={"route": Route.MR_007, "why": P("snds_public_interest")},
            ),
            C(
                "mr-008-snds-legitimate-interest",
                SNDS_ONLY,
                research__lawful_basis="legitimate_interest",
                research__intended_route="MR-008",
                route="MR-008",
                values={"route": Route.MR_008, "why": P("snds_legitimate_interest")},
            ),
            C(
                "snds-decides-over-pmsi",
                SNDS_ONLY,
                research__pmsi_data=True,
                research__intended_route=None,
                research__commercial=True,
                route="MR-007",
                values={"route": Route.MR_007, "why": P("snds_public_interest")},
            ),
            C(
                "riph-with-snds-data",
                OBS,
                research__snds_data=True,
                route="MR-003",
                values={"route": Route.MR_003, "why": P("category_3_research")},
            ),
            C(
                "snds-without-reuse-flag",
                SNDS_ONLY,
                research__reuses_existing_data_only=False,
                route="MR-007",
                values={"route": Route.MR_007, "why": P("snds_public_interest")},
            ),
        ),
        spares=(
            C("snds", SNDS, route="authorisation"),
            C("internal", INTERNAL, route="internal"),
            C("nir", OBS, research__nir_used=True, route="authorisation"),
            C("snds-linked", SNDS_ONLY, research__snds_linkage=True, route="authorisation"),
            C(
                "snds-on-consent",
                SNDS_ONLY,
                research__lawful_basis="consent",
                research__intended_route=None,
                route="authorisation",
            ),
        ),
    ),
    Row(
        "MR003_CATEGORY_2",
        Severity.INFO,
        ("CNIL MR-003",),
        raises=(
            C(
                "express",
                OBS,
                count=1,
                research__riph_category=2,
                research__participation="express_consent",
            ),
            C(
                "written-genetic",
                OBS,
                research__riph_category=2,
                research__participation="written_consent",
                research__genetic_testing=True,
            ),
        ),
        spares=(
            C("category-3", OBS),
            C(
                "category-1",
                OBS,
                research__riph_category=1,
                research__participation="written_consent",
            ),
            C(
                "category-3-genetic",
                OBS,
                research__genetic_testing=True,
                research__participation="express_consent",
            ),
            C("not-human-person", REUSE),
        ),
    ),
    Row(
        "BEYOND_METHODOLOGY",
        Severity.INFO,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 73"),
        raises=(
            C(
                "snds",
                SNDS,
                count=1,
                route="authorisation",
                values={"reasons": [P("snds_linkage"), P("nir_used"), P("identifying_data_leave")]},
            ),
            C(
                "snds-linkage",
                OBS,
                research__snds_linkage=True,
                route="authorisation",
                values={"reasons": [P("snds_linkage")]},
            ),
            C(
                "nir",
                OBS,
                research__nir_used=True,
                route="authorisation",
                values={"reasons": [P("nir_used")]},
            ),
            C(
                "identifying-data-leave",
                OBS,
                research__identifying_data_leave_centres=True,
                route="authorisation",
                values={"reasons": [P("identifying_data_leave")]},
            ),
            C(
                "genetic-without-consent",
                OBS,
                research__genetic_testing=True,
                route="authorisation",
                values={"reasons": [P("genetic_without_consent")]},
            ),
            C(
                "genetic-without-consent-and-nir",
                OBS,
                research__genetic_testing=True,
                research__nir_used=True,
                route="authorisation",
                values={"reasons": [P("nir_used"), P("genetic_without_consent")]},
            ),
            C(
                "no-methodology-fits",
                REUSE,
                research__reuses_existing_data_only=False,
                route="authorisation",
                values={"reasons": [P("no_methodology_fits")]},
            ),
            C(
                "no-methodology-fits-and-nir",
                REUSE,
                research__reuses_existing_data_only=False,
                research__nir_used=True,
                route="authorisation",
                values={"reasons": [P("nir_used"), P("no_methodology_fits")]},
            ),
            C(
                "internal-claim-refused",
                INTERNAL,
                research__internal__care_data=False,
                research__nir_used=True,
                route="authorisation",
                values={"reasons": [P("nir_used")]},
            ),
        ),
        spares=(
            C("mr-003", OBS),
            C(
                "genetic-with-consent",
                OBS,
                research__genetic_testing=True,
                research__participation="written_consent",
            ),
            C("drug-trial", DRUG),
            C("internal-with-nir", INTERNAL, research__nir_used=True, route="internal"),
        ),
    ),
    Row(
        "AUTHORISATION_RIPH",
        Severity.INFO,
        ("Loi 78-17 art. 66",),
        raises=(
            C("snds-linkage", OBS, count=1, research__snds_linkage=True),
            C("nir", DRUG, research__nir_used=True, route="authorisation"),
        ),
        spares=(
            C("snds", SNDS),
            C("mr-003", OBS),
            C("ivd-identifying", IVD, research__identifying_data_leave_centres=True),
        ),
    ),
    Row(
        "AUTHORISATION_CESREES",
        Severity.INFO,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 76"),
        raises=(
            C("snds", SNDS, count=1),
            C("reuse-with-nir", REUSE, research__nir_used=True, route="authorisation"),
            C(
                "ivd-identifying",
                IVD,
                research__identifying_data_leave_centres=True,
                route="authorisation",
            ),
        ),
        spares=(
            C("riph", OBS, research__snds_linkage=True),
            C("mr-004", REUSE),
            C("internal", INTERNAL),
        ),
    ),
    Row(
        "HDH_DIRECTORY",
        Severity.INFO,
        ("CNIL 2018-155",),
        raises=(
            C("mr-004", REUSE, count=1),
            C("authorisation-not-involving-the-human-person", SNDS, count=1),
            C(
                "internal-claim-dropped",
                INTERNAL,
                research__internal__own_team=False,
                route="MR-004",
            ),
        ),
        spares=(
            C("mr-002", IVD),
            C("mr-003", OBS),
            C(
                "authorisation-involving-the-human-person",
                OBS,
                research__nir_used=True,
                route="authorisation",
            ),
            C("internal", INTERNAL),
        ),
    ),
    Row(
        "PMSI_SPONSOR",
        Severity.INFO,
        ("Loi 78-17 art. 73",),
        raises=(
            C(
                "mr-005",
                REUSE,
                count=1,
                research__pmsi_data=True,
                research__intended_route=None,
                values={"route": Route.MR_005, "sponsor": CHU_CHAMPAGNE},
            ),
            C(
                "mr-006",
                REUSE,
                research__pmsi_data=True,
                research__intended_route=None,
                research__commercial=True,
                values={"route": Route.MR_006, "sponsor": CHU_CHAMPAGNE},
            ),
        ),
        spares=(
            C("mr-004", REUSE),
            C("pmsi-beyond", REUSE, research__pmsi_data=True, research__nir_used=True),
            C("snds", SNDS_ONLY, research__pmsi_data=True),
        ),
    ),
    Row(
        "SNDS_METHODOLOGY_DUTIES",
        Severity.INFO,
        ("Loi 78-17 art. 73", "GDPR 26", "GDPR 30", "GDPR 37"),
        raises=(
            C("mr-007", SNDS_ONLY, count=1, values={"route": Route.MR_007}),
            C(
                "mr-008",
                SNDS_ONLY,
                research__lawful_basis="legitimate_interest",
                research__intended_route=None,
                values={"route": Route.MR_008},
            ),
        ),
        spares=(
            C("authorisation", SNDS),
            C("mr-004", REUSE),
            C("pmsi", REUSE, research__pmsi_data=True),
        ),
    ),
    Row(
        "SNDS_SECURITY",
        Severity.INFO,
        ("CSP L.1461-1", "Arrêté 6 May 2024 (SNDS)"),
        raises=(
            C("main-database", SNDS_ONLY, count=1),
            C("linkage", SNDS, count=1),
            C("linkage-only", SNDS, research__snds_data=False),
        ),
        spares=(
            C("mr-004", REUSE),
            C("pmsi", REUSE, research__pmsi_data=True),
            C("riph", OBS),
        ),
    ),
    Row(
        "SNDS_NIR_CNAM",
        Severity.INFO,
        ("CSP L.1461-1", "GDPR 4(9)"),
        raises=(C("linkage-on-the-nir", SNDS, count=1),),
        spares=(
            C("linkage-without-nir", SNDS, research__nir_used=False),
            C("nir-without-linkage", REUSE, research__nir_used=True),
            C("main-database", SNDS_ONLY),
        ),
    ),
    Row(
        "DPIA_REQUIRED",
        Severity.WARNING,
        ("GDPR 35",),
        raises=(
            C(
                "methodology",
                OBS,
                count=1,
                values={"route": Route.MR_003},
                research__dpia_reference=None,
            ),
            C(
                "authorisation",
                SNDS,
                values={"route": Route.AUTHORISATION},
                research__dpia_reference=None,
            ),
            C(
                "not-internal",
                INTERNAL,
                values={"route": Route.MR_004},
                research__internal__exclusive_use=False,
            ),
        ),
        spares=(C("given", OBS), C("internal", INTERNAL), C("given-authorisation", SNDS)),
    ),
    Row(
        "ROUTE_MISMATCH",
        Severity.BLOCKER,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 73"),
        raises=(
            # Each reason research._intended gives, and none when no reason fits.
            C(
                "mr-001-without-consent",
                OBS,
                count=1,
                values=mismatch("MR-001", "MR-003", P("mr001_needs_consent")),
                research__intended_route="MR-001",
            ),
            C(
                "mr-003-category-1",
                DRUG,
                values=mismatch("MR-003", "MR-001", P("mr003_not_category_1")),
                research__intended_route="MR-003",
            ),
            C(
                "mr-001-with-consent-beyond",
                DRUG,
                values=mismatch("MR-001", "authorisation", P("methodology_exclusions")),
                research__nir_used=True,
            ),
            C(
                "internal",
                OBS,
                values=mismatch("internal", "MR-003", P("internal_conditions")),
                research__intended_route="internal",
            ),
            C(
                "methodology-beyond",  # intends MR-003
                OBS,
                values=mismatch("MR-003", "authorisation", P("methodology_exclusions")),
                research__snds_linkage=True,
            ),
            C(
                "mr-004-for-snds",
                SNDS,
                values=mismatch("MR-004", "authorisation", P("methodology_exclusions")),
                research__intended_route="MR-004",
            ),
            C(
                "other-methodology",
                IVD,
                values=mismatch("MR-004", "MR-002", None),
                research__intended_route="MR-004",
            ),
            C(
                "other-methodology-category-1",
                DRUG,
                values=mismatch("MR-004", "MR-001", None),
                research__intended_route="MR-004",
            ),
            C(
                "authorisation-for-mr-004",
                REUSE,
                values=mismatch("authorisation", "MR-004", None),
                research__intended_route="authorisation",
            ),
            C(
                "internal-refused",  # intends internal
                INTERNAL,
                values=mismatch("internal", "MR-004", P("internal_conditions")),
                research__internal__own_team=False,
            ),
        ),
        spares=(
            C("as-intended-mr-003", OBS),
            C("none-intended", OBS, research__intended_route=None),
            C("as-intended-authorisation", SNDS),
            C("as-intended-internal", INTERNAL),
            C("as-intended-mr-001", DRUG),
        ),
    ),
    Row(
        "LEGITIMATE_INTEREST_PUBLIC",
        Severity.WARNING,
        ("GDPR 6(1)",),
        raises=(
            C(
                "public-sponsor",
                OBS,
                count=1,
                values={"sponsor": CHU_VDL},
                research__lawful_basis="legitimate_interest",
            ),
            C(
                "internal",
                INTERNAL,
                values={"sponsor": "Centre hospitalier Rhône-Vivarais"},
                research__lawful_basis="legitimate_interest",
            ),
        ),
        spares=(
            # A company may rely on its legitimate interests.
            C("drug-trial-company-sponsor", DRUG),
            C("public-interest", OBS),
            C("consent", OBS, research__lawful_basis="consent"),
            C("partnership", TELE),
        ),
    ),
    Row(
        "FLOW_NOT_HDS",
        Severity.WARNING,
        ("CSP L.1111-8",),
        raises=(
            C(
                "to-the-cro",
                OBS,
                {"research.data_flows.0.hds": False},
                count=1,
                values={"recipient": CLINIQA},
            ),
            C(
                "four-to-the-cro",
                OBS,
                {f"research.data_flows.{i}.hds": False for i in range(4)},
                count=4,
                values={"recipient": CLINIQA},
            ),
            C(
                "to-a-centre-processing-for-the-sponsor",
                OBS,
                {
                    "research.data_flows": plus(
                        flow("chu-val-de-loire", "ch-blois-sologne", hds=False)
                    )
                },
                count=1,
                values={"recipient": "Centre hospitalier de Blois-Sologne"},
            ),
            C(
                "to-a-secure-environment-for-the-sponsor",
                FUNDED,
                {"research.data_flows.1.hds": False},
                count=1,
                values={"recipient": SECURIS},
            ),
            C(
                "to-the-cro-of-a-joint-study",
                OBS,
                {
                    "research.protocol_drafted_by": "sponsor_and_centres",
                    "research.data_flows.0.hds": False,
                },
                count=1,
                values={"recipient": CLINIQA},
            ),
        ),
        spares=(
            C("certified", OBS),
            C("to-the-sponsor", OBS, {"research.data_flows.4.hds": False}),
            C(
                "to-a-joint-controller",
                OBS,
                {
                    "research.protocol_drafted_by": "sponsor_and_centres",
                    "research.data_flows": plus(
                        flow("chu-val-de-loire", "ch-blois-sologne", hds=False)
                    ),
                },
            ),
            C(
                "no-health-data",
                OBS,
                {
                    "processing.data_categories": ["personal_life", "professional"],
                    "research.data_flows.0.hds": False,
                },
            ),
            C(
                "to-joint-controllers",
                REUSE,
                {"research.data_flows.0.hds": False, "research.data_flows.1.hds": False},
            ),
            C("to-a-controller-for-its-own-purposes", FUNDED, {"research.data_flows.2.hds": False}),
        ),
    ),
    Row(
        "RECIPIENT_CONTROLLER",
        Severity.INFO,
        ("GDPR 4(9)", "GDPR 6", "GDPR 14(1)(e)", "Loi 78-17 art. 66"),
        raises=(
            C("a-funder-receiving-coded-data", FUNDED, count=1, values={"party": VELMORA}),
            C(
                "a-partner-receiving-data",
                OBS,
                {
                    "parties": plus(party("partner", "controller")),
                    "research.data_flows": plus(flow("chu-val-de-loire", "partner")),
                },
                count=1,
                values={"party": "Party partner"},
            ),
        ),
        spares=(
            C("a-cro-receiving-data", OBS),
            C("a-funder-receiving-nothing", FUNDED, research__data_flows=lambda f: f[:2]),
            C("a-funder-processing-for-the-sponsor", FUNDED, {"parties.3.roles": ["processor"]}),
            C("a-recipient-without-role", FUNDED, {"parties.3.roles": ["funder"]}),
        ),
    ),
    Row(
        "RECIPIENT_WITHOUT_ROLE",
        Severity.WARNING,
        ("GDPR 4(7)", "GDPR 4(8)"),
        raises=(
            C(
                "a-funder-receiving-data-with-no-role-for-them",
                FUNDED,
                {"parties.3.roles": ["funder"]},
                count=1,
                values={"party": VELMORA},
            ),
        ),
        spares=(
            C("a-controller-recipient", FUNDED),
            C("a-processor-recipient", FUNDED, {"parties.3.roles": ["funder", "processor"]}),
            C("the-study-s-own-recipients", OBS),
        ),
    ),
)

# The convention unique: industry-sponsored research of category 1 or 2 in a French health
# establishment, public or private (arrêté of 29 July 2024).
CATEGORY_3 = {"research.riph_category": 3, "research.participation": "non_opposition"}
JOINT_PROTOCOL = {"research.protocol_drafted_by": "sponsor_and_centres"}
BOTH_SITES = {"centres": [CHU_FOREZ, CLINIC_PARC]}
GHSA = "Groupe hospitalier Saint-Aubert"  # DRUG's private not-for-profit centre
CONVENTION_ROWS = (
    Row(
        "CONVENTION_UNIQUE",
        Severity.INFO,
        ("CSP L.1121-16-1", "CSP R.1121-3-1"),
        raises=(
            C("public-and-private-in-commercial-research", CU, count=1, values=BOTH_SITES),
            # An industry drug trial: the two public CHUs and the private not-for-profit group.
            C("drug-trial-every-site", DRUG, values={"centres": [CHU_PICARDIE, GHSA, CHU_ADOUR]}),
            C(
                "category-2",
                CU,
                research__riph_category=2,
                research__participation="express_consent",
                research__product=None,
                values=BOTH_SITES,
            ),
            C("joint-controllers-sign-it-too", CU, JOINT_PROTOCOL, values=BOTH_SITES),
            C(
                "a-site-abroad-aside",
                CU,
                {"parties.3.country": "DE"},
                values={"centres": [CHU_FOREZ]},
            ),
        ),
        spares=(
            C("academic", CU, research__commercial=False),
            C("commercial-category-3", CU, CATEGORY_3),
            C(
                "not-involving-the-human-person",
                CU,
                research__involves_human_person=False,
                research__riph_category=None,
                research__participation=None,
            ),
            C("drug-trial-academic", DRUG, research__commercial=False),
        ),
    ),
    Row(
        "CONVENTION_UNIQUE_JOINT_CONTROL",
        Severity.WARNING,
        ("CSP L.1121-16-1", "GDPR 26", "GDPR 28"),
        raises=(C("protocol-drawn-up-together", CU, JOINT_PROTOCOL, values=BOTH_SITES),),
        spares=(
            C("sponsor-wrote-the-protocol", CU),
            C("joint-but-academic", CU, JOINT_PROTOCOL, research__commercial=False),
        ),
    ),
    Row(
        "CONVENTION_UNIQUE_CATEGORY_3",
        Severity.INFO,
        ("CSP L.1121-16-1",),
        raises=(C("commercial-category-3", CU, CATEGORY_3, values=BOTH_SITES),),
        spares=(
            C("category-1", CU),
            C("academic-category-3", CU, CATEGORY_3, research__commercial=False),
        ),
    ),
)
TABLE += CONVENTION_ROWS

ROWS = {row.code: row for row in TABLE}


def _assess(case: Case) -> Assessment:
    return assess(answers(case.example, case.changes), case.edition)


def _codes(example: str, changes: Mapping[str, Any]) -> set[str]:
    return {f.code for f in assess(answers(example, changes)).findings}


def _params(kind: str) -> list[Any]:
    return [
        pytest.param(row, case, id=f"{row.code}-{case.name}")
        for row in TABLE
        for case in getattr(row, kind)
    ]


@pytest.mark.parametrize(("row", "case"), _params("raises"))
def test_raises(row: Row, case: Case) -> None:
    result = _assess(case)
    found = [f for f in result.findings if f.code == row.code]
    assert found, f"{row.code} not raised; raised: {[f.code for f in result.findings]}"
    for finding in found:
        assert finding.severity is row.severity
        assert tuple(finding.articles) == row.articles
    if case.count is not None:
        assert len(found) == case.count
    if case.route is not None:
        assert result.research_route == case.route
    values = [dict(f.values) for f in found]
    if not ALL_RULES[row.code].values:
        assert values == [{}] * len(found)
    elif isinstance(case.values, tuple):
        assert values == [dict(v) for v in case.values]
    else:
        assert case.values is not None, f"{row.code}: the case gives no values"
        assert values == [dict(case.values)] * len(found)


_BLOCKERS = [
    pytest.param(row, case, id=f"{row.code}-{case.name}")
    for row in TABLE
    if row.severity is Severity.BLOCKER
    for case in row.raises
]


@pytest.mark.parametrize(("row", "case"), _BLOCKERS)
def test_a_blocker_names_the_answers_that_settle_it(row: Row, case: Case) -> None:
    """Each blocker carries the answers fields a user changes to settle it (the interview
    reopens those questions): every one a field of the answers, as the answers file spells it."""
    given = answers(case.example, case.changes)
    data = given.model_dump(mode="json")
    for finding in (f for f in assess(given, case.edition).findings if f.code == row.code):
        assert finding.fields, f"{row.code}: no answers field"
        for name in finding.fields:
            *parents, last = re.split(r"\.|\[|\]\.?", name.rstrip("]"))
            target: Any = data
            for part in parents:
                target = target[int(part)] if part.isdigit() else target[part]
            assert (int(last) < len(target)) if last.isdigit() else last in target, name


@pytest.mark.parametrize(
    ("example", "changes", "code", "fields"),
    [
        (
            TELE,
            {"transfers": [transfer("IN")]},
            "TRANSFER_NO_SAFEGUARD",
            ["transfers[0].safeguard"],
        ),
        (
            TELE,
            {"sub_processors.2.country": "US"},
            "TRANSFER_NO_SAFEGUARD",
            ["sub_processors[2].transfer_safeguard"],
        ),
        (
            OBS,
            {"research.data_flows.4.country": "US"},
            "TRANSFER_NO_SAFEGUARD",
            ["research.data_flows[4].safeguard"],
        ),
        # A processor established outside: the question that declares a transfer.
        (
            TELE,
            {"parties.1.country": "CH", "hosting": None},
            "TRANSFER_NO_SAFEGUARD",
            ["transfers"],
        ),
        (
            TELE,
            {"hosting.storage_country": "US", "hosting.backup_country": "US"},
            "HDS_OUTSIDE_EEA",
            ["hosting.storage_country", "hosting.backup_country"],
        ),
        (TELE, {"hosting.hds_certified": False}, "HDS_NOT_CERTIFIED", ["hosting.hds_certified"]),
        (
            TELE,
            {"parties": plus(party("chu-2", "controller"))},
            "DPA_ROLES",
            ["parties[0].roles", "parties[1].roles", "parties[2].roles"],
        ),
        (TELE, {"options.governing_law": "US"}, "GOVERNING_LAW", ["options.governing_law"]),
    ],
)
def test_a_blocker_points_at_the_question_at_fault(
    example: str, changes: dict[str, Any], code: str, fields: list[str]
) -> None:
    (finding,) = [f for f in assess(answers(example, changes)).findings if f.code == code]
    assert list(finding.fields) == fields


@pytest.mark.parametrize(("row", "case"), _params("spares"))
def test_spares(row: Row, case: Case) -> None:
    result = _assess(case)
    assert row.code not in {f.code for f in result.findings}
    if case.route is not None:
        assert result.research_route == case.route


def test_table_codes_are_unique_and_their_cases_named_once() -> None:
    assert len(ROWS) == len(TABLE)
    for row in TABLE:
        names = [c.name for c in (*row.raises, *row.spares)]
        assert len(names) == len(set(names)), row.code
        assert row.raises and row.spares, row.code
        for case in row.raises:
            # A code that carries values names them in every case that raises it.
            assert (case.values is not None) is bool(ALL_RULES[row.code].values), case.name
        assert all(case.values is None for case in row.spares), row.code


# --- Every code the legal layer can raise has a row -------------------------------------------


def _added_codes() -> set[str]:
    """The codes in the first argument of every `.add(...)` call of generator/legal/*.py
    (a conditional code `add("A" if x else "B")` gives both)."""
    codes: set[str] = set()
    for source in LEGAL.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add"
                and node.args
            ):
                codes |= {
                    n.value
                    for n in ast.walk(node.args[0])
                    if isinstance(n, ast.Constant)
                    and re.fullmatch(r"[A-Z][A-Z0-9_]+", str(n.value))
                }
    return codes


def _declared_codes() -> set[str]:
    """The codes of the rules' registries: the module-level mappings of generator/legal whose
    values are rules (each with its severity)."""

    def is_rule(value: object) -> bool:
        return isinstance(getattr(value, "severity", None), Severity)

    codes: set[str] = set()
    for source in LEGAL.glob("*.py"):
        module = importlib.import_module(f"generator.legal.{source.stem}")
        for value in vars(module).values():
            if isinstance(value, Mapping) and value and all(map(is_rule, value.values())):
                codes |= set(value)
    return codes


def test_every_code_has_a_row() -> None:
    if any("__mutmut_" in f.read_text(encoding="utf-8") for f in LEGAL.glob("*.py")):
        pytest.skip("under make mutate the source holds every mutant's copy of the codes")
    added, declared = _added_codes(), _declared_codes()
    assert added and declared, "the scan of generator/legal/ found no code"
    missing = (added | declared) - set(ROWS)
    assert not missing, f"codes without a row in tests/test_findings.py: {sorted(missing)}"
    assert added <= declared, f"codes raised but declared nowhere: {sorted(added - declared)}"
    never = declared - added
    assert not never, f'codes declared that no `.add("CODE")` raises: {sorted(never)}'
    stale = set(ROWS) - declared
    assert not stale, f"rows for codes the legal layer no longer has: {sorted(stale)}"


# --- Edges the table does not show -------------------------------------------------------------


@pytest.mark.parametrize("hours", [0, 73])
def test_breach_notice_hours_outside_1_to_72_are_refused(hours: int) -> None:
    with pytest.raises(ValidationError):
        answers(TELE, {"options.breach_notice_hours": hours})


def test_a_clean_partnership_gets_its_dpa_and_nothing_blocks() -> None:
    # Services starting with the signature, not eleven days before it.
    clean = {
        "processing.main_agreement.services_start": None,
        "processing.main_agreement.ccag": "CCAG-TIC",
        "options.liability_caps": "main_agreement",
    }
    result = _assess(Case("clean", TELE, clean))
    assert [(d.kind, d.parties) for d in result.documents] == [
        (DocumentKind.DPA, ("chu-val-de-loire", "agendo-sante")),
        (DocumentKind.PROCESSING_RECORD, ("chu-val-de-loire", "agendo-sante")),
        (DocumentKind.DPIA, ("chu-val-de-loire", "agendo-sante")),
    ]
    assert result.roles == {"chu-val-de-loire": ("controller",), "agendo-sante": ("processor",)}
    assert [f.code for f in result.findings] == ["DPIA_DUE"]
    assert result.research_route is None


@pytest.mark.parametrize("code", ["DPA_ROLES", "NO_PROCESSOR"])
def test_without_one_controller_and_one_processor_no_dpa_is_due(code: str) -> None:
    for case in ROWS[code].raises:
        assert _assess(case).documents == (), case.name


def test_findings_come_blockers_first_then_warnings_then_information() -> None:
    case = Case(
        "mixed",
        TELE,
        {
            "options.breach_notice_hours": 60,
            "hosting.hds_certified": False,
            "processing.main_agreement.services_start": None,
            "processing.main_agreement.ccag": "CCAG-TIC",
            "options.liability_caps": "main_agreement",
        },
    )
    severities = [f.severity for f in _assess(case).findings]
    assert severities == [Severity.BLOCKER, Severity.WARNING, Severity.INFO]


# --- Roles and documents of research projects ---------------------------------------------------

JOINT = {"research.protocol_drafted_by": "sponsor_and_centres"}
CENTRES_OBS = ("ch-blois-sologne", "ch-chartres-beauce", "gh-berry-cher", "ukl-rheinhessen")
CENTRES_DRUG = ("chu-picardie", "ghsa-lille", "chu-adour")


@pytest.mark.parametrize(
    ("example", "changes", "roles", "documents"),
    [
        pytest.param(
            OBS,
            {},
            {
                "chu-val-de-loire": ("sponsor", "investigating_centre", "controller"),
                **{c: ("investigating_centre", "processor") for c in CENTRES_OBS},
                "cliniqa": ("cro", "processor"),
            },
            [
                ("protocol-annex", ("chu-val-de-loire",)),
                *(("dpa", ("chu-val-de-loire", p)) for p in ("cliniqa", *CENTRES_OBS)),
            ],
            id="sponsor-wrote-the-protocol",
        ),
        pytest.param(
            OBS,
            JOINT,
            {
                "chu-val-de-loire": ("sponsor", "investigating_centre", "joint_controller"),
                **{c: ("investigating_centre", "joint_controller") for c in CENTRES_OBS},
                "cliniqa": ("cro", "processor"),
            },
            [
                ("protocol-annex", ("chu-val-de-loire",)),
                ("joint-controllers", ("chu-val-de-loire", *CENTRES_OBS)),
                ("dpa", ("chu-val-de-loire", "cliniqa")),
            ],
            id="sponsor-and-centres-wrote-it",
        ),
        pytest.param(
            DRUG,
            JOINT,
            {
                "orvenia": ("sponsor", "joint_controller"),
                "medrion": ("cro", "processor"),
                **{c: ("investigating_centre", "joint_controller") for c in CENTRES_DRUG},
                # The central laboratory and reader stay the sponsor's processors.
                "centralys": ("processor",),
                "endoread": ("processor",),
            },
            [
                ("protocol-annex", ("orvenia",)),
                ("joint-controllers", ("orvenia", *CENTRES_DRUG)),
                ("dpa", ("orvenia", "medrion")),
                ("dpa", ("orvenia", "centralys")),
                ("dpa", ("orvenia", "endoread")),
            ],
            id="sponsor-outside-the-centres-writes-it-with-them",
        ),
        pytest.param(
            REUSE,
            {"research.centres": ["chu-champagne", "ch-ardennes-nord"]},
            {
                "chu-champagne": ("sponsor", "investigating_centre", "joint_controller"),
                "ch-ardennes-nord": ("investigating_centre", "joint_controller"),
                "gh-aube-seine": ("investigating_centre",),
            },
            [
                ("protocol-annex", ("chu-champagne",)),
                ("joint-controllers", ("chu-champagne", "ch-ardennes-nord")),
            ],
            id="two-joint-controllers",
        ),
        pytest.param(
            INTERNAL,
            JOINT,
            {"ch-rhone-vivarais": ("sponsor", "investigating_centre", "controller")},
            [("protocol-annex", ("ch-rhone-vivarais",))],
            id="no-other-centre-to-share-the-protocol-with",
        ),
        pytest.param(
            INTERNAL,
            {"parties.0.roles": ["sponsor", "investigating_centre", "processor"]},
            {"ch-rhone-vivarais": ("sponsor", "investigating_centre", "processor", "controller")},
            [("protocol-annex", ("ch-rhone-vivarais",))],
            id="an-internal-study-has-no-dpa-even-with-a-hospital-named-processor",
        ),
        pytest.param(
            INTERNAL,
            {"parties.0.roles": ["sponsor", "investigating_centre", "joint_controller"]},
            {
                "ch-rhone-vivarais": (
                    "sponsor",
                    "investigating_centre",
                    "joint_controller",
                    "controller",
                )
            },
            [("protocol-annex", ("ch-rhone-vivarais",))],
            id="a-lone-joint-controller-has-no-arrangement",
        ),
        pytest.param(
            CU,
            {},
            {
                "heliance": ("sponsor", "controller"),
                "clinactis": ("cro", "processor"),
                "chu-forez": ("investigating_centre", "processor"),
                "clinique-parc": ("investigating_centre", "processor"),
                "santelia": ("processor",),  # the sponsor's own host
            },
            [
                ("protocol-annex", ("heliance",)),
                ("dpa", ("heliance", "clinactis")),
                ("convention-unique-description", ("heliance", "chu-forez")),
                ("convention-unique-description", ("heliance", "clinique-parc")),
                ("dpa", ("heliance", "santelia")),
            ],
            id="the-hospital-and-the-clinic-each-have-their-convention-unique",
        ),
        pytest.param(
            CU,
            JOINT,
            {
                "heliance": ("sponsor", "joint_controller"),
                "clinactis": ("cro", "processor"),
                "chu-forez": ("investigating_centre", "joint_controller"),
                "clinique-parc": ("investigating_centre", "joint_controller"),
                "santelia": ("processor",),
            },
            [
                ("protocol-annex", ("heliance",)),
                ("joint-controllers", ("heliance", "chu-forez", "clinique-parc")),
                ("dpa", ("heliance", "clinactis")),
                ("dpa", ("heliance", "santelia")),
            ],
            id="a-joint-controller-under-the-convention-unique-gets-no-description",
        ),
    ],
)
def test_research_roles_and_documents(
    example: str,
    changes: dict[str, Any],
    roles: dict[str, tuple[str, ...]],
    documents: list[tuple[str, tuple[str, ...]]],
) -> None:
    given = answers(example, changes)
    result = assess(given)
    assert {pid: tuple(r.value for r in rs) for pid, rs in result.roles.items()} == roles
    # The agreements and descriptions; the pack travelling with them is test_pack's.
    assert [(d.kind.value, d.parties) for d in result.documents if d.kind not in PACK] == documents
    processors = [p.id for p in given.parties if "processor" in roles[p.id]]  # answers' order
    assert [p.id for p in result.parties_with(given, Role.PROCESSOR)] == processors


@pytest.mark.parametrize(
    ("example", "changes", "joint", "holders"),
    [
        pytest.param(TELE, {}, (), (), id="partnership"),
        pytest.param(OBS, {}, (), ("chu-val-de-loire", *CENTRES_OBS), id="the-centres-keep-it"),
        pytest.param(
            OBS,
            {"research.centres": plus("ch-blois-sologne", "chu-val-de-loire")},
            (),
            ("chu-val-de-loire", *CENTRES_OBS),
            id="each-centre-once",
        ),
        pytest.param(
            OBS,
            {**JOINT, "research.key_table_holder": "cliniqa"},
            ("chu-val-de-loire", *CENTRES_OBS),
            ("cliniqa",),
            id="a-named-holder-instead-of-the-centres",
        ),
        pytest.param(DRUG, {}, (), CENTRES_DRUG, id="a-sponsor-outside-the-centres"),
        pytest.param(
            REUSE,
            {},
            ("chu-champagne", "ch-ardennes-nord", "gh-aube-seine"),
            ("chu-champagne", "ch-ardennes-nord", "gh-aube-seine"),
            id="joint-reuse",
        ),
        pytest.param(
            REUSE,
            {"research.key_table_holder": "ch-ardennes-nord"},
            ("chu-champagne", "ch-ardennes-nord", "gh-aube-seine"),
            ("ch-ardennes-nord",),
            id="joint-reuse-named-holder",
        ),
        pytest.param(SNDS, {}, (), ("chu-garonne",), id="named-holder-also-the-centre"),
    ],
)
def test_joint_controllers_and_key_table_holders(
    example: str, changes: dict[str, Any], joint: tuple[str, ...], holders: tuple[str, ...]
) -> None:
    result = assess(answers(example, changes))
    assert result.joint_controllers == joint
    assert result.key_table_holders == holders


# --- Transfers out of the EEA, declared or derived ------------------------------------------------


def _transfer(
    recipient: str,
    country: str,
    purpose: str | None,
    *,
    safeguard: Safeguard | None = None,
    hosting: bool = False,
    declared: bool = False,
    assessment: Any = None,
    processor: str | None = None,
    data: Any = None,
    exporter: str | None = None,
) -> dict[str, Any]:
    return {
        "processor": processor,
        "exporter": exporter,
        "recipient": recipient,
        "country": country,
        "purpose": purpose,
        "data": data,
        "safeguard": safeguard,
        "details": None,
        "assessment": assessment,
        "hosting": hosting,
        "declared": declared,
    }


@pytest.mark.parametrize(
    ("example", "changes", "expected"),
    [
        pytest.param(TELE, {}, lambda a: [], id="none"),
        pytest.param(
            TELE,
            {"transfers": [transfer("IN"), transfer("DE")]},
            lambda a: [_transfer("Support Inc.", "IN", "support", declared=True)],
            id="declared-outside-not-inside",
        ),
        pytest.param(
            TELE,
            {"transfers": [transfer("US", "scc_2021_914", recipient=AGENDO)]},
            lambda a: [_transfer(AGENDO, "US", "support", safeguard=SCC, declared=True)],
            id="declared-with-its-safeguard",
        ),
        pytest.param(
            TELE,
            {"parties.1.country": "CH", "hosting": None},
            lambda a: [_transfer(AGENDO, "CH", a.processing.subject_matter)],
            id="processor-outside",
        ),
        pytest.param(
            TELE,
            {"sub_processors.2.country": "US", "sub_processors.2.transfer_safeguard": "bcr"},
            lambda a: [
                _transfer(STREAMWAVE, "US", a.sub_processors[2].service, safeguard=Safeguard.BCR)
            ],
            id="sub-processor-outside",
        ),
        pytest.param(
            TELE,
            {"hosting.storage_country": "US", "hosting.backup_country": "IN"},
            lambda a: [
                _transfer(NUVEA, "IN", None, hosting=True),
                _transfer(NUVEA, "US", None, hosting=True),
            ],
            id="storage-and-backup-outside",
        ),
        pytest.param(
            TELE,
            {
                "hosting.storage_country": "US",
                "transfers": [transfer("US", "scc_2021_914", recipient=NUVEA)],
            },
            lambda a: [_transfer(NUVEA, "US", "support", safeguard=SCC, declared=True)],
            id="storage-declared",
        ),
        pytest.param(
            OBS,
            {"research.data_flows.4.country": "US"},
            lambda a: [
                _transfer(
                    CHU_VDL,
                    "US",
                    None,
                    data=a.research.data_flows[4].data,
                    processor="cliniqa",
                    exporter=a.party("cliniqa").name,
                )
            ],
            id="research-flow-outside",
        ),
        pytest.param(
            OBS,
            {
                "parties.0.country": "US",
                "research.data_flows.4.safeguard": "scc_2021_914",
                "research.data_flows.4.assessment": "évaluation",
            },
            lambda a: [
                _transfer(
                    CHU_VDL,
                    "US",
                    None,
                    data=a.research.data_flows[4].data,
                    safeguard=SCC,
                    assessment="évaluation",
                    processor="cliniqa",
                    exporter=a.party("cliniqa").name,
                )
            ],
            id="research-flow-to-a-sponsor-established-outside",
        ),
        pytest.param(
            OBS,
            {
                "parties.4.country": "US",
                "research.data_flows": lambda flows: flows[:2],
                "research.data_flows.0.safeguard": "scc_2021_914",
            },
            lambda a: [
                _transfer(
                    CLINIQA,
                    "US",
                    None,
                    data=a.research.data_flows[0].data,
                    safeguard=SCC,
                    exporter=a.party(a.research.data_flows[0].source).name,
                ),
                _transfer(
                    CLINIQA,
                    "US",
                    None,
                    data=a.research.data_flows[1].data,
                    processor="ch-blois-sologne",
                    exporter=a.party("ch-blois-sologne").name,
                ),
            ],
            id="flows-to-a-cro-outside-one-per-exporter",
        ),
        pytest.param(
            DRUG,
            {},
            lambda a: [
                _transfer(
                    "Bayard Biostatistics LLC",
                    "US",
                    a.sub_processors[1].service,
                    safeguard=SCC,
                    assessment=a.sub_processors[1].transfer_assessment,
                )
            ],
            id="drug-trial-example",
        ),
    ],
)
def test_outside_eea_transfers(
    example: str, changes: dict[str, Any], expected: Callable[[Answers], list[dict[str, Any]]]
) -> None:
    given = answers(example, changes)
    found = assess(given).outside_eea_transfers
    # Through the model: a free text the expectation takes from the answers dumps as found's.
    wanted = [OutsideTransfer(**t).model_dump() for t in expected(given)]
    assert [t.model_dump() for t in found] == wanted


# --- A rule passes exactly the values it declares ----------------------------------------------


def test_values_other_than_declared_are_a_bug_named_by_code_and_names() -> None:
    out = Findings(
        {"A_CODE": Rule(Severity.INFO, ("GDPR 5",), {"party": str})}, {"a_phrase": {"names": list}}
    )
    out.add("A_CODE", party="X")
    assert out.phrase("a_phrase", names=["Y"]) == Phrase("a_phrase", {"names": ["Y"]})
    with pytest.raises(TypeError, match=r"A_CODE.*\['host'\].*\['party'\]"):
        out.add("A_CODE", host="X")
    with pytest.raises(TypeError, match=r"a_phrase.*\[\].*\['names'\]"):
        out.phrase("a_phrase")
    assert [(f.code, dict(f.values)) for f in out.sorted()] == [("A_CODE", {"party": "X"})]


# --- What the interview asks the legal layer agrees with the assessment -----------------------

RESEARCH_CASES = [
    pytest.param(case, id=f"{row.code}-{case.name}")
    for row in TABLE
    for case in (*row.raises, *row.spares)
    if case.example not in (TELE, "glucose-telemonitoring", "clinic-lab-results")
]


@pytest.mark.parametrize("case", RESEARCH_CASES)
def test_the_interview_route_is_the_assessment_route(case: Case) -> None:
    given = answers(case.example, case.changes)
    assert given.research is not None
    assert facts.research_route(given.research) == assess(given).research_route


@pytest.mark.parametrize(
    "categories",
    [["health"], ["identification", "health"], ["identification", "contact"], ["genetic"]],
)
def test_health_data_for_the_interview_is_health_data_for_the_rules(categories: list) -> None:
    codes = _codes(TELE, {"processing.data_categories": categories})
    assert facts.health_data(categories) is ("DPIA_DUE" in codes)


def test_health_data_ignores_what_is_not_yet_a_category() -> None:
    assert facts.health_data(["helth", "health"]) is True
    assert facts.health_data(["helth"]) is False


@pytest.mark.parametrize("country", ["FR", "fr", "DE", "NO", "CH", "US", "us"])
def test_outside_the_eea_for_the_interview_is_outside_for_the_rules(country: str) -> None:
    codes = _codes(TELE, {"options.governing_law": country})
    assert facts.outside_eea(country) is ("GOVERNING_LAW" in codes)


@pytest.mark.parametrize(
    ("stores", "health"), [(s, h) for s in (True, False) for h in (True, False)]
)
def test_certified_host_for_the_interview_is_the_rules_certified_host(
    stores: bool, health: bool
) -> None:
    changes = {
        "sub_processors.1.hosts_data": stores,
        "sub_processors.1.hosts_health_data": stores,
        "sub_processors.1.hds_certified": False,
        **({} if health else NO_HEALTH),
    }
    codes = _codes(TELE, changes)
    assert facts.needs_certified_host(stores, health) is ("HDS_NOT_CERTIFIED" in codes)


@pytest.mark.parametrize(
    ("decides", "reuses", "deciders", "proposed"),
    [
        (True, False, 1, ("controller",)),
        (True, True, 1, ("controller",)),
        (True, False, 2, ("joint_controller",)),
        (False, False, 1, ("processor",)),
        (False, False, 2, ("processor",)),
        (False, True, 1, ()),
        (False, False, 0, ()),
    ],
)
def test_proposed_roles_follow_the_facts(
    decides: bool, reuses: bool, deciders: int, proposed: tuple[str, ...]
) -> None:
    assert tuple(r.value for r in facts.proposed_roles(decides, reuses, deciders)) == proposed
    # Named processor with those facts, the party draws PROCESSOR_DECIDES exactly when the
    # interview would not have proposed it as processor.
    changes = {
        "parties.1.determines_purposes": decides,
        "parties.1.reuses_data_for_own_purposes": reuses,
    }
    codes = _codes(TELE, changes)
    if deciders:
        assert ("PROCESSOR_DECIDES" in codes) is ("processor" not in proposed)


# --- The assessment as `clausier assess --json` gives it ----------------------------------------


def test_as_dict_gives_the_decisions_and_lets_the_library_word_the_findings() -> None:
    result = _assess(Case("no-dpia", OBS, {"research.dpia_reference": None}))
    data = result.as_dict(lambda f: f"<{f.code}>")
    sponsor = "chu-val-de-loire"
    pack = ["information-notice", "information-poster", "processing-record", "dpia"]
    assert data["documents"] == ["protocol-annex", "dpa", *pack]
    assert data["document_set"] == [
        {"kind": "protocol-annex", "parties": [sponsor]},
        *({"kind": "dpa", "parties": [sponsor, p]} for p in ("cliniqa", *CENTRES_OBS)),
        # The pack, the sponsor's: its notice and poster (a non-objection study), its record
        # entries, the DPIA outline (none referenced).
        {"kind": "information-notice", "parties": [sponsor]},
        {"kind": "information-poster", "parties": [sponsor]},
        {"kind": "processing-record", "parties": [sponsor]},
        {"kind": "dpia", "parties": [sponsor]},
    ]
    assert result.processors == ("cliniqa", *CENTRES_OBS)  # each with its record entry
    assert data["roles"]["cliniqa"] == ["cro", "processor"]
    assert data["research_route"] == "MR-003"
    assert data["findings"][0] == {
        "severity": "warning",
        "code": "DPIA_REQUIRED",
        "message": "<DPIA_REQUIRED>",
        "articles": ["GDPR 35"],
        "fields": [],
    }
    assert [f["code"] for f in data["findings"]] == [f.code for f in result.findings]
    assert _assess(Case("clean", TELE)).as_dict(str)["research_route"] is None


# --- The sub-processors a DPA lists ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected", "derived"),
    [
        pytest.param({}, [NUVEA, "Sendora", STREAMWAVE], [], id="host-listed-already"),
        pytest.param(
            {"sub_processors": lambda subs: subs[1:]},
            ["Sendora", STREAMWAVE, NUVEA],
            [NUVEA],
            id="host-not-listed-is-added",
        ),
        pytest.param(
            {"sub_processors": lambda subs: subs[1:], "hosting.provider": AGENDO},
            ["Sendora", STREAMWAVE],
            [],
            id="processor-hosts-itself",
        ),
        pytest.param(
            {"sub_processors": lambda subs: subs[1:], "hosting.processor": "chu-val-de-loire"},
            ["Sendora", STREAMWAVE],
            [],
            id="hosting-of-another-party",
        ),
        pytest.param(
            {"sub_processors.1.processor": "chu-val-de-loire"},
            [NUVEA, STREAMWAVE],
            [],
            id="sub-processor-of-another-party",
        ),
    ],
)
def test_sub_processors_of_a_processor(
    changes: dict[str, Any], expected: list[str], derived: list[str]
) -> None:
    """A DPA's sub-processors: the processor's own, and its host when the answers do not list
    it (derived: no service or address of its own, the annex words them)."""
    from generator.legal.assessment import sub_processors_of

    a = answers(TELE, changes)
    subs = sub_processors_of(a, a.party("agendo-sante"))
    assert [s.name for s in subs] == expected
    assert [s.name for s in subs if s.hosting] == derived
    for host in (s for s in subs if s.hosting):
        assert (host.service, host.address, host.hosts_data) == (None, None, True)
        assert (host.hosts_health_data, host.hds_certified) == (True, a.hosting.hds_certified)
        assert host.country == a.hosting.storage_country
