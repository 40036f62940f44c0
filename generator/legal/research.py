"""Medical research: the French formality (the "route"), the roles, and their reasoning.

docs/legal/research.md. Each step of the reasoning is reported as a finding with its source,
so a DPO can follow why Clausier reached a route. Points not confirmed in a primary source are
worded as such (in clauses/messages.yaml) and never block.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..answers.countries import in_eu
from ..answers.model import (
    Answers,
    DataCategory,
    DataSubject,
    FlowMeans,
    FreeText,
    LawfulBasis,
    Operation,
    Participation,
    Processing,
    ProtocolAuthors,
    ProviderTask,
    Research,
    ResearchProduct,
    Role,
    Route,
)
from .findings import Findings, Phrase, Rule, Severity

_CONSENTS = {Participation.WRITTEN_CONSENT, Participation.EXPRESS_CONSENT}
METHODOLOGIES = frozenset(
    {
        Route.MR_001,
        Route.MR_002,
        Route.MR_003,
        Route.MR_004,
        Route.MR_005,
        Route.MR_006,
        Route.MR_007,
        Route.MR_008,
    }
)
# The main SNDS database: MR-007 for a body on a public-interest mission, MR-008 for one
# acting on a legitimate interest (any other basis fits neither).
_SNDS_METHODOLOGIES = {
    LawfulBasis.PUBLIC_INTEREST: Route.MR_007,
    LawfulBasis.LEGITIMATE_INTEREST: Route.MR_008,
}

# Each finding the research reasoning can raise; its words are in clauses/messages.yaml.
RULES: dict[str, Rule] = {
    "INTERNAL_STUDY": Rule(Severity.INFO, ("Loi 78-17 art. 65", "GDPR 30", "GDPR 13", "GDPR 14")),
    "INTERNAL_DPIA_ADVISED": Rule(Severity.INFO, ("GDPR 35",)),
    # Health data of patients: sensitive data of vulnerable persons, two criteria of the
    # EDPB's list (WP248): a DPIA is required, not advised.
    "INTERNAL_DPIA_REQUIRED": Rule(Severity.WARNING, ("GDPR 35", "WP248 rev.01")),
    "NOT_INTERNAL": Rule(Severity.BLOCKER, ("Loi 78-17 art. 65",), {"reasons": list[str]}),
    "RIPH_CPP": Rule(Severity.INFO, ("CSP L.1121-1",), {"category": int}),
    "PARTICIPATION": Rule(
        Severity.INFO,
        ("CSP L.1122-1-1", "GDPR 6"),
        {"participation": Participation, "basis": LawfulBasis},
    ),
    "PARTICIPATION_MISMATCH": Rule(
        Severity.BLOCKER,
        ("CSP L.1122-1-1",),
        {"category": int, "expected": Participation, "given": Participation | None},
    ),
    # Category 2 without individual consent may be lawful (collective information the CPP
    # accepts, CSP L.1122-1-4: to be confirmed): said, never blocked.
    "CATEGORY_2_WITHOUT_CONSENT": Rule(Severity.WARNING, ("CSP L.1122-1-1", "CSP L.1122-1-4")),
    "METHODOLOGY": Rule(Severity.INFO, ("Loi 78-17 art. 73",), {"route": Route, "why": str}),
    "MR003_CATEGORY_2": Rule(Severity.INFO, ("CNIL MR-003",)),
    "BEYOND_METHODOLOGY": Rule(
        Severity.INFO, ("Loi 78-17 art. 66", "Loi 78-17 art. 73"), {"reasons": list[str]}
    ),
    "AUTHORISATION_RIPH": Rule(Severity.INFO, ("Loi 78-17 art. 66",)),
    "AUTHORISATION_CESREES": Rule(Severity.INFO, ("Loi 78-17 art. 66", "Loi 78-17 art. 76")),
    "HDH_DIRECTORY": Rule(Severity.INFO, ("CNIL 2018-155",)),
    "DPIA_REQUIRED": Rule(Severity.WARNING, ("GDPR 35",), {"route": Route}),
    "ROUTE_MISMATCH": Rule(
        Severity.BLOCKER,
        ("Loi 78-17 art. 66", "Loi 78-17 art. 73"),
        {"intended": Route, "derived": Route, "reason": str | None},
    ),
    "LEGITIMATE_INTEREST_PUBLIC": Rule(Severity.WARNING, ("GDPR 6(1)",), {"sponsor": str}),
    "FLOW_NOT_HDS": Rule(Severity.WARNING, ("CSP L.1111-8",), {"recipient": str}),
    # Samples left over from care: the person, informed, may object (CSP L.1211-2).
    "LEFTOVER_SAMPLES": Rule(Severity.INFO, ("CSP L.1211-2",)),
    # A sponsor outside the EU acts in it through a legal representative.
    "SPONSOR_REPRESENTATIVE_MISSING": Rule(
        Severity.WARNING, ("Regulation 536/2014 art. 74", "GDPR 27"), {"sponsor": str}
    ),
    # A party using research data for its own purposes (a funder, a partner) is a recipient and
    # a controller of its own: no DPA, its own basis and formality, named to the participants.
    "RECIPIENT_CONTROLLER": Rule(
        Severity.INFO,
        ("GDPR 4(9)", "GDPR 6", "GDPR 14(1)(e)", "Loi 78-17 art. 66"),
        {"party": str},
    ),
    # A flow's recipient with no role for the data: the sponsor's processor, or a controller?
    "RECIPIENT_WITHOUT_ROLE": Rule(Severity.WARNING, ("GDPR 4(7)", "GDPR 4(8)"), {"party": str}),
    # A site in another State answers to that State's health law and ethics committee.
    "SITE_OUTSIDE_FRANCE": Rule(
        Severity.INFO, ("GDPR 9(4)", "Loi 78-17 art. 3"), {"site": str, "country": str}
    ),
    # A clinical trial of a medicinal product: one application through CTIS, the ANSM
    # assessing Part I and a CPP Part II, the ANSM notifying the single decision (in place of
    # RIPH_CPP for that trial).
    "CLINICAL_TRIAL_CTIS": Rule(
        Severity.INFO,
        ("Regulation 536/2014 art. 5", "Regulation 536/2014 art. 8", "CSP L.1124-1"),
        {"category": int},
    ),
    # French law keeps studies of a medicinal product out of category 2 (arrêté listing that
    # category: current text to be confirmed): worded as a point to check, never blocked.
    "CLINICAL_TRIAL_CATEGORY_2": Rule(
        Severity.WARNING, ("CSP L.1121-1", "Regulation 536/2014 art. 2")
    ),
    # A non-interventional study of a medicinal product is not a clinical trial under the
    # Regulation (art. 2(2)(4)): the plain RIPH route, to be confirmed per study.
    "MEDICINAL_NON_INTERVENTIONAL": Rule(Severity.INFO, ("Regulation 536/2014 art. 2",)),
    # An interventional study the answers give no product for: if it is a medicinal product's,
    # it is a clinical trial with its own regime, which the documents would then lack.
    "PRODUCT_NOT_STATED": Rule(Severity.INFO, ("Regulation 536/2014 art. 2",)),
    # A CTR trial's vigilance duties rest on a legal obligation whatever the answers say: the
    # documents state them (safety_reporting), and the answers should too.
    "CLINICAL_TRIAL_SAFETY_REPORTING": Rule(
        Severity.WARNING,
        (
            "Regulation 536/2014 art. 41",
            "Regulation 536/2014 art. 42",
            "GDPR 6(1)(c)",
            "GDPR 9(2)(i)",
        ),
    ),
    # Device and IVD studies: their regulations' own ANSM procedures and document retention
    # are not read in a primary source yet: said as points to confirm per study.
    "DEVICE_INVESTIGATION": Rule(
        Severity.INFO, ("Regulation 2017/745 art. 62", "CSP L.1121-1", "CSP L.1125-1")
    ),
    "IVD_PERFORMANCE_STUDY": Rule(
        Severity.INFO, ("Regulation 2017/746 art. 57", "Regulation 2017/746 art. 58")
    ),
    # MR-005 is for health establishments and hospital federations, MR-006 for health-product
    # companies: who the sponsor is decides, which the answers do not state (to be confirmed).
    "PMSI_SPONSOR": Rule(Severity.INFO, ("Loi 78-17 art. 73",), {"route": Route, "sponsor": str}),
    # What MR-007 and MR-008 require of each controller (their §6.2.2-6.2.3, confirmed).
    "SNDS_METHODOLOGY_DUTIES": Rule(
        Severity.INFO, ("Loi 78-17 art. 73", "GDPR 26", "GDPR 30", "GDPR 37"), {"route": Route}
    ),
    "SNDS_SECURITY": Rule(Severity.INFO, ("CSP L.1461-1", "Arrêté 6 May 2024 (SNDS)")),
    # Matching on the NIR is done by the national health insurance fund, which receives it.
    "SNDS_NIR_CNAM": Rule(Severity.INFO, ("CSP L.1461-1", "GDPR 4(9)")),
    # Industry-sponsored research in a public establishment: the contract is the convention
    # unique, whose model (fixed by arrêté) cannot be modified.
    "CONVENTION_UNIQUE": Rule(
        Severity.INFO, ("CSP L.1121-16-1", "CSP R.1121-3-1"), {"centres": list[str]}
    ),
    # Its model frames the establishment as the sponsor's processor (to be confirmed); the
    # answers make them joint controllers.
    "CONVENTION_UNIQUE_JOINT_CONTROL": Rule(
        Severity.WARNING, ("CSP L.1121-16-1", "GDPR 26", "GDPR 28"), {"centres": list[str]}
    ),
    # Category 3: whether the convention unique applies is to be confirmed.
    "CONVENTION_UNIQUE_CATEGORY_3": Rule(
        Severity.INFO, ("CSP L.1121-16-1",), {"centres": list[str]}
    ),
}
# The reasons and facts those findings name, worded in clauses/messages.yaml.
PHRASES: dict[str, dict[str, type]] = {
    "cro_takes_part": {"names": list[str]},
    "other_establishments": {"names": list[str]},
    "data_sent_to": {"names": list[str]},
    "consent_research": {"category": int, "genetic": bool},
    "category_3_research": {},
    "ivd_performance_study": {},
    "existing_data_reuse": {},
    "pmsi_establishment": {},
    "pmsi_industry": {},
    "snds_public_interest": {},
    "snds_legitimate_interest": {},
    "snds_other_basis": {},
    "snds_linkage": {},
    "nir_used": {},
    "identifying_data_leave": {},
    "genetic_without_consent": {},
    "no_methodology_fits": {},
    "mr003_not_category_1": {},
    "mr001_needs_consent": {},
    "methodology_exclusions": {},
    "internal_conditions": {},
}


def research_roles(answers: Answers) -> dict[str, tuple[Role, ...]]:
    """The sponsor controls the research data; a CRO is its processor; centres are its
    processors, or joint controllers when they wrote the protocol with it (docs/legal/research.md).
    This is the one place that decides who is a joint controller of a study."""
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
    for processor in (*r.cros, *r.providers):
        give(processor.party, Role.PROCESSOR)

    for centre in r.centres:
        if centre != r.sponsor:
            give(centre, Role.JOINT_CONTROLLER if joint else Role.PROCESSOR)
    return {pid: tuple(rs) for pid, rs in roles.items()}


def hdh_directory(research: Research, route: Route | None) -> bool:
    """Research not involving the human person registers in the Health Data Hub's public
    directory: under MR-004, and when authorised by the CNIL (LEGAL.md section 9)."""
    return route is Route.MR_004 or (
        route is Route.AUTHORISATION and not research.involves_human_person
    )


def snds_only(research: Research) -> bool:
    """The study's data are extracts of the main SNDS database alone, which reach it under
    the SNDS's pseudonymised identifier: nobody is included, coded or informed at a site, and
    no party of the study holds a key table."""
    return (
        research.snds_data
        and not research.snds_linkage
        and not research.involves_human_person
        and not research.pmsi_data
    )


def key_table_holders(research: Research) -> tuple[str, ...]:
    """Who keeps the table linking participants' codes to their identities: the party the
    answers name, else each centre for its own participants (the methodologies keep it at
    the site); nobody, in a study of SNDS extracts alone."""
    if snds_only(research):
        return ()
    if research.key_table_holder:
        return (research.key_table_holder,)
    return tuple(dict.fromkeys(research.centres))


def _french_centres(answers: Answers) -> list[str]:
    """The centres established in France, sponsor aside: health establishments, public or
    private, and maisons or centres de santé, where the convention unique applies."""
    r = answers.research
    assert r is not None
    abroad = sites_outside_france(answers)
    return [c for c in dict.fromkeys(r.centres) if c != r.sponsor and c not in abroad]


def convention_unique_centres(answers: Answers) -> tuple[str, ...]:
    """The centres the sponsor contracts with through the convention unique (CSP L.1121-16-1,
    R.1121-3-1; model fixed by the arrêté of 29 July 2024, which repealed that of 28 March
    2022 and applies to any health establishment, maison or centre de santé, public or
    private): the French centres of industry-sponsored research involving the human person of
    category 1 or 2. The data-protection roles do not decide it: the Code ties the convention
    to the research and the place where it is run, so a centre sharing control of the data
    with the sponsor signs it too (CONVENTION_UNIQUE_JOINT_CONTROL)."""
    r = answers.research
    if r is None or not r.commercial or r.riph_category not in (1, 2):
        return ()
    return tuple(_french_centres(answers))


def _convention_unique(answers: Answers, out: Findings) -> None:
    """Say which establishments sign the convention unique; a joint controller among them, whose
    convention frames it as a processor; a commercial category 3 study, where it is unsettled."""
    r = answers.research
    assert r is not None

    def names(ids: Iterable[str]) -> list[str]:
        return [answers.party(i).name for i in ids]

    centres = convention_unique_centres(answers)
    if centres:
        out.add("CONVENTION_UNIQUE", centres=names(centres))
        roles = research_roles(answers)
        joint = [c for c in centres if Role.JOINT_CONTROLLER in roles[c]]
        if joint:
            out.add("CONVENTION_UNIQUE_JOINT_CONTROL", centres=names(joint))
    elif r.commercial and r.riph_category == 3 and (public := _french_centres(answers)):
        out.add("CONVENTION_UNIQUE_CATEGORY_3", centres=names(public))


def _claimed_internal(r: Research) -> bool:
    return r.internal.care_data and r.internal.own_team and r.internal.exclusive_use


def _outside_the_team(r: Research) -> dict[str, list[str]]:
    """Who, besides the care team, takes part in or receives the data of a study (each makes
    it not internal), by the phrase that says so."""
    found = {
        "cro_takes_part": [c.party for c in r.cros],
        "other_establishments": [c for c in dict.fromkeys(r.centres) if c != r.sponsor],
        "data_sent_to": sorted({f.recipient for f in r.data_flows if f.recipient != f.source}),
    }
    return {code: ids for code, ids in found.items() if ids}


def route_of(r: Research) -> Route:
    """The route the facts of a study lead to: the reasoning of assess_research, without its
    findings (the interview asks it before the answers are whole)."""
    if _claimed_internal(r) and not _outside_the_team(r):
        return Route.INTERNAL
    return _formal_route(r, Findings(RULES, PHRASES))[0]


def _methodology(r: Research, out: Findings) -> tuple[Route | None, Phrase | None]:
    """The reference methodology the research fits by its nature, and why."""
    if r.involves_human_person:
        if r.riph_category in (1, 2) or r.genetic_testing:
            if r.riph_category == 2:
                out.add("MR003_CATEGORY_2")
            why = out.phrase(
                "consent_research", category=r.riph_category, genetic=r.genetic_testing
            )
            return Route.MR_001, why
        return Route.MR_003, out.phrase("category_3_research")
    if r.ivd_performance_study:
        return Route.MR_002, out.phrase("ivd_performance_study")
    access = _data_access_methodology(r, out)
    if access:
        return access
    if r.reuses_existing_data_only:
        return Route.MR_004, out.phrase("existing_data_reuse")
    return None, None


def _data_access_methodology(r: Research, out: Findings) -> tuple[Route, Phrase] | None:
    """Research reusing SNDS or PMSI data has methodologies of its own, which take precedence
    over MR-004: the main SNDS database (which holds the PMSI too) by the sponsor's lawful
    basis, PMSI data by who the sponsor is (docs/legal/research.md). SNDS data on another
    basis fit neither MR-007 nor MR-008: `_beyond` says so."""
    if r.snds_data and r.lawful_basis in _SNDS_METHODOLOGIES:
        return _SNDS_METHODOLOGIES[r.lawful_basis], out.phrase(f"snds_{r.lawful_basis.value}")
    if r.pmsi_data and not r.snds_data:
        if r.commercial:
            return Route.MR_006, out.phrase("pmsi_industry")
        return Route.MR_005, out.phrase("pmsi_establishment")
    return None


def uses_snds(r: Research) -> bool:
    """The study processes SNDS data, so the SNDS security framework applies to it."""
    return r.snds_data or r.snds_linkage


def cnam_receives_nir(r: Research) -> bool:
    """The SNDS linkage is made on the NIR, which the national health insurance fund (CNAM)
    receives to match it (LEGAL.md section 9: to be confirmed per study)."""
    return r.snds_linkage and r.nir_used


def _beyond(r: Research, out: Findings) -> list[Phrase]:
    """What takes the research outside every reference methodology."""
    facts = (
        (r.snds_data and r.lawful_basis not in _SNDS_METHODOLOGIES, "snds_other_basis"),
        (r.snds_linkage, "snds_linkage"),
        (r.nir_used, "nir_used"),
        (r.identifying_data_leave_centres, "identifying_data_leave"),
    )
    return [out.phrase(code) for present, code in facts if present]


def _participation(r: Research, out: Findings) -> None:
    """Public Health Code L.1122-1-1: what each category requires of participants."""
    if not r.involves_human_person:
        return
    accepted = {
        1: ({Participation.WRITTEN_CONSENT}, Participation.WRITTEN_CONSENT),
        2: (_CONSENTS, Participation.EXPRESS_CONSENT),
        3: (set(Participation), Participation.NON_OPPOSITION),
    }[r.riph_category or 3]
    if r.riph_category == 2 and r.participation is Participation.NON_OPPOSITION:
        out.add("CATEGORY_2_WITHOUT_CONSENT")
    elif r.participation not in accepted[0]:
        out.add(
            "PARTICIPATION_MISMATCH",
            category=r.riph_category,
            expected=accepted[1],
            given=r.participation,
            at=["research.participation", "research.riph_category"],
        )


def assess_research(answers: Answers, out: Findings) -> Route:
    """The route and every step of its reasoning, added to `out` as findings."""
    r = answers.research
    assert r is not None
    claimed_internal = _claimed_internal(r)
    contradictions = [
        out.phrase(code, names=[answers.party(i).name for i in ids])
        for code, ids in (_outside_the_team(r).items() if claimed_internal else ())
    ]
    if claimed_internal and not contradictions:
        route = Route.INTERNAL
        out.add("INTERNAL_STUDY")
        if not r.dpia_reference and internal_dpia_required(answers):
            out.add("INTERNAL_DPIA_REQUIRED")
        elif not r.dpia_reference:
            out.add("INTERNAL_DPIA_ADVISED")
    else:
        if claimed_internal:
            # The claim the parties and flows contradict: the three conditions answered yes.
            claim = [f"research.internal.{name}" for name in type(r.internal).model_fields]
            out.add("NOT_INTERNAL", reasons=contradictions, at=claim)
        route, why, reasons = _formal_route(r, out)
        if r.involves_human_person and not clinical_trial(r):  # a trial: CLINICAL_TRIAL_CTIS
            out.add("RIPH_CPP", category=r.riph_category)
        if route in METHODOLOGIES:
            out.add("METHODOLOGY", route=route, why=why)
        else:
            if reasons:
                out.add("BEYOND_METHODOLOGY", reasons=reasons)
            out.add("AUTHORISATION_RIPH" if r.involves_human_person else "AUTHORISATION_CESREES")
        if hdh_directory(r, route):
            out.add("HDH_DIRECTORY")
        if not r.dpia_reference:  # each methodology requires one; so does an authorisation
            out.add("DPIA_REQUIRED", route=route)

    _participation(r, out)
    _health_product(r, out)
    if r.leftover_samples:
        out.add("LEFTOVER_SAMPLES")
    if r.participation:
        out.add("PARTICIPATION", participation=r.participation, basis=r.lawful_basis)
    sponsor = answers.party(r.sponsor)
    if not in_eu(sponsor.country) and sponsor.eu_representative is None:
        out.add("SPONSOR_REPRESENTATIVE_MISSING", sponsor=sponsor.name)
    for site in sites_outside_france(answers):
        party = answers.party(site)
        out.add("SITE_OUTSIDE_FRANCE", site=party.name, country=party.country)
    if r.lawful_basis is LawfulBasis.LEGITIMATE_INTEREST and sponsor.public_body:
        out.add("LEGITIMATE_INTEREST_PUBLIC", sponsor=sponsor.name)
    _intended(r, route, out)
    _data_access(r, route, sponsor.name, out)
    _convention_unique(answers, out)
    # A controller keeping its own data needs no certified host (CSP L.1111-8); a processor
    # storing them for others may: a CRO, a centre, a host or secure environment.
    roles = research_roles(answers)
    for flow in r.data_flows:
        processor = flow.recipient != r.sponsor and Role.PROCESSOR in roles[flow.recipient]
        if not flow.hds and processor and answers.processing.health_data:
            out.add("FLOW_NOT_HDS", recipient=answers.party(flow.recipient).name)
    _recipients(answers, roles, out)
    return route


def _recipients(answers: Answers, roles: dict[str, tuple[Role, ...]], out: Findings) -> None:
    """Each recipient of research data acts for the sponsor or for itself: said, or asked."""
    r = answers.research
    assert r is not None
    for pid in recipient_controllers(answers, roles):
        out.add("RECIPIENT_CONTROLLER", party=answers.party(pid).name)
    gdpr = {Role.CONTROLLER, Role.JOINT_CONTROLLER, Role.PROCESSOR}
    for pid in dict.fromkeys(f.recipient for f in r.data_flows):
        if not gdpr & set(roles[pid]):
            out.add("RECIPIENT_WITHOUT_ROLE", party=answers.party(pid).name)


def clinical_trial(research: Research) -> bool:
    """A clinical trial of a medicinal product under Regulation 536/2014: interventional
    research involving the human person (category 1 or 2) on a medicinal product. A category 3
    study is non-interventional (art. 2(2)(4)); research not involving the person is none.
    The one place that decides it: documents read it as `clinical_trial`."""
    return (
        research.product is ResearchProduct.MEDICINAL_PRODUCT
        and research.involves_human_person
        and research.riph_category in (1, 2)
    )


def safety_reporting(research: Research) -> bool:
    """Vigilance duties resting on a legal obligation: those the answers state, and always a
    clinical trial's (Regulation 536/2014 arts 41 to 43), so documents and findings agree."""
    return research.safety_reporting or clinical_trial(research)


def device_study(research: Research) -> ResearchProduct | None:
    """The device whose EU regulation frames a study: an interventional clinical investigation
    of a medical device (2017/745), or a performance study of an in-vitro diagnostic device
    (2017/746) whether or not it involves the person; None for anything else."""
    if research.product is ResearchProduct.MEDICAL_DEVICE:
        interventional = research.involves_human_person and research.riph_category in (1, 2)
        return research.product if interventional else None
    if research.product is ResearchProduct.IN_VITRO_DIAGNOSTIC:
        studied = research.involves_human_person or research.ivd_performance_study
        return research.product if studied else None
    return None


def _health_product(r: Research, out: Findings) -> None:
    """What the regulation of the product studied adds: the CTIS procedure and vigilance of a
    clinical trial; the device regulations' own procedures, to be confirmed per study."""
    if r.product is None and r.involves_human_person and r.riph_category in (1, 2):
        out.add("PRODUCT_NOT_STATED")
    if clinical_trial(r):
        out.add("CLINICAL_TRIAL_CTIS", category=r.riph_category)
        if r.riph_category == 2:
            out.add("CLINICAL_TRIAL_CATEGORY_2")
        if not r.safety_reporting:
            out.add("CLINICAL_TRIAL_SAFETY_REPORTING")
    elif r.product is ResearchProduct.MEDICINAL_PRODUCT and r.involves_human_person:
        out.add("MEDICINAL_NON_INTERVENTIONAL")
    device = device_study(r)
    if device is ResearchProduct.MEDICAL_DEVICE:
        out.add("DEVICE_INVESTIGATION")
    elif device is ResearchProduct.IN_VITRO_DIAGNOSTIC:
        out.add("IVD_PERFORMANCE_STUDY")


def _data_access(r: Research, route: Route, sponsor: str, out: Findings) -> None:
    """What the PMSI and SNDS methodologies, and SNDS data whatever the route, add."""
    if route in (Route.MR_005, Route.MR_006):
        out.add("PMSI_SPONSOR", route=route, sponsor=sponsor)
    if route in (Route.MR_007, Route.MR_008):
        out.add("SNDS_METHODOLOGY_DUTIES", route=route)
    if uses_snds(r):
        out.add("SNDS_SECURITY")
    if cnam_receives_nir(r):
        out.add("SNDS_NIR_CNAM")


def internal_dpia_required(answers: Answers) -> bool:
    """Sensitive data of vulnerable persons (patients): two criteria of the EDPB's list
    (WP248 rev.01), so an internal study needs a DPIA, not merely advised."""
    vulnerable = DataSubject.PATIENTS in answers.processing.data_subjects
    return vulnerable and answers.processing.special_categories


def dpia_due(answers: Answers, route: Route | None) -> bool:
    """A DPIA is required: by each methodology and by an authorisation; for an internal study
    when it meets two criteria of the EDPB's list; for care, whenever health data are processed
    at scale by a processor for a hospital (CNIL deliberation 2018-327)."""
    if route is None:
        return answers.processing.health_data
    if route is Route.INTERNAL:
        return internal_dpia_required(answers)
    return True


def collective_information(research: Research) -> bool:
    """Persons take part unless they object, or their samples left over from care are used:
    besides the individual notice, a poster informs them collectively where they are cared
    for (CSP L.1211-2 for samples; the methodologies' information of non-objection)."""
    return (
        research.participation is Participation.NON_OPPOSITION
        or research.leftover_samples
        or research.reuses_existing_data_only
    )


def objection_unconditional(research: Research) -> bool:
    """Persons take part unless they object (non-objection research, reuse of existing data):
    the information they receive promises that an objection stops the use of their data, so
    it is not weighed against the public interest as GDPR 21(6) would allow."""
    return not research.involves_human_person or (
        research.participation is Participation.NON_OPPOSITION
    )


def uses_case_report_form(research: Research) -> bool:
    """Participants' data are recorded in a case report form: in research involving the
    human person, or where a flow goes by eCRF; a study reusing data extracts them instead."""
    return research.involves_human_person or any(
        f.means is FlowMeans.ECRF for f in research.data_flows
    )


def _formal_route(r: Research, out: Findings) -> tuple[Route, Phrase | None, list[Phrase]]:
    fit, why = _methodology(r, out)
    reasons = _beyond(r, out)
    if fit is Route.MR_001 and r.participation not in _CONSENTS and r.riph_category == 3:
        reasons.append(out.phrase("genetic_without_consent"))
    if reasons or fit is None:
        if fit is None:
            reasons.append(out.phrase("no_methodology_fits"))
        return Route.AUTHORISATION, None, reasons
    return fit, why, []


def _intended(r: Research, route: Route, out: Findings) -> None:
    intended = r.intended_route
    if intended is None or intended is route:
        return
    reason = None
    if intended is Route.MR_003 and r.riph_category == 1:
        reason = out.phrase("mr003_not_category_1")
    elif intended is Route.MR_001 and r.participation not in _CONSENTS:
        reason = out.phrase("mr001_needs_consent")
    elif intended in METHODOLOGIES and route is Route.AUTHORISATION:
        reason = out.phrase("methodology_exclusions")
    elif intended is Route.INTERNAL:
        reason = out.phrase("internal_conditions")
    out.add(
        "ROUTE_MISMATCH",
        intended=intended,
        derived=route,
        reason=reason,
        at=["research.intended_route"],
    )


def processor_tasks(research: Research, party_id: str) -> list[FreeText]:
    """What a CRO or another provider (a central laboratory, a central reader) does for the
    sponsor: its DPA's services (empty for any other party)."""
    return [
        t for c in (*research.cros, *research.providers) if c.party == party_id for t in c.tasks
    ]


def research_parties(answers: Answers) -> list[str]:
    """Ids of the parties the protocol annex describes, sponsor first, in a stable order: the
    study's own (sponsor, CROs, centres), then any other party with a place in it — a processor
    acting for the sponsor (a host, a secure environment), a joint controller, a funder, the
    sender or recipient of a data flow."""
    r = answers.research
    if r is None:
        return []
    roles = research_roles(answers)
    placed = {Role.PROCESSOR, Role.JOINT_CONTROLLER, Role.FUNDER}
    ends = {pid for f in r.data_flows for pid in (f.source, f.recipient)}
    others = [p.id for p in answers.parties if placed & set(roles[p.id]) or p.id in ends]
    return list(dict.fromkeys([r.sponsor, *(c.party for c in r.cros), *r.centres, *others]))


def recipient_controllers(answers: Answers, roles: dict[str, tuple[Role, ...]]) -> list[str]:
    """Parties receiving research data as controllers for purposes of their own (GDPR 4(9)):
    a recipient of a data flow, other than the sponsor, its centres and CROs, that holds the
    controller role. Not the sponsor's processors: no DPA binds them to it."""
    r = answers.research
    if r is None:
        return []
    study = {r.sponsor, *r.centres, *(c.party for c in r.cros)}
    received = {f.recipient for f in r.data_flows}
    return [
        p.id
        for p in answers.parties
        if p.id in received and p.id not in study and Role.CONTROLLER in roles[p.id]
    ]


# Data that identify a participant directly: the methodologies keep them at the site, which
# alone links a participant's code to their identity (docs/legal/research.md).
DIRECTLY_IDENTIFYING = frozenset(
    {DataCategory.IDENTIFICATION, DataCategory.CONTACT, DataCategory.NIR}
)


def data_categories_of(answers: Answers, party_id: str) -> list[DataCategory]:
    """The categories of data a processor of a study receives (GDPR 28(3): its DPA describes
    its own processing). A centre collects everything; any other processor receives coded
    data only, unless it keeps the key table or the study sends it identities: a flow to it
    that is not pseudonymised or, when no flow to it is described, identifying data leaving
    the centres; a provider naming the study's categories it receives, only those."""
    categories = answers.processing.data_categories
    r = answers.research
    if r is None:
        return list(categories)
    if party_id in sites_outside_france(answers):  # the NIR is French: no such site has one
        return [c for c in categories if c is not DataCategory.NIR]
    if party_id in r.centres or party_id in key_table_holders(r):
        return list(categories)
    provider = provider_of(r, party_id)
    if provider and provider.data_categories:  # a provider receiving part of the data only
        categories = [c for c in categories if c in provider.data_categories]

    inflows = [f for f in r.data_flows if f.recipient == party_id]
    if any(not f.pseudonymised for f in inflows) or (
        not inflows and r.identifying_data_leave_centres
    ):
        return list(categories)
    return [c for c in categories if c not in DIRECTLY_IDENTIFYING]


def reports_incidents(answers: Answers, party_id: str) -> bool:
    """The party is a French health establishment, held to report the serious incidents of
    its information systems (CSP L.1111-8-2) and insured under CSP L.1142-2: outside
    research, the controller Clausier serves (a hospital); in a study, a centre established
    in France, or a provider that is a French health establishment (a hospital's reference
    laboratory) — not an industrial or academic sponsor that runs no centre."""
    r = answers.research
    if r is None:
        return True
    if party_id in r.centres:
        return party_id not in sites_outside_france(answers)
    provider = provider_of(r, party_id)
    return bool(provider and provider.health_establishment) and (
        answers.party(party_id).country == "FR"
    )


def enters_case_report_form(research: Research, party_id: str) -> bool:
    """A provider enters its results in the case report form itself (a flow from it by
    eCRF): its staff using the eCRF are data subjects of its DPA, and it has nothing to
    return at the end of its services — the eCRF holds its results, so it destroys its data."""
    return provider_of(research, party_id) is not None and any(
        f.source == party_id and f.means is FlowMeans.ECRF for f in research.data_flows
    )


# What a provider does when its answers list no operations: it receives coded samples or
# data, records and keeps them, consults and analyses them, sends its results and destroys
# the rest; matching them with other data (GDPR 4(2) "alignment") is not among its tasks.
PROVIDER_OPERATIONS = (
    Operation.COLLECTION,
    Operation.RECORDING,
    Operation.STORAGE,
    Operation.CONSULTATION,
    Operation.USE,
    Operation.TRANSMISSION,
    Operation.ERASURE,
)
# The persons a study's data are about: a provider receives theirs, not the sites' staff's.
_PARTICIPANTS = (DataSubject.RESEARCH_PARTICIPANTS, DataSubject.PATIENTS)


def processing_of(answers: Answers, party_id: str) -> Processing:
    """The processing a processor's DPA describes: its own (GDPR 28(3)). The data categories
    it receives; for a provider, besides, its own operations, volume and retention and, as
    data subjects, the participants and the persons it names (its eCRF users are added by
    its DPA's text, see `enters_case_report_form`); its purposes and nature are its tasks
    and flows, which the DPA words."""
    processing = answers.processing
    update: dict[str, object] = {
        "data_categories": data_categories_of(answers, party_id),
        "other_data_categories": other_data_categories_of(answers, party_id),
    }
    provider = provider_of(answers.research, party_id) if answers.research else None
    if provider:
        update.update(
            operations=provider.operations or list(PROVIDER_OPERATIONS),
            data_subjects=[s for s in processing.data_subjects if s in _PARTICIPANTS]
            or [DataSubject.RESEARCH_PARTICIPANTS],
            other_data_subjects=list(provider.other_data_subjects),
            nature=None,
            volume=provider.volume,
            retention=provider.retention,
        )
    return processing.model_copy(update=update)


def other_data_categories_of(answers: Answers, party_id: str) -> list[FreeText]:
    """The data a processor of a study receives, in words: a provider's own when the answers
    give them (a central reader receives images, not the whole case report form), else the
    study's."""
    provider = provider_of(answers.research, party_id) if answers.research else None
    if provider and provider.other_data_categories:
        return list(provider.other_data_categories)
    return list(answers.processing.other_data_categories)


def provider_of(research: Research, party_id: str) -> ProviderTask | None:
    """The sponsor's provider entry for the party (a central laboratory, a reader), if any."""
    return next((p for p in research.providers if p.party == party_id), None)


def sites_outside_france(answers: Answers) -> tuple[str, ...]:
    """The investigating centres established outside France. The Public Health Code governs
    the French sites; each of these answers, for its part of the research, to the law of its
    own State (medical secrecy, access to medical records) and to its ethics committee."""
    r = answers.research
    if r is None:
        return ()
    return tuple(c for c in dict.fromkeys(r.centres) if answers.party(c).country != "FR")
