"""The legal reasoning: from the answers to the documents due, the roles and the findings.

A pure function of the answers, with no words in it: every rule lives here or, for research
formalities, in research.py, once, with the articles it applies; findings are codes and values,
worded by the clause library (clauses/messages.yaml). The documents and the command line only
report what it decides. Sources: docs/legal/.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from pydantic import Field

from ..answers.countries import in_eea
from ..answers.languages import field_names, missing_in
from ..answers.model import (
    ARTICLE_9_CATEGORIES,
    Answers,
    DataCategory,
    EndOfContract,
    FreeText,
    Hosting,
    Language,
    LiabilityCaps,
    MeasureCategory,
    Party,
    Role,
    Route,
    Safeguard,
    SubProcessor,
    Text,
    Transfer,
)
from ..answers.yamlfile import format_path
from . import research
from .findings import Finding, Findings, Rule, Severity
from .research import (
    METHODOLOGIES,
    assess_research,
    collective_information,
    convention_unique_centres,
    dpia_due,
    key_table_holders,
    research_parties,
    research_roles,
    sites_outside_france,
)

__all__ = ["Assessment", "DocumentDue", "DocumentKind", "Finding", "Severity", "assess"]


class DocumentKind(str, Enum):
    """Each kind has its clause library folder and its Word template of the same name."""

    DPA = "dpa"
    PROTOCOL_ANNEX = "protocol-annex"
    JOINT_CONTROLLERS = "joint-controllers"
    # What the convention unique's model leaves the sponsor and a public establishment to fill
    # in: due instead of that establishment's DPA (research.convention_unique_centres).
    CONVENTION_UNIQUE = "convention-unique-description"
    # The documents that travel with the agreements, from the same answers: what participants
    # or patients are told (Arts 13, 14), the poster of collective information, the record
    # entries (Art. 30) and the DPIA outline (Art. 35).
    INFORMATION_NOTICE = "information-notice"
    INFORMATION_POSTER = "information-poster"
    PROCESSING_RECORD = "processing-record"
    DPIA = "dpia"
    # The articles that amend a signed DPA, built only against it (`build --against`),
    # never due from the answers alone.
    AMENDMENT = "amendment"


# The kinds the answers alone can call for (`build --only` offers them): not an amendment,
# which needs the signed version it amends.
DUE_FROM_ANSWERS = tuple(k for k in DocumentKind if k is not DocumentKind.AMENDMENT)


@dataclass(frozen=True)
class Amends:
    """What an amendment amends: a signed document of `kind`, built from `answers`."""

    kind: DocumentKind
    answers: Answers


def dated_authorisations(answers: Answers, signed: Answers) -> Answers:
    """The answers amending `signed`, each sub-processor the signed version lacks authorised
    from the amendment's effect (its date of effect, else of signature), not from the
    agreement's: the annex then says so, as the amendment does."""
    terms = answers.amendment
    when = terms and (terms.effective or terms.date)
    if not when:
        return answers
    known = {s.name for s in signed.sub_processors}
    subs = [
        s
        if s.name in known or s.authorised_from
        else s.model_copy(update={"authorised_from": when})
        for s in answers.sub_processors
    ]
    return answers.model_copy(update={"sub_processors": subs})


@dataclass(frozen=True)
class DocumentDue:
    """One document to build: its kind and the parties it concerns, in order (for a DPA, the
    controller then the processor; for a joint-controller arrangement, the joint controllers)."""

    kind: DocumentKind
    parties: tuple[str, ...]
    # An amendment: the signed version's kind and the answers it was built from.
    amends: Amends | None = field(default=None, compare=False)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, "parties": list(self.parties)}


@dataclass(frozen=True)
class Assessment:
    """What the law makes of the answers. Clause conditions read these facts; they never
    re-derive them."""

    documents: tuple[DocumentDue, ...]
    roles: dict[str, tuple[Role, ...]]
    findings: tuple[Finding, ...]
    outside_eea_transfers: tuple[OutsideTransfer, ...] = field(default=())
    research_route: Route | None = None
    joint_controllers: tuple[str, ...] = ()  # ids of the parties that are joint controllers
    key_table_holders: tuple[str, ...] = ()  # ids of who keeps the research key table
    sites_outside_france: tuple[str, ...] = ()  # ids of the centres established elsewhere
    # ids of the processors of the controller the pack describes, in the record's order
    processors: tuple[str, ...] = ()

    @property
    def blockers(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKER)

    @property
    def methodology(self) -> bool:
        """The research follows a CNIL reference methodology (MR-001 to MR-008)."""
        return self.research_route in METHODOLOGIES

    def parties_with(self, answers: Answers, *roles: Role) -> list[Party]:
        return _with(answers, self.roles, *roles)

    def as_dict(self, message: Callable[[Finding], str]) -> dict[str, object]:
        """`clausier assess --json`; `message` words a finding (the library's words)."""
        return {
            "documents": list(dict.fromkeys(d.kind.value for d in self.documents)),
            "document_set": [d.as_dict() for d in self.documents],
            "roles": {pid: [r.value for r in roles] for pid, roles in self.roles.items()},
            "research_route": self.research_route.value if self.research_route else None,
            "findings": [
                {
                    "severity": f.severity.value,
                    "code": f.code,
                    "message": message(f),
                    "articles": list(f.articles),
                    "fields": list(f.fields),
                }
                for f in self.findings
            ],
        }


# Each finding this module can raise; its words are in clauses/messages.yaml. A country is
# given by its ISO code, worded by the library.
RULES: dict[str, Rule] = {
    "DPA_ROLES": Rule(Severity.BLOCKER, ("GDPR 28(3)",), {"controllers": int, "processors": int}),
    "NO_PROCESSOR": Rule(Severity.INFO, ("GDPR 28(3)",)),
    "HDS_NOT_CERTIFIED": Rule(Severity.BLOCKER, ("CSP L.1111-8",), {"host": str}),
    "HDS_OUTSIDE_EEA": Rule(
        Severity.BLOCKER,
        ("CSP L.1111-8", "CSP R.1111-9", "Loi 2024-449 art. 32"),
        {"host": str, "country": str},
    ),
    "TRANSFER_NO_SAFEGUARD": Rule(
        Severity.BLOCKER, ("GDPR 44", "GDPR 46"), {"recipient": str, "country": str}
    ),
    "SUBPROCESSOR_OUTSIDE_EEA": Rule(
        Severity.INFO,
        ("GDPR 28(4)", "GDPR 44"),
        {"recipient": str, "country": str, "safeguard": Safeguard | None},
    ),
    "GOVERNING_LAW": Rule(Severity.BLOCKER, ("GDPR 28(3)",), {"country": str}),
    "DEROGATION_TRANSFER": Rule(Severity.WARNING, ("GDPR 49",), {"recipient": str}),
    "TRANSFER_ASSESSMENT_MISSING": Rule(
        Severity.WARNING, ("GDPR 46(1)", "CJEU C-311/18"), {"recipient": str, "country": str}
    ),
    "DPO_MISSING": Rule(Severity.WARNING, ("GDPR 37(1)", "GDPR 37(7)"), {"party": str}),
    "PROCESSOR_DECIDES": Rule(
        Severity.WARNING, ("GDPR 28(10)",), {"party": str, "facts": list[str]}
    ),
    "BREACH_DELAY_LONG": Rule(Severity.WARNING, ("GDPR 33(1)", "GDPR 33(2)"), {"hours": int}),
    "NO_ENCRYPTION": Rule(Severity.WARNING, ("GDPR 32(1)(a)",)),
    "NO_AUTHENTICATION": Rule(Severity.WARNING, ("GDPR 32(1)(b)",)),
    "DPIA_DUE": Rule(Severity.INFO, ("GDPR 35", "CNIL 2018-327")),
    "PUBLIC_BODY_DPO": Rule(Severity.WARNING, ("GDPR 37(1)(a)",), {"party": str}),
    "FRENCH_REQUIRED": Rule(Severity.BLOCKER, ("Loi 94-665 art. 5",), {"parties": list[str]}),
    "FRENCH_TEXT_AUTHENTIC": Rule(Severity.INFO, ("Loi 94-665 art. 5",), {"parties": list[str]}),
    # The deeds name their courts and the place they are signed (clauses/dpa/220-law.yaml,
    # the closing formula); an internal study binds nobody and needs neither.
    "CONTRACT_TERMS_MISSING": Rule(Severity.BLOCKER, (), {"fields": list[str]}),
    "HOSTED_DATA_NOT_RETURNED": Rule(
        Severity.WARNING, ("CSP L.1111-8", "CSP R.1111-11"), {"host": str}
    ),
    # Defaults a reader must check against the contract documents, or that a vendor will
    # negotiate: said, so that nobody signs them unknowingly.
    "CCAG_ASSUMED": Rule(Severity.INFO, ("CCP R.2112-2",)),
    "LIABILITY_UNCAPPED": Rule(Severity.INFO, ("GDPR 82", "C. civ. 1231-3")),
    "PROCESSOR_OWN_PURPOSES": Rule(Severity.INFO, ("GDPR 4(7)", "GDPR 28(10)"), {"party": str}),
    # Free text given only in the other language: an edition prints it as given.
    "FREE_TEXT_OTHER_LANGUAGE": Rule(
        Severity.WARNING, (), {"language": Language, "fields": list[str]}
    ),
    # The bilingual edition would print one language's text in the other's column.
    "FREE_TEXT_UNTRANSLATED": Rule(
        Severity.BLOCKER, (), {"language": Language, "fields": list[str]}
    ),
    "PARTY_IN_NO_DOCUMENT": Rule(Severity.WARNING, ("GDPR 26", "GDPR 28(3)"), {"party": str}),
    "SERVICES_BEFORE_SIGNATURE": Rule(
        Severity.WARNING, ("GDPR 28(3)", "GDPR 28(9)"), {"start": dt.date, "signature": dt.date}
    ),
}
PHRASES: dict[str, dict[str, type]] = {
    "decides_purposes": {},
    "decides_means": {},
    "reuses_data": {},
}
# Every finding code the legal layer can raise, and every phrase, with what they carry.
ALL_RULES: dict[str, Rule] = {**RULES, **research.RULES}
ALL_PHRASES: dict[str, dict[str, type]] = {**PHRASES, **research.PHRASES}

# The documents that are contracts, which a party bound to French signs in French.
CONTRACTS = frozenset(
    {DocumentKind.DPA, DocumentKind.JOINT_CONTROLLERS, DocumentKind.CONVENTION_UNIQUE}
)

# A processor may notify a breach later than this and still leave the controller time to
# notify the supervisory authority within Art. 33(1)'s 72 hours.
BREACH_NOTICE_MAX_HOURS = 48


class EngagedSubProcessor(SubProcessor):
    """A sub-processor of one processor, as its DPA lists it. The host, when it is not the
    processor itself, is one whether or not the answers list it again (GDPR 28(2), 28(4)):
    derived, it has no service or address of its own (`hosting`: the annex words it)."""

    service: FreeText | None = None  # type: ignore[assignment]
    address: str | None = None  # type: ignore[assignment]
    hosting: bool = False


# The data the CNIL's register model asks about as sensitive: the special categories of
# GDPR Art. 9 processed here and the NIR, whose use the law restricts (Loi 78-17 art. 30,
# décret 2019-341).
SENSITIVE_CATEGORIES = ARTICLE_9_CATEGORIES | {DataCategory.NIR}


def is_host(answers: Answers, party: Party) -> bool:
    """The party is the answers' certified host itself (it stores the data it receives)."""
    return answers.hosting is not None and answers.hosting.provider == party.name


def hosting_of(answers: Answers, processor: Party) -> Hosting | None:
    """The hosting a processor's DPA describes — the one rule deciding which host that is:
    the answers' hosting when it serves the processor; when the processor is that host,
    engaged directly by the controller besides hosting another processor's data (a sponsor's
    own host, its CRO's host too), its own hosting under that agreement, every activity its
    certificate covers being its own (CSP L.1111-8, R.1111-11); otherwise the certified
    health-data host among its own sub-processors (a study provider's host), which performs
    the six activities where it stores the data."""
    h = answers.hosting
    if h is not None and h.processor in (None, processor.id):
        return h
    if h is not None and is_host(answers, processor):
        return h.model_copy(
            update={
                "processor": processor.id,
                "processor_activities": [],
                "processor_hds_certificate": None,
            }
        )
    host = next(
        (s for s in answers.sub_processors if s.processor == processor.id and s.hosts_health_data),
        None,
    )
    if host is None:
        return None
    return Hosting(
        provider=host.name,
        processor=processor.id,
        hds_certified=host.hds_certified,
        hds_certificate=host.hds_certificate,
        storage_country=host.country,
    )


def processor_authority_state(processor: Party) -> str | None:
    """The other EEA State where a processor is established: its supervisory authority is
    concerned by the processing (GDPR 4(22)(a)) and the processor answers to it too, the
    CNIL remaining the authority of the controller's processing (GDPR 55, 56(6))."""
    country = processor.country
    return country if in_eea(country) and country != "FR" else None


def sub_processors_of(answers: Answers, processor: Party) -> list[EngagedSubProcessor]:
    """The sub-processors a processor engages: those the answers give it, and its host."""
    subs = [
        EngagedSubProcessor(**s.model_dump())
        for s in answers.sub_processors
        if s.processor in (None, processor.id)
    ]
    h = answers.hosting
    if (
        h
        and h.processor in (None, processor.id)
        and not is_host(answers, processor)
        and all(s.name != h.provider for s in subs)
    ):
        health = answers.processing.health_data
        subs.append(
            EngagedSubProcessor(
                name=h.provider,
                country=h.storage_country,
                hosts_data=True,
                hosts_health_data=health,
                hds_certified=h.hds_certified,
                hosting=True,
            )
        )
    return subs


def engaging_processors(
    answers: Answers, processors: list[Party], party: Party
) -> list[tuple[Party, EngagedSubProcessor]]:
    """The other processors that engage a party as their sub-processor, each with the entry
    its DPA lists: a host serving the sponsor directly and hosting a CRO's eCRF holds both
    roles, each under its own contract (GDPR 28(2), 28(4))."""
    return [
        (p, s)
        for p in processors
        if p.id != party.id
        for s in sub_processors_of(answers, p)
        if s.name == party.name
    ]


class OutsideTransfer(Transfer):
    """A flow of data out of the EEA, declared in the answers or derived from them. A derived
    storage transfer has no purpose of its own: the clause words it (`hosting`); nor has a
    research flow, made for the research: it names the data it sends (`data`)."""

    purpose: FreeText | None = None  # type: ignore[assignment]
    data: FreeText | None = None
    exporter: Text | None = None  # the party sending the data, for a research flow
    hosting: bool = False
    declared: bool = False
    # The answers that give its ground (Finding.fields); not a fact the documents print.
    ground_at: tuple[str, ...] = Field((), exclude=True)


def outside_eea_transfers(
    answers: Answers, roles: dict[str, tuple[Role, ...]]
) -> tuple[OutsideTransfer, ...]:
    """Every flow of data out of the EEA: declared transfers, research data flows to a
    recipient established or storing them outside it, processors and sub-processors
    established outside it, storage outside it."""
    found = [
        OutsideTransfer(**t.model_dump(), declared=True, ground_at=(f"transfers[{i}].safeguard",))
        for i, t in enumerate(answers.transfers)
        if not in_eea(t.country)
    ]
    found += _research_transfers(answers, roles, found)

    def undeclared(name: str, country: str) -> bool:
        # A processor's own research flow (processor set) does not stand for another's.
        return not in_eea(country) and not any(
            t.recipient == name and t.country == country and (t.declared or t.processor is None)
            for t in found
        )

    # A processor established outside the EEA receives the data itself: that is a transfer.
    # Its ground is a transfer the answers declare: the question that adds one.
    found += [
        OutsideTransfer(
            recipient=p.name,
            country=p.country,
            purpose=answers.processing.subject_matter,
            ground_at=("transfers",),
        )
        for p in answers.parties
        if Role.PROCESSOR in roles[p.id] and undeclared(p.name, p.country)
    ]
    found += [
        OutsideTransfer(
            recipient=s.name,
            country=s.country,
            purpose=s.service,
            safeguard=s.transfer_safeguard,
            assessment=s.transfer_assessment,
            ground_at=(f"sub_processors[{i}].transfer_safeguard",),
        )
        for i, s in enumerate(answers.sub_processors)
        if undeclared(s.name, s.country)
    ]
    hosting = answers.hosting
    if hosting:
        where = {"storage_country": hosting.storage_country}
        if hosting.backup_country:
            where["backup_country"] = hosting.backup_country
        for country in sorted(set(where.values())):
            if undeclared(hosting.provider, country):
                asked = [f"hosting.{name}" for name, c in where.items() if c == country]
                found.append(
                    OutsideTransfer(
                        recipient=hosting.provider,
                        country=country,
                        hosting=True,
                        ground_at=(*asked, "transfers"),
                    )
                )
    return tuple(found)


def _research_transfers(
    answers: Answers, roles: dict[str, tuple[Role, ...]], declared: list[OutsideTransfer]
) -> list[OutsideTransfer]:
    """A research flow to a recipient established outside the EEA, or storing the data
    outside it, is a transfer: key-coded data stay personal data for the recipient. It is the
    source's transfer: when the source is a processor of the sponsor, its DPA alone authorises
    it (to the sponsor itself: a processor-to-controller transfer, SCC 2021/914 module 4)."""
    found: list[OutsideTransfer] = []
    for index, flow in enumerate(answers.research.data_flows if answers.research else ()):
        recipient = answers.party(flow.recipient)
        source = flow.source if Role.PROCESSOR in roles[flow.source] else None
        for country in dict.fromkeys((recipient.country, flow.country)):
            if in_eea(country) or any(
                t.recipient == recipient.name and t.country == country for t in declared
            ):
                continue
            if any(
                (t.recipient, t.country, t.processor) == (recipient.name, country, source)
                for t in found
            ):
                continue  # the same source's other flow to that recipient: one transfer
            found.append(
                OutsideTransfer(
                    processor=source,
                    recipient=recipient.name,
                    country=country,
                    data=flow.data,
                    exporter=answers.party(flow.source).name,
                    safeguard=flow.safeguard,
                    assessment=flow.assessment,
                    ground_at=(f"research.data_flows[{index}].safeguard",),
                )
            )
    return found


def writes_in_french(party: Party) -> bool:
    """A French public-law body, or a French private body performing a public-service
    mission, contracts in French (Loi 94-665 art. 5); the law does not bind another State's
    public bodies."""
    return (party.public_body or party.public_service_mission) and party.country == "FR"


def french_text_only(parties: list[Party]) -> bool:
    """Only with a foreign counterparty may a version in another language be authentic too
    (Loi 94-665 art. 5): between French parties, one of them bound to French, the French text
    is the contract and any other version a translation."""
    return any(writes_in_french(p) for p in parties) and all(p.country == "FR" for p in parties)


def assess(
    answers: Answers, edition: str | None = None, only: frozenset[str] | None = None
) -> Assessment:
    """What the law makes of the answers, for the edition to be built ("fr", "en" or
    "bilingual"; by default the answers' language): the language of a contract is a rule,
    for the contracts built (`only`: the kinds built; None, every one due) — an English
    record or notice is no contract a public body signs."""
    out = Findings(ALL_RULES, ALL_PHRASES)
    roles = research_roles(answers)
    controllers = _with(answers, roles, Role.CONTROLLER)
    processors = _with(answers, roles, Role.PROCESSOR)

    route = None
    if answers.research:
        route = assess_research(answers, out)
        documents = _research_documents(answers, roles, route)
    else:
        documents = _partnership_documents(answers, controllers, processors, out)

    _processor_decisions(processors, out)
    if answers.processing.health_data:
        _health_hosting(answers, processors, out)
        # Every controller of health data, joint ones included, must in principle have a DPO.
        _health_governance(
            answers, _with(answers, roles, Role.CONTROLLER, Role.JOINT_CONTROLLER), out
        )
    transfers = outside_eea_transfers(answers, roles)
    _transfers(answers, transfers, out)
    if not in_eea(answers.options.governing_law):
        out.add(
            "GOVERNING_LAW", country=answers.options.governing_law, at=["options.governing_law"]
        )
    if answers.options.breach_notice_hours > BREACH_NOTICE_MAX_HOURS:
        out.add("BREACH_DELAY_LONG", hours=answers.options.breach_notice_hours)
    for party in answers.parties:  # whatever its role, health data or not
        if party.public_body and party.dpo is None:
            out.add("PUBLIC_BODY_DPO", party=party.name)
    described: tuple[str, ...] = ()  # the processors the pack describes
    if documents:
        controller = answers.research.sponsor if answers.research else controllers[0].id
        described = controller_processors(answers, roles, controller)
        documents += _companion_documents(answers, route, controller, described)
    _parties_in_no_document(answers, documents, out)
    edition = edition or answers.language.value
    built = [d for d in documents if only is None or d.kind.value in only]
    _contract_language(answers, built, edition, out)
    _contract_terms(answers, documents, out)
    _free_text_language(answers, edition, out)
    _services_before_signature(answers, out)
    if any(d.kind is DocumentKind.DPA for d in documents):
        _dpa_defaults(answers, out)
    if answers.processing.processor_own_purposes:
        for party in processors:  # it is a controller for those purposes, not a processor
            out.add("PROCESSOR_OWN_PURPOSES", party=party.name)

    return Assessment(
        documents=tuple(documents),
        roles=roles,
        findings=out.sorted(),
        outside_eea_transfers=transfers,
        research_route=route,
        joint_controllers=tuple(
            p.id for p in answers.parties if Role.JOINT_CONTROLLER in roles[p.id]
        ),
        key_table_holders=key_table_holders(answers.research) if answers.research else (),
        sites_outside_france=sites_outside_france(answers),
        processors=described,
    )


def _with(answers: Answers, roles: dict[str, tuple[Role, ...]], *wanted: Role) -> list[Party]:
    return [p for p in answers.parties if set(wanted) & set(roles[p.id])]


def _partnership_documents(
    answers: Answers, controllers: list[Party], processors: list[Party], out: Findings
) -> list[DocumentDue]:
    if not processors:
        out.add("NO_PROCESSOR")
        return []
    if len(controllers) != 1 or len(processors) != 1:
        roles = [f"parties[{i}].roles" for i in range(len(answers.parties))]
        out.add("DPA_ROLES", controllers=len(controllers), processors=len(processors), at=roles)
        return []
    return [DocumentDue(DocumentKind.DPA, (controllers[0].id, processors[0].id))]


def _research_documents(
    answers: Answers, roles: dict[str, tuple[Role, ...]], route: Route
) -> list[DocumentDue]:
    """The protocol annex always; the Art. 26 arrangement between joint controllers; a DPA
    between the sponsor and each of its processors (CROs, centres acting for it), except a
    centre under the convention unique, whose model holds the Art. 28 terms: it gets the
    description of the processing that model leaves to the parties."""
    r = answers.research
    assert r is not None
    documents = [DocumentDue(DocumentKind.PROTOCOL_ANNEX, (r.sponsor,))]
    joint = [p.id for p in answers.parties if Role.JOINT_CONTROLLER in roles[p.id]]
    if len(joint) > 1:
        documents.append(DocumentDue(DocumentKind.JOINT_CONTROLLERS, tuple(joint)))
    if route is not Route.INTERNAL:
        # The study's processors first (CROs, centres), then any other party acting for the
        # sponsor (a host, a secure environment): each has its DPA.
        convention = convention_unique_centres(answers)
        documents += [
            DocumentDue(
                DocumentKind.CONVENTION_UNIQUE if party_id in convention else DocumentKind.DPA,
                (r.sponsor, party_id),
            )
            for party_id in research_parties(answers)
            if Role.PROCESSOR in roles[party_id] and party_id != r.sponsor
        ]
    return documents


def controller_processors(
    answers: Answers, roles: dict[str, tuple[Role, ...]], controller: str
) -> tuple[str, ...]:
    """The processors of the controller the pack describes (the sponsor in research), in the
    record's order: the study's parties first (CROs, centres, providers), then any other."""
    ids = [p.id for p in _with(answers, roles, Role.PROCESSOR) if p.id != controller]
    if answers.research:
        study = research_parties(answers)
        ids = [pid for pid in study if pid in ids] + [pid for pid in ids if pid not in study]
    return tuple(ids)


def _companion_documents(
    answers: Answers, route: Route | None, controller: str, processors: tuple[str, ...]
) -> list[DocumentDue]:
    """The documents every set of agreements carries along: the notice (always for research;
    for care when the answers ask for it), the poster where information is collective, the
    record entries of the controller and of each processor, and the DPIA outline when one is
    due. In research they concern the sponsor alone: one study, one set, whichever centre a
    row of a parties table varies. In care they concern the hospital and its processor, and
    are named after the processor: one processing per vendor, as its DPA is."""
    r = answers.research
    parties = (controller,) if r else (controller, *processors[:1])
    documents = []
    if r or answers.options.hospital.patient_notice:
        documents.append(DocumentDue(DocumentKind.INFORMATION_NOTICE, parties))
    if r and collective_information(r):
        documents.append(DocumentDue(DocumentKind.INFORMATION_POSTER, parties))
    documents.append(DocumentDue(DocumentKind.PROCESSING_RECORD, parties))
    if dpia_due(answers, route):
        documents.append(DocumentDue(DocumentKind.DPIA, parties))
    return documents


def _parties_in_no_document(answers: Answers, documents: list[DocumentDue], out: Findings) -> None:
    """A party the answers name that no document binds or describes is a mistake to see:
    a funder, a host, a recipient left without its role (the protocol annex describes every
    party of the study)."""
    if not documents:
        return
    placed = {pid for d in documents for pid in d.parties} | set(research_parties(answers))
    for party in answers.parties:
        if party.id not in placed:
            out.add("PARTY_IN_NO_DOCUMENT", party=party.name)


def _processor_decisions(processors: list[Party], out: Findings) -> None:
    """GDPR 28(10): a "processor" that decides purposes or essential means is a controller."""
    for party in processors:
        facts = (
            (party.determines_purposes, "decides_purposes"),
            (party.determines_essential_means, "decides_means"),
            (party.reuses_data_for_own_purposes, "reuses_data"),
        )
        found = [out.phrase(code) for present, code in facts if present]
        if found:
            out.add("PROCESSOR_DECIDES", party=party.name, facts=found)


def _health_hosting(answers: Answers, processors: list[Party], out: Findings) -> None:
    """CSP L.1111-8: whoever hosts health data for the controller must be HDS-certified, for
    each R.1111-9 activity it performs — a processor running its own platform at another's
    data centre included. A host given twice (as the host and again as a sub-processor) is
    one host, told once."""
    # Per host, in the order met: the answers saying it is not certified (none: certified),
    # and where it stores the data, each country with the answers giving it (Finding.fields).
    hosts: dict[str, tuple[list[str], dict[str, list[str]]]] = {}

    def host(name: str, certified: bool, asked: str, countries: dict[str, str | None]) -> None:
        uncertified, where = hosts.setdefault(name, ([], {}))
        if not certified:
            uncertified.append(asked)
        for at, country in countries.items():
            if country:
                where.setdefault(country, []).append(at)

    if answers.hosting:
        h = answers.hosting
        where = {"hosting.storage_country": h.storage_country}
        where["hosting.backup_country"] = h.backup_country
        host(h.provider, h.hds_certified, "hosting.hds_certified", where)
        if h.processor_activities:  # activities the processor performs itself
            for party in processors:
                if h.processor in (None, party.id) and party.name != h.provider:
                    certified = bool(h.processor_hds_certificate)
                    host(party.name, certified, "hosting.processor_hds_certificate", {})
    for i, sub in enumerate(answers.sub_processors):
        if sub.hosts_health_data:
            at = f"sub_processors[{i}]"
            host(sub.name, sub.hds_certified, f"{at}.hds_certified", {f"{at}.country": sub.country})
    if answers.hosting and answers.options.end_of_contract is EndOfContract.DELETE:
        # A certified host returns the health data at the end of the hosting.
        out.add("HOSTED_DATA_NOT_RETURNED", host=answers.hosting.provider)
    for name, (uncertified, where) in hosts.items():
        if uncertified:
            out.add("HDS_NOT_CERTIFIED", host=name, at=uncertified)
        for country in sorted(c for c in where if not in_eea(c)):
            out.add("HDS_OUTSIDE_EEA", host=name, country=country, at=where[country])


def _health_governance(answers: Answers, controllers: list[Party], out: Findings) -> None:
    for party in controllers:
        if party.dpo is None and not party.public_body:  # a public body: PUBLIC_BODY_DPO
            out.add("DPO_MISSING", party=party.name)
    categories = {m.category for m in answers.security_measures}
    if MeasureCategory.ENCRYPTION not in categories:
        out.add("NO_ENCRYPTION")
    if MeasureCategory.AUTHENTICATION not in categories:
        out.add("NO_AUTHENTICATION")
    if answers.research is None:  # research has its own DPIA reasoning
        out.add("DPIA_DUE")


def services_before_signature(answers: Answers) -> bool:
    """The services, and so the processing, start before the agreement is signed."""
    main, signed = answers.processing.main_agreement, answers.signature.date
    return bool(main and main.services_start and signed and main.services_start < signed)


def signed_before_services(answers: Answers) -> bool:
    """The agreement is signed on or before the day the services start: it governs them all
    from its signature."""
    main, signed = answers.processing.main_agreement, answers.signature.date
    return bool(main and main.services_start and signed and signed <= main.services_start)


def _dpa_defaults(answers: Answers, out: Findings) -> None:
    """Defaults a DPA prints that a reader must check against the contract documents, or that
    a vendor will negotiate: said, so that nobody signs them unknowingly."""
    main = answers.processing.main_agreement
    if main and main.public_contract and main.ccag is None:
        out.add("CCAG_ASSUMED")
    if answers.options.liability_caps is LiabilityCaps.EXCLUDED:
        out.add("LIABILITY_UNCAPPED")


def _services_before_signature(answers: Answers, out: Findings) -> None:
    """Processing for the controller needs a contract under Art. 28 from its first day: the
    DPA governs the processing from the start of the services, but the days before it is
    signed had none."""
    if services_before_signature(answers):
        main = answers.processing.main_agreement
        assert main is not None and main.services_start is not None
        out.add(
            "SERVICES_BEFORE_SIGNATURE", start=main.services_start, signature=answers.signature.date
        )


def _contract_language(
    answers: Answers, documents: list[DocumentDue], edition: str, out: Findings
) -> None:
    """An English-only contract binding a party bound to French blocks; a bilingual one
    between French parties is built with the French text as the contract."""
    contracts = [[answers.party(i) for i in d.parties] for d in documents if d.kind in CONTRACTS]
    bound = [
        p.name for p in answers.parties if any(p in c and writes_in_french(p) for c in contracts)
    ]
    if edition == "en" and bound:
        out.add("FRENCH_REQUIRED", parties=bound, at=["language"])
    elif edition == "bilingual" and any(french_text_only(c) for c in contracts):
        out.add("FRENCH_TEXT_AUTHENTIC", parties=bound)


def _contract_terms(answers: Answers, documents: list[DocumentDue], out: Findings) -> None:
    """The terms only a contract prints, optional in the answers for a study that binds
    nobody (an internal study), required as soon as one is due."""
    if not any(d.kind in CONTRACTS for d in documents):
        return
    given = {"options.courts": answers.options.courts, "signature.place": answers.signature.place}
    missing = [name for name, value in given.items() if not value]
    if missing:
        out.add("CONTRACT_TERMS_MISSING", fields=missing, at=missing)


def _free_text_language(answers: Answers, edition: str, out: Findings) -> None:
    """Each edition prints its language's text; the bilingual one must never set one
    language's text in the other's column."""
    if edition != "bilingual":
        missing = missing_in(answers, Language(edition))
        if missing:
            out.add(
                "FREE_TEXT_OTHER_LANGUAGE", language=Language(edition), fields=field_names(missing)
            )
        return
    for language in (Language.FR, Language.EN):
        missing = missing_in(answers, language)
        if missing:
            out.add(
                "FREE_TEXT_UNTRANSLATED",
                language=language,
                fields=field_names(missing),
                at=map(format_path, missing),
            )


def without_ground(
    out: Findings, recipient: str, country: str, safeguard: Safeguard | None, at: tuple[str, ...]
) -> bool:
    """GDPR 44, 46: data leave the EEA only on a ground of Chapter V; none blocks signature.
    The interview applies it as soon as a ground is answered, the assessment to every transfer."""
    if safeguard is None and not in_eea(country):
        out.add("TRANSFER_NO_SAFEGUARD", recipient=recipient, country=country, at=at)
        return True
    return False


def _transfers(answers: Answers, transfers: tuple[OutsideTransfer, ...], out: Findings) -> None:
    sub_processors = {s.name for s in answers.sub_processors}
    for t in transfers:
        without_ground(out, t.recipient, t.country, t.safeguard, t.ground_at)
        if t.safeguard is Safeguard.DEROGATION:
            out.add("DEROGATION_TRANSFER", recipient=t.recipient)
        elif t.safeguard in (Safeguard.SCC, Safeguard.BCR) and t.assessment is None:
            # Clauses or rules bind the parties, not the country: their effect there is assessed.
            out.add("TRANSFER_ASSESSMENT_MISSING", recipient=t.recipient, country=t.country)
        if t.recipient in sub_processors:
            out.add(
                "SUBPROCESSOR_OUTSIDE_EEA",
                recipient=t.recipient,
                country=t.country,
                safeguard=t.safeguard,
            )
