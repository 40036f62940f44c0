"""Medical research: the French formality (the "route"), the roles, and their reasoning.

LEGAL.md sections 4 and 6. Each step of the reasoning is reported as a finding with its
source, so a DPO can follow why Clausier reached a route. Points LEGAL.md marks "to confirm"
are worded as such and never block.
"""

from __future__ import annotations

from ..answers.model import (
    Answers,
    LawfulBasis,
    Participation,
    ProtocolAuthors,
    Research,
    Role,
    Route,
)
from .findings import Findings, Message, Severity

_CONSENTS = {Participation.WRITTEN_CONSENT, Participation.EXPRESS_CONSENT}
_METHODOLOGIES = {Route.MR_001, Route.MR_002, Route.MR_003, Route.MR_004}
MESSAGES: dict[str, Message] = {
    "INTERNAL_STUDY": (
        Severity.INFO,
        ("Loi 78-17 art. 65", "GDPR 30", "GDPR 13", "GDPR 14"),
        "Étude interne : données recueillies lors des soins, exploitées par l'équipe de soins "
        "elle-même et pour son usage exclusif. Aucune formalité auprès de la CNIL n'est requise "
        "(exemption des études internes de la loi Informatique et Libertés), mais le traitement "
        "est inscrit au registre et les patients sont informés.",
        "Internal study: data collected during care, used by the care team itself and for its "
        "exclusive use. No CNIL formality is required (internal-study exemption of the French "
        "Data Protection Act), but the processing is entered in the record and patients are "
        "informed.",
    ),
    "INTERNAL_DPIA_ADVISED": (
        Severity.INFO,
        ("GDPR 35",),
        "Une analyse d'impact (AIPD) est conseillée pour une étude interne portant sur des "
        "données de santé.",
        "A DPIA is advised for an internal study of health data.",
    ),
    "NOT_INTERNAL": (
        Severity.BLOCKER,
        ("Loi 78-17 art. 65",),
        "L'étude est présentée comme interne, mais {reasons} : les données quittent l'équipe de "
        "soins, l'exemption des études internes ne s'applique pas.",
        "The study is presented as internal, but {reasons}: the data leave the care team, so "
        "the internal-study exemption does not apply.",
    ),
    "RIPH_CPP": (
        Severity.INFO,
        ("CSP L.1121-1",),
        "Recherche impliquant la personne humaine de catégorie {category} : l'avis favorable "
        "d'un comité de protection des personnes (CPP) est requis avant son démarrage.",
        "Research involving the human person, category {category}: a favourable opinion of a "
        "research ethics committee (CPP) is required before it starts.",
    ),
    "PARTICIPATION": (
        Severity.INFO,
        ("CSP L.1122-1-1", "GDPR 6"),
        "Participation : {participation} (Code de la santé publique). Elle ne constitue pas la "
        "base légale du traitement au sens du RGPD, qui est : {basis}.",
        "Participation: {participation} (Public Health Code). It is not the lawful basis of "
        "the processing under the GDPR, which is: {basis}.",
    ),
    "PARTICIPATION_MISMATCH": (
        Severity.BLOCKER,
        ("CSP L.1122-1-1",),
        "Une recherche de catégorie {category} exige {expected} des participants ; les réponses "
        "indiquent : {given}.",
        "Category {category} research requires {expected} from participants; the answers say: "
        "{given}.",
    ),
    "METHODOLOGY": (
        Severity.INFO,
        ("Loi 78-17 art. 73",),
        "La recherche relève de la méthodologie de référence {route} ({why}) : chaque "
        "responsable du traitement s'engage à s'y conformer par une déclaration de conformité "
        "auprès de la CNIL avant de commencer.",
        "The research falls within reference methodology {route} ({why}): each controller "
        "undertakes to comply with it by a declaration of conformity to the CNIL before it "
        "starts.",
    ),
    "MR003_CATEGORY_2": (
        Severity.INFO,
        ("CNIL MR-003",),
        "À vérifier : la MR-003 pourrait couvrir une recherche de catégorie 2 conduite sans "
        "recueil du consentement lorsque le CPP a approuvé une information collective ; ce "
        "point n'est pas confirmé, la MR-001 est retenue.",
        "To be confirmed: MR-003 may cover category 2 research run without consent where the "
        "CPP approved collective information; this is not confirmed, so MR-001 is used.",
    ),
    "BEYOND_METHODOLOGY": (
        Severity.INFO,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 73"),
        "Aucune méthodologie de référence ne couvre la recherche ({reasons}) : une "
        "autorisation de la CNIL est nécessaire.",
        "No reference methodology covers the research ({reasons}): an authorisation from the "
        "CNIL is needed.",
    ),
    "AUTHORISATION_RIPH": (
        Severity.INFO,
        ("Loi 78-17 art. 66",),
        "Demande d'autorisation à la CNIL, après l'avis du comité de protection des personnes.",
        "Authorisation request to the CNIL, after the research ethics committee (CPP) opinion.",
    ),
    "AUTHORISATION_CESREES": (
        Severity.INFO,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 76"),
        "Demande d'autorisation à la CNIL, après l'avis du CESREES, déposée par l'intermédiaire "
        "du Health Data Hub.",
        "Authorisation request to the CNIL, after the CESREES opinion, filed through the Health "
        "Data Hub.",
    ),
    "HDH_DIRECTORY": (
        Severity.INFO,
        ("CNIL 2018-155",),
        "La recherche, qui n'implique pas la personne humaine, est à inscrire au répertoire "
        "public des études du Health Data Hub (le moment de l'inscription, en principe avant "
        "le démarrage, reste à confirmer).",
        "The research, which does not involve the human person, is to be registered in the "
        "Health Data Hub's public directory of studies (when — in principle before it starts "
        "— is to be confirmed).",
    ),
    "DPIA_REQUIRED": (
        Severity.WARNING,
        ("GDPR 35",),
        "Une analyse d'impact (AIPD) est requise pour cette recherche et aucune référence "
        "d'AIPD n'est indiquée.",
        "A DPIA is required for this research and no DPIA reference is given.",
    ),
    "ROUTE_MISMATCH": (
        Severity.BLOCKER,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 73"),
        "Formalité prévue : {intended} ; les faits conduisent à : {derived}. {reason}",
        "Intended formality: {intended}; the facts lead to: {derived}. {reason}",
    ),
    "LEGITIMATE_INTEREST_PUBLIC": (
        Severity.INFO,
        ("GDPR 6(1)",),
        "Base légale retenue : l'intérêt légitime. Une autorité ou un établissement public ne "
        "peut pas s'en prévaloir pour les traitements qu'il effectue dans l'exécution de ses "
        "missions (article 6, paragraphe 1, dernier alinéa, du RGPD) : à vérifier si le "
        "promoteur est une personne publique.",
        "Lawful basis chosen: legitimate interests. A public authority or body cannot rely on "
        "them for processing carried out in the performance of its tasks (last subparagraph of "
        "Article 6(1) GDPR): check whether the sponsor is a public body.",
    ),
    "FLOW_NOT_HDS": (
        Severity.WARNING,
        ("CSP L.1111-8",),
        "Le flux vers {recipient} stocke des données hors d'un hébergeur certifié HDS : "
        "vérifier si l'hébergement de ces données de santé relève de l'article L.1111-8.",
        "The flow to {recipient} stores data outside a certified health-data host: check "
        "whether hosting these health data falls under Article L.1111-8.",
    ),
}


def research_roles(answers: Answers) -> dict[str, tuple[Role, ...]]:
    """LEGAL.md section 6: the sponsor controls the research data; a CRO is its processor;
    centres are its processors, or joint controllers when they wrote the protocol with it."""
    r = answers.research
    roles = {p.id: list(p.roles) for p in answers.parties}
    if r is None:
        return {pid: tuple(rs) for pid, rs in roles.items()}
    joint = r.protocol_drafted_by is ProtocolAuthors.SPONSOR_AND_CENTRES and any(
        c != r.sponsor for c in r.centres
    )

    def give(party_id: str, role: Role) -> None:
        if role not in roles[party_id]:
            roles[party_id].append(role)

    give(r.sponsor, Role.JOINT_CONTROLLER if joint else Role.CONTROLLER)
    for cro in r.cros:
        give(cro.party, Role.PROCESSOR)
    for centre in r.centres:
        if centre != r.sponsor:
            give(centre, Role.JOINT_CONTROLLER if joint else Role.PROCESSOR)
    return {pid: tuple(rs) for pid, rs in roles.items()}


def _internal_contradictions(answers: Answers, r: Research, out: Findings) -> list[str]:
    reasons = []
    if r.cros:
        names = ", ".join(answers.party(c.party).name for c in r.cros)
        reasons.append(out.pick(f"une CRO intervient ({names})", f"a CRO takes part ({names})"))
    others = [c for c in r.centres if c != r.sponsor]
    if others:
        names = ", ".join(answers.party(c).name for c in others)
        reasons.append(
            out.pick(
                f"d'autres établissements participent ({names})",
                f"other establishments take part ({names})",
            )
        )
    recipients = {f.recipient for f in r.data_flows if f.recipient != f.source}
    if recipients:
        names = ", ".join(answers.party(p).name for p in sorted(recipients))
        reasons.append(
            out.pick(f"des données sont transmises à {names}", f"data are sent to {names}")
        )
    return reasons


def _methodology(r: Research, out: Findings) -> tuple[Route | None, str]:
    """The reference methodology the research fits by its nature, and why."""
    if r.involves_human_person:
        if r.riph_category in (1, 2) or r.genetic_testing:
            if r.riph_category == 2:
                out.add("MR003_CATEGORY_2")
            why = out.pick(
                f"recherche de catégorie {r.riph_category} soumise au consentement",
                f"category {r.riph_category} research requiring consent",
            )
            if r.genetic_testing:
                why += out.pick(", examen génétique", ", genetic testing")
            return Route.MR_001, why
        return Route.MR_003, out.pick(
            "recherche non interventionnelle de catégorie 3",
            "non-interventional category 3 research",
        )
    if r.ivd_performance_study:
        return Route.MR_002, out.pick(
            "étude de performances de dispositifs médicaux de diagnostic in vitro",
            "performance study of in-vitro diagnostic medical devices",
        )
    if r.reuses_existing_data_only:
        return Route.MR_004, out.pick(
            "recherche n'impliquant pas la personne humaine, réutilisant des données existantes",
            "research not involving the human person, reusing existing data",
        )
    return None, ""


def _beyond(r: Research, out: Findings) -> list[str]:
    reasons = []
    if r.snds_linkage:
        reasons.append(out.pick("appariement avec le SNDS", "linkage with the SNDS"))
    if r.nir_used:
        reasons.append(out.pick("utilisation du NIR", "use of the NIR"))
    if r.identifying_data_leave_centres:
        reasons.append(
            out.pick(
                "des données directement identifiantes quittent les centres",
                "directly identifying data leave the sites",
            )
        )
    return reasons


def _participation(r: Research, labels: dict[Participation, str], out: Findings) -> None:
    """Public Health Code L.1122-1-1: what each category requires of participants."""
    if not r.involves_human_person:
        return
    accepted = {
        1: ({Participation.WRITTEN_CONSENT}, Participation.WRITTEN_CONSENT),
        2: (_CONSENTS, Participation.EXPRESS_CONSENT),
        3: (set(Participation), Participation.NON_OPPOSITION),
    }[r.riph_category or 3]
    if r.participation not in accepted[0]:
        given = labels[r.participation] if r.participation else out.pick("rien", "nothing")
        out.add(
            "PARTICIPATION_MISMATCH",
            category=r.riph_category,
            expected=labels[accepted[1]],
            given=given,
        )


def assess_research(
    answers: Answers,
    labels: dict[Participation, str],
    basis_label: str,
    out: Findings,
) -> Route:
    """The route and every step of its reasoning, added to `out` as findings."""
    r = answers.research
    assert r is not None
    claimed_internal = r.internal.care_data and r.internal.own_team and r.internal.exclusive_use
    contradictions = _internal_contradictions(answers, r, out) if claimed_internal else []
    if claimed_internal and not contradictions:
        route = Route.INTERNAL
        out.add("INTERNAL_STUDY")
        out.add("INTERNAL_DPIA_ADVISED")
    else:
        if claimed_internal:
            out.add("NOT_INTERNAL", reasons="; ".join(contradictions))
        route, why, reasons = _formal_route(r, out)
        if r.involves_human_person:
            out.add("RIPH_CPP", category=r.riph_category)
        if route in _METHODOLOGIES:
            out.add("METHODOLOGY", route=route.value, why=why)
        else:
            if reasons:
                out.add("BEYOND_METHODOLOGY", reasons=", ".join(reasons))
            out.add("AUTHORISATION_RIPH" if r.involves_human_person else "AUTHORISATION_CESREES")
        if route is Route.MR_004:
            out.add("HDH_DIRECTORY")
        if not r.dpia_reference:
            out.add("DPIA_REQUIRED")

    _participation(r, labels, out)
    if r.participation:
        out.add("PARTICIPATION", participation=labels[r.participation], basis=basis_label)
    if r.lawful_basis is LawfulBasis.LEGITIMATE_INTEREST:
        out.add("LEGITIMATE_INTEREST_PUBLIC")
    _intended(r, route, out)
    # A controller keeping its own data needs no certified host (CSP L.1111-8); a processor
    # storing them for others may.
    hosts_for_others = {cro.party for cro in r.cros}
    if r.protocol_drafted_by is ProtocolAuthors.SPONSOR:
        hosts_for_others |= {c for c in r.centres if c != r.sponsor}
    for flow in r.data_flows:
        if not flow.hds and flow.recipient in hosts_for_others and answers.processing.health_data:
            out.add("FLOW_NOT_HDS", recipient=answers.party(flow.recipient).name)
    return route


def _formal_route(r: Research, out: Findings) -> tuple[Route, str, list[str]]:
    fit, why = _methodology(r, out)
    reasons = _beyond(r, out)
    if fit is Route.MR_001 and r.participation not in _CONSENTS and r.riph_category == 3:
        reasons.append(
            out.pick(
                "examen génétique sans consentement des participants",
                "genetic testing without participants' consent",
            )
        )
    if reasons or fit is None:
        if fit is None:
            reasons.append(
                out.pick(
                    "ni recherche impliquant la personne humaine, ni étude de performances, ni "
                    "réutilisation de données existantes",
                    "neither research involving the human person, a performance study, nor "
                    "reuse of existing data",
                )
            )
        return Route.AUTHORISATION, "", reasons
    return fit, why, []


def _intended(r: Research, route: Route, out: Findings) -> None:
    intended = r.intended_route
    if intended is None or intended is route:
        return
    reason = ""
    if intended is Route.MR_003 and r.riph_category == 1:
        reason = out.pick(
            "La MR-003 ne couvre pas les recherches interventionnelles de catégorie 1.",
            "MR-003 does not cover interventional category 1 research.",
        )
    elif intended is Route.MR_001 and r.participation not in _CONSENTS:
        reason = out.pick(
            "La MR-001 suppose le consentement des participants.",
            "MR-001 requires the participants' consent.",
        )
    elif intended in _METHODOLOGIES and route is Route.AUTHORISATION:
        reason = out.pick(
            "Une méthodologie de référence exclut l'appariement avec le SNDS, l'usage du NIR et "
            "la sortie de données directement identifiantes des centres.",
            "A reference methodology excludes SNDS linkage, use of the NIR and directly "
            "identifying data leaving the sites.",
        )
    elif intended is Route.INTERNAL:
        reason = out.pick(
            "L'exemption des études internes suppose des données de soins, exploitées par "
            "l'équipe de soins elle-même et pour son usage exclusif.",
            "The internal-study exemption requires care data used by the care team itself and "
            "for its exclusive use.",
        )
    out.add("ROUTE_MISMATCH", intended=intended.value, derived=route.value, reason=reason)


def research_parties(answers: Answers) -> list[str]:
    """Ids of the parties taking part in the research, sponsor first, in a stable order."""
    r = answers.research
    if r is None:
        return []
    ids = [r.sponsor, *(c.party for c in r.cros), *r.centres]
    return list(dict.fromkeys(ids))
