"""The legal reasoning: from the answers to the documents due, the roles and the findings.

A pure function of the answers. Every rule lives here or, for research formalities, in
research.py, once, with the article it applies and its message in both languages; the documents
and the command line only report what it decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from ..answers.countries import in_eea
from ..answers.model import (
    Answers,
    Language,
    MeasureCategory,
    Participation,
    Party,
    Role,
    Route,
    Safeguard,
    Transfer,
)
from .findings import Finding, Findings, Message, Severity
from .research import MESSAGES as RESEARCH_MESSAGES
from .research import assess_research, research_parties, research_roles

__all__ = ["Assessment", "DocumentDue", "DocumentKind", "Finding", "Severity", "assess"]


class DocumentKind(str, Enum):
    """Each kind has its clause library folder and its Word template of the same name."""

    DPA = "dpa"
    PROTOCOL_ANNEX = "protocol-annex"
    JOINT_CONTROLLERS = "joint-controllers"


@dataclass(frozen=True)
class DocumentDue:
    """One document to build: its kind and the parties it concerns, in order (for a DPA, the
    controller then the processor; for a joint-controller arrangement, the joint controllers)."""

    kind: DocumentKind
    parties: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind.value, "parties": list(self.parties)}


@dataclass(frozen=True)
class Assessment:
    documents: tuple[DocumentDue, ...]
    roles: dict[str, tuple[Role, ...]]
    findings: tuple[Finding, ...]
    outside_eea_transfers: tuple[Transfer, ...] = field(default=())
    research_route: str | None = None

    @property
    def blockers(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.BLOCKER)

    def parties_with(self, answers: Answers, *roles: Role) -> list[Party]:
        return [p for p in answers.parties if set(roles) & set(self.roles[p.id])]

    def finding_lines(self) -> tuple[str, ...]:
        """Each finding as the command line prints it: severity, code, message, articles."""
        return tuple(
            f"  [{f.severity.value}] {f.code}: {f.message} ({', '.join(f.articles)})"
            for f in self.findings
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "documents": list(dict.fromkeys(d.kind.value for d in self.documents)),
            "document_set": [d.as_dict() for d in self.documents],
            "roles": {pid: [r.value for r in roles] for pid, roles in self.roles.items()},
            "research_route": self.research_route,
            "findings": [f.as_dict() for f in self.findings],
        }


# Each finding's message, French and English side by side; {fields} are filled by the rule.
_MESSAGES: dict[str, Message] = {
    "DPA_ROLES": (
        Severity.BLOCKER,
        ("GDPR 28(3)",),
        "Un accord de sous-traitance suppose un seul responsable du traitement et un seul "
        "sous-traitant parmi les parties ; ici : {controllers} responsable(s), {processors} "
        "sous-traitant(s).",
        "A processing agreement needs exactly one controller and one processor among the "
        "parties; here: {controllers} controller(s), {processors} processor(s).",
    ),
    "NO_PROCESSOR": (
        Severity.INFO,
        ("GDPR 28(3)",),
        "Aucune partie n'agit comme sous-traitant : aucun accord de sous-traitance n'est dû.",
        "No party acts as a processor: no processing agreement is due.",
    ),
    "HDS_NOT_CERTIFIED": (
        Severity.BLOCKER,
        ("CSP L.1111-8",),
        "Des données de santé sont hébergées pour le compte du responsable du traitement par "
        "{host}, qui n'est pas certifié hébergeur de données de santé (HDS).",
        "Health data are hosted on the controller's behalf by {host}, which is not a certified "
        "health-data host (HDS).",
    ),
    "HDS_OUTSIDE_EEA": (
        Severity.BLOCKER,
        ("CSP L.1111-8", "CSP R.1111-9", "Loi 2024-449 art. 32"),
        "Les données de santé hébergées par {host} sont stockées hors de l'Espace économique "
        "européen ({country}), ce que le référentiel HDS exclut.",
        "Health data hosted by {host} are stored in {country}, outside the European Economic "
        "Area, which the HDS certification standard rules out.",
    ),
    "TRANSFER_NO_SAFEGUARD": (
        Severity.BLOCKER,
        ("GDPR 44", "GDPR 46"),
        "Le transfert vers {recipient} ({country}) n'a pas de fondement au titre du chapitre V "
        "du RGPD (décision d'adéquation, clauses contractuelles types, BCR ou dérogation).",
        "The transfer to {recipient} ({country}) has no ground under GDPR Chapter V (adequacy "
        "decision, standard contractual clauses, binding corporate rules or a derogation).",
    ),
    "SUBPROCESSOR_OUTSIDE_EEA": (
        Severity.INFO,
        ("GDPR 28(4)", "GDPR 44"),
        "Le sous-traitant ultérieur {recipient} traite les données hors de l'EEE ({country}) : "
        "c'est un transfert, décrit à l'article sur les transferts ({safeguard}).",
        "Sub-processor {recipient} processes the data outside the EEA ({country}): this is a "
        "transfer, set out in the transfers clause ({safeguard}).",
    ),
    "GOVERNING_LAW": (
        Severity.BLOCKER,
        ("GDPR 28(3)",),
        "Le contrat de sous-traitance doit être régi par le droit de l'Union ou d'un État "
        "membre ; le droit choisi ({country}) ne l'est pas.",
        "A processing agreement must be governed by Union or Member State law; the law chosen "
        "({country}) is not.",
    ),
    "DEROGATION_TRANSFER": (
        Severity.WARNING,
        ("GDPR 49",),
        "Le transfert vers {recipient} repose sur une dérogation de l'article 49 : elle ne "
        "couvre que des transferts occasionnels, pas un flux régulier de prestation.",
        "The transfer to {recipient} relies on an Article 49 derogation, which covers only "
        "occasional transfers, not the regular flows of a service.",
    ),
    "DPO_MISSING": (
        Severity.WARNING,
        ("GDPR 37(1)", "GDPR 37(7)"),
        "Des données de santé sont traitées mais aucun délégué à la protection des données "
        "n'est indiqué pour {party} ; sa désignation est en principe obligatoire.",
        "Health data are processed but no data protection officer is given for {party}; one "
        "must in principle be designated.",
    ),
    "PROCESSOR_DECIDES": (
        Severity.WARNING,
        ("GDPR 28(10)",),
        "{party} est désigné sous-traitant mais {facts} : pour ce traitement, il serait "
        "responsable du traitement.",
        "{party} is named as processor but {facts}: for that processing it would be a controller.",
    ),
    "BREACH_DELAY_LONG": (
        Severity.WARNING,
        ("GDPR 33(1)", "GDPR 33(2)"),
        "Un délai de notification de {hours} heures laisse peu de temps au responsable du "
        "traitement pour notifier la CNIL dans les 72 heures.",
        "A {hours}-hour notice period leaves the controller little time to notify the "
        "supervisory authority within 72 hours.",
    ),
    "NO_ENCRYPTION": (
        Severity.WARNING,
        ("GDPR 32(1)(a)",),
        "Des données de santé sont traitées et aucune mesure de chiffrement n'est décrite à "
        "l'annexe III.",
        "Health data are processed and no encryption measure is described in Annex III.",
    ),
    "NO_AUTHENTICATION": (
        Severity.WARNING,
        ("GDPR 32(1)(b)",),
        "Des données de santé sont traitées et aucune mesure d'authentification n'est décrite "
        "à l'annexe III.",
        "Health data are processed and no authentication measure is described in Annex III.",
    ),
    "DPIA_DUE": (
        Severity.INFO,
        ("GDPR 35", "CNIL 2018-327"),
        "Le traitement de données de santé par ou pour un établissement de santé figure sur la "
        "liste de la CNIL des traitements soumis à analyse d'impact (AIPD).",
        "Processing of health data by or for a health establishment is on the CNIL's list of "
        "processing requiring a DPIA.",
    ),
}

_DECIDES = {
    Language.FR: (
        "décide des finalités",
        "décide des moyens essentiels",
        "réutilise les données pour son propre compte",
    ),
    Language.EN: (
        "decides the purposes",
        "decides the essential means",
        "reuses the data for its own purposes",
    ),
}
_HOSTING_PURPOSE = {Language.FR: "hébergement des données", Language.EN: "hosting of the data"}
_NO_SAFEGUARD = {Language.FR: "sans fondement", Language.EN: "no ground given"}


def outside_eea_transfers(
    answers: Answers, roles: dict[str, tuple[Role, ...]], language: Language
) -> tuple[Transfer, ...]:
    """Every flow of data out of the EEA: declared transfers, processors and sub-processors
    established outside it, storage outside it, research data flows to a third country."""
    found = [t for t in answers.transfers if not in_eea(t.country)]

    def undeclared(name: str, country: str) -> bool:
        return not in_eea(country) and not any(
            t.recipient == name and t.country == country for t in found
        )

    # A processor established outside the EEA receives the data itself: that is a transfer.
    found += [
        Transfer(recipient=p.name, country=p.country, purpose=answers.processing.subject_matter)
        for p in answers.parties
        if Role.PROCESSOR in roles[p.id] and undeclared(p.name, p.country)
    ]
    found += [
        Transfer(
            recipient=s.name, country=s.country, purpose=s.service, safeguard=s.transfer_safeguard
        )
        for s in answers.sub_processors
        if undeclared(s.name, s.country)
    ]
    hosting = answers.hosting
    if hosting:
        for country in sorted({hosting.storage_country, hosting.backup_country} - {None}):
            if undeclared(hosting.provider, country):
                found.append(
                    Transfer(
                        recipient=hosting.provider,
                        country=country,
                        purpose=_HOSTING_PURPOSE[language],
                    )
                )
    if answers.research:
        for flow in answers.research.data_flows:
            recipient = answers.party(flow.recipient).name
            if undeclared(recipient, flow.country):
                found.append(Transfer(recipient=recipient, country=flow.country, purpose=flow.data))
    return tuple(found)


def assess(answers: Answers, language: Language | None = None) -> Assessment:
    from ..library.load import default_labels

    language = language or answers.language
    out = Findings(language, {**_MESSAGES, **RESEARCH_MESSAGES})
    roles = research_roles(answers)
    controllers = [p for p in answers.parties if Role.CONTROLLER in roles[p.id]]
    processors = [p for p in answers.parties if Role.PROCESSOR in roles[p.id]]

    route = None
    if answers.research:
        labels = default_labels()

        def words(enum: Enum) -> str:
            return labels[type(enum).__name__][enum.value][language.value]

        participation = {p: words(p) for p in Participation}
        route = assess_research(answers, participation, words(answers.research.lawful_basis), out)
        documents = _research_documents(answers, roles, route)
    else:
        documents = _partnership_documents(controllers, processors, out)

    _processor_decisions(processors, out)
    if answers.processing.health_data:
        _health_hosting(answers, out)
        _health_governance(answers, controllers, out)
    transfers = outside_eea_transfers(answers, roles, language)
    _transfers(answers, transfers, out)
    if not in_eea(answers.options.governing_law):
        out.add("GOVERNING_LAW", country=out.country(answers.options.governing_law))
    if answers.options.breach_notice_hours > 48:
        out.add("BREACH_DELAY_LONG", hours=answers.options.breach_notice_hours)

    return Assessment(
        documents=tuple(documents),
        roles=roles,
        findings=out.sorted(),
        outside_eea_transfers=transfers,
        research_route=route.value if route else None,
    )


def _partnership_documents(
    controllers: list[Party], processors: list[Party], out: Findings
) -> list[DocumentDue]:
    if not processors:
        out.add("NO_PROCESSOR")
        return []
    if len(controllers) != 1 or len(processors) != 1:
        out.add("DPA_ROLES", controllers=len(controllers), processors=len(processors))
        return []
    return [DocumentDue(DocumentKind.DPA, (controllers[0].id, processors[0].id))]


def _research_documents(
    answers: Answers, roles: dict[str, tuple[Role, ...]], route: Route
) -> list[DocumentDue]:
    """The protocol annex always; the Art. 26 arrangement between joint controllers; a DPA
    between the sponsor and each of its processors (CROs, centres acting for it)."""
    r = answers.research
    assert r is not None
    documents = [DocumentDue(DocumentKind.PROTOCOL_ANNEX, (r.sponsor,))]
    joint = [p.id for p in answers.parties if Role.JOINT_CONTROLLER in roles[p.id]]
    if len(joint) > 1:
        documents.append(DocumentDue(DocumentKind.JOINT_CONTROLLERS, tuple(joint)))
    if route is not Route.INTERNAL:
        documents += [
            DocumentDue(DocumentKind.DPA, (r.sponsor, party_id))
            for party_id in research_parties(answers)
            if Role.PROCESSOR in roles[party_id]
        ]
    return documents


def _processor_decisions(processors: list[Party], out: Findings) -> None:
    for party in processors:
        flags = (
            party.determines_purposes,
            party.determines_essential_means,
            party.reuses_data_for_own_purposes,
        )
        facts = [text for flag, text in zip(flags, _DECIDES[out.language]) if flag]
        if facts:
            out.add("PROCESSOR_DECIDES", party=party.name, facts=", ".join(facts))


def _health_hosting(answers: Answers, out: Findings) -> None:
    """CSP L.1111-8: whoever hosts health data for the controller must be HDS-certified."""
    hosts: list[tuple[str, bool, set[str]]] = []
    if answers.hosting:
        h = answers.hosting
        hosts.append((h.provider, h.hds_certified, {h.storage_country, h.backup_country} - {None}))
    hosts += [
        (s.name, s.hds_certified, {s.country})
        for s in answers.sub_processors
        if s.hosts_health_data
    ]
    for name, certified, countries in hosts:
        if not certified:
            out.add("HDS_NOT_CERTIFIED", host=name)
        for country in sorted(c for c in countries if not in_eea(c)):
            out.add("HDS_OUTSIDE_EEA", host=name, country=out.country(country))


def _health_governance(answers: Answers, controllers: list[Party], out: Findings) -> None:
    for party in controllers:
        if party.dpo is None:
            out.add("DPO_MISSING", party=party.name)
    categories = {m.category for m in answers.security_measures}
    if MeasureCategory.ENCRYPTION not in categories:
        out.add("NO_ENCRYPTION")
    if MeasureCategory.AUTHENTICATION not in categories:
        out.add("NO_AUTHENTICATION")
    if answers.research is None:  # research has its own DPIA reasoning
        out.add("DPIA_DUE")


def _transfers(answers: Answers, transfers: tuple[Transfer, ...], out: Findings) -> None:
    sub_processors = {s.name for s in answers.sub_processors}
    for t in transfers:
        country = out.country(t.country)
        if t.safeguard is None:
            out.add("TRANSFER_NO_SAFEGUARD", recipient=t.recipient, country=country)
        elif t.safeguard is Safeguard.DEROGATION:
            out.add("DEROGATION_TRANSFER", recipient=t.recipient)
        if t.recipient in sub_processors:
            safeguard = out.label(t.safeguard) if t.safeguard else _NO_SAFEGUARD[out.language]
            out.add(
                "SUBPROCESSOR_OUTSIDE_EEA",
                recipient=t.recipient,
                country=country,
                safeguard=safeguard,
            )
