"""The wording of every question: what is asked, why it matters legally, in which section,
and when it does not apply. English is the message id; locales/ holds the French.

One entry per field of the answers model (the key is its path, list items as "*"); "X.?" asks
whether an optional section X is there, "X.+.*" whether to add another item to a group of
sections (a list of texts is asked item after item, an empty answer ending it: LIST_END).
A test fails when a field of the model has no entry here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from ..answers.model import Research, Role, Route, Safeguard
from ..legal import facts

Path = tuple[str | int, ...]
Data = Mapping[str, Any]


def N_(message: str) -> str:
    return message


SECTIONS = (
    N_("Parties"),
    N_("Processing"),
    N_("Data and data subjects"),
    N_("Hosting"),
    N_("Sub-processors"),
    N_("Transfers outside the EEA"),
    N_("Security measures"),
    N_("Research project"),
    N_("Contract options"),
)


@dataclass(frozen=True)
class Spec:
    text: str
    help: str
    section: int = 0  # index in SECTIONS, counted from 1; 0 = before the sections
    when: Callable[[Data, Path], bool] | None = None
    derived: bool = False  # filled by the interview, never asked
    parties: bool = False  # the answer is one party id (or several, for a list)
    default: Callable[[Data, Path], Any] | None = None
    otherwise: Spec | None = None  # asked instead when `when` does not hold
    hint: Callable[[Data, Path], str | None] | None = None  # the help the answers call for
    offer: Callable[[Data, Path], Iterable[str]] | None = None  # the choices that can apply
    fixed: Callable[[Data, Path], Any] | None = None  # the answer when only one is possible
    then: Callable[[dict[str, Any], Path], None] | None = None  # run once the answer is in
    several: bool = False  # one party field asked as several: the interview writes one item each

    def applies(self, data: Data, path: Path) -> bool:
        return self.when is None or bool(self.when(data, path))

    def resolved(self, data: Data, path: Path) -> Spec:
        """This question as the answers so far word it: another wording where it does not
        apply as such, the help that fits the answers."""
        if self.otherwise is not None and not self.applies(data, path):
            return self.otherwise.resolved(data, path)
        hint = self.hint(data, path) if self.hint else None
        return replace(self, help=hint) if hint else self


# What an empty answer does at an item of a list of texts (its help says so): asked item after
# item, with no "add another?" question.
LIST_NONE = N_("Leave empty if there is none.")
LIST_END = N_("Leave empty if there is no other.")
LIST_KEEP = N_("Erase the text to remove it from the list.")


# Conditions ----------------------------------------------------------------------------


def _get(data: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(data, Mapping):
            data = data.get(key)
        elif isinstance(data, list) and isinstance(key, int) and key < len(data):
            data = data[key]
        else:
            return None
    return data


def _item(data: Data, path: Path) -> Any:
    """The group item a question belongs to: the path up to its last index."""
    last = max(i for i, p in enumerate(path) if isinstance(p, int))
    return _get(data, *path[: last + 1]) or {}


def health(data: Data, _: Path = ()) -> bool:
    return facts.health_data(_get(data, "processing", "data_categories") or [])


def research(data: Data, _: Path = ()) -> bool:
    return _get(data, "research") is not None


def _outside_eea(data: Data, path: Path) -> bool:
    country = _item(data, path).get("country")
    return bool(country) and facts.outside_eea(str(country))


def _on_clauses_or_rules(data: Data, path: Path) -> bool:
    """Its ground binds the parties, not the country: the deed summarises its impact
    assessment."""
    item = _item(data, path)
    ground = item.get("transfer_safeguard", item.get("safeguard"))
    return ground in (Safeguard.SCC.value, Safeguard.BCR.value)


def _assessed(data: Data, path: Path) -> bool:
    """A transfer on clauses or rules: its impact assessment is summarised in the deed."""
    return _outside_eea(data, path) and _on_clauses_or_rules(data, path)


def _stores(data: Data, path: Path) -> bool:
    return facts.needs_certified_host(bool(_item(data, path).get("hosts_data")), health(data))


def _outside_eu(data: Data, path: Path) -> bool:
    """A party established outside the EU: its representative there is asked."""
    country = _item(data, path).get("country")
    return bool(country) and not facts.in_eu(str(country))


def _flow_outside_eea(data: Data, path: Path) -> bool:
    """A research flow stored outside the EEA, or to a party established outside it."""
    recipient = _item(data, path).get("recipient")
    party = next((p for p in _get(data, "parties") or [] if p.get("id") == recipient), {})
    countries = (_item(data, path).get("country"), party.get("country"))
    return any(c and facts.outside_eea(str(c)) for c in countries)


def _flow_assessed(data: Data, path: Path) -> bool:
    return _flow_outside_eea(data, path) and _on_clauses_or_rules(data, path)


def _abroad(data: Data, path: Path) -> bool:
    country = _item(data, path).get("country")
    return bool(country) and country != "FR"


def _private(data: Data, path: Path) -> bool:
    return not _item(data, path).get("public_body")


def _public_contract(data: Data, _: Path) -> bool:
    return bool(_get(data, "processing", "main_agreement", "public_contract"))


def _riph(data: Data, _: Path) -> bool:
    return bool(_get(data, "research", "involves_human_person"))


def _group_adhesion(data: Data, _: Path) -> bool:
    return bool(_get(data, "options", "hospital", "group_adhesion"))


def _data_stored(data: Data, _: Path) -> bool:
    """The processor or one of its sub-processors stores the data: reversibility applies."""
    subs = _get(data, "sub_processors") or []
    return bool(_get(data, "hosting")) or any(
        isinstance(s, Mapping) and s.get("hosts_data") for s in subs
    )


def _private_contract_stores(data: Data, path: Path) -> bool:
    """Reversibility outside a public contract: its longest run is the answers' to set."""
    return _data_stored(data, path) and not _public_contract(data, path)


def _specific_cap(data: Data, _: Path) -> bool:
    return _get(data, "options", "liability_caps") == "specific"


def _authorisation(data: Data, _: Path) -> bool:
    """Asked when the facts lead to a CNIL authorisation, or when the user intends one."""
    if _get(data, "research", "intended_route") == Route.AUTHORISATION.value:
        return True
    study = _study(data)
    return study is not None and facts.research_route(study) is Route.AUTHORISATION


def _study(data: Data) -> Research | None:
    """The study as answered so far, read by the model; None while it is incomplete."""
    study = _get(data, "research")
    if isinstance(study, Mapping) and study.get("data_flows"):
        study = {**study, "data_flows": _spread_flows(study["data_flows"])}
    try:
        return Research.model_validate(_answered(study))
    except ValidationError:
        return None


def _answered(value: Any) -> Any:
    """The value without the questions left blank (None, "" or [])."""
    if isinstance(value, Mapping):
        return {k: _answered(v) for k, v in value.items() if v not in (None, "", [])}
    if isinstance(value, list):
        return [_answered(v) for v in value]
    return value


def _has_dpo(data: Data, path: Path) -> bool:
    return _item(data, path).get("dpo") is not None


def _genetic_testing(data: Data, _: Path) -> bool:
    return bool(_get(data, "research", "genetic_testing"))


def _not_research(data: Data, _: Path) -> bool:
    return not research(data)


def _not_riph(data: Data, path: Path) -> bool:
    return not _riph(data, path)


def _care(data: Data, _: Path) -> bool:
    """A care partnership: its patients' notice is the hospital's; a study has its own."""
    return not research(data)


def _on_paper(data: Data, _: Path) -> bool:
    return not _get(data, "signature", "electronic")


def _stores_health(data: Data, path: Path) -> bool:
    """Only a sub-processor storing health data must be a certified host (CSP L.1111-8)."""
    return _stores(data, path) and bool(_item(data, path).get("hosts_health_data"))


def _certified_health(data: Data, path: Path) -> bool:
    return _stores_health(data, path) and bool(_item(data, path).get("hds_certified"))


# The parties' places in a study ---------------------------------------------------------


def _parties(data: Data) -> list[Mapping[str, Any]]:
    return [p for p in _get(data, "parties") or [] if isinstance(p, Mapping) and p.get("id")]


def _holders(data: Data, role: Role) -> list[str]:
    """The parties ticked with a research role: the study's places are filled from them."""
    return [str(p["id"]) for p in _parties(data) if role.value in (p.get("roles") or [])]


def _give(role: Role) -> Callable[[dict[str, Any], Path], None]:
    """The party (or parties) picked for a place of the study takes that place's role."""

    def give(data: dict[str, Any], path: Path) -> None:
        picked = _get(data, *path)
        ids = set(picked) if isinstance(picked, list) else {picked}
        for party in _parties(data):
            roles = party.get("roles") or []
            if party["id"] in ids and role.value not in roles:
                party["roles"] = [*roles, role.value]  # type: ignore[index]

    return give


def _only(offer: Callable[[Data, Path], list[str]]) -> Callable[[Data, Path], str | None]:
    """The answer, when a single party can hold the place: then it is not asked."""

    def only(data: Data, path: Path) -> str | None:
        candidates = offer(data, path)
        return candidates[0] if len(candidates) == 1 else None

    return only


def _roles_offered(data: Data, _: Path) -> list[str]:
    """A study's parties take research roles; a plain DPA's never do."""
    if research(data):
        return [r.value for r in Role]
    return [r.value for r in Role if r not in facts.RESEARCH_ROLES]


def _sponsor(data: Data, _: Path) -> str | None:
    sponsors = _holders(data, Role.SPONSOR)
    return sponsors[0] if sponsors else None


def _one_sponsor(data: Data, path: Path) -> str | None:
    sponsors = _holders(data, Role.SPONSOR)
    return sponsors[0] if len(sponsors) == 1 else None


def _centres_ticked(data: Data, _: Path) -> list[str] | None:
    return _holders(data, Role.INVESTIGATING_CENTRE) or None


def _centres(data: Data, _: Path) -> list[str]:
    """Where the coordinating investigator can work: a centre of the study."""
    ids = [str(p["id"]) for p in _parties(data)]
    return _holders(data, Role.INVESTIGATING_CENTRE) or ids


def _not_sponsor(data: Data, _: Path) -> list[str]:
    sponsor = _get(data, "research", "sponsor")
    return [
        str(p["id"])
        for p in _parties(data)
        if p["id"] != sponsor and Role.SPONSOR.value not in (p.get("roles") or [])
    ]


def _further_cro(data: Data, path: Path) -> bool | None:
    """The CROs ticked on the parties are the study's: no "another CRO?" then."""
    ticked = len(_holders(data, Role.CRO))
    index = path[-1]
    return (isinstance(index, int) and index < ticked) if ticked else None


def _cro_ticked(data: Data, path: Path) -> str | None:
    ticked, index = _holders(data, Role.CRO), path[2]
    return ticked[index] if isinstance(index, int) and index < len(ticked) else None


def _processors(data: Data, _: Path) -> list[str]:
    """The parties that can be a processor in the study: never the sponsor itself."""
    sponsor = _get(data, "research", "sponsor")
    return [
        str(p["id"])
        for p in _parties(data)
        if p["id"] != sponsor and facts.may_act_for_sponsor(p.get("roles") or [])
    ]


def _some_processor(data: Data, path: Path) -> bool:
    return research(data) and bool(_processors(data, path))


def _several_processors(data: Data, path: Path) -> bool:
    return research(data) and len(_processors(data, path)) > 1


def _recipients(data: Data, path: Path) -> list[str]:
    sources = _item(data, path).get("source") or []
    sources = sources if isinstance(sources, list) else [sources]
    return [str(p["id"]) for p in _parties(data) if p["id"] not in sources]


FLOWS = ("research", "data_flows")


def _spread_flows(flows: list[Any]) -> list[Any]:
    """A flow asked once for several senders: one flow for each."""
    spread = []
    for flow in flows:
        sources = flow.get("source") if isinstance(flow, Mapping) else None
        if isinstance(sources, list):
            spread += [{**flow, "source": source} for source in sources]
        else:
            spread.append(flow)
    return spread


def spread(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers file from the interview's answers: one data flow per sender."""
    flows = _get(answers, *FLOWS)
    if flows:
        answers["research"]["data_flows"] = _spread_flows(flows)
    return answers


def gather(answers: dict[str, Any]) -> dict[str, Any]:
    """The interview's answers from an answers file: flows alike but for their sender are
    one flow, asked once, with its senders."""
    flows = _get(answers, *FLOWS)
    if not flows:
        return answers
    gathered: list[dict[str, Any]] = []
    for flow in flows:
        rest = {k: v for k, v in flow.items() if k != "source"}
        alike = next(
            (g for g in gathered if {k: v for k, v in g.items() if k != "source"} == rest), None
        )
        if alike is None:
            gathered.append({**flow, "source": [flow["source"]]})
        else:
            alike["source"].append(flow["source"])
    return {**answers, "research": {**answers["research"], "data_flows": gathered}}


# Defaults computed from earlier answers ------------------------------------------------


def derived_roles(data: Data, path: Path) -> list[str]:
    """The roles the legal layer gives this party from the facts answered so far."""
    if research(data):
        return []  # a study's parties take research roles; Clausier derives the GDPR ones
    parties = _get(data, "parties") or []
    party = _item(data, path)
    roles = facts.proposed_roles(
        bool(party.get("determines_purposes")),
        bool(party.get("reuses_data_for_own_purposes")),
        deciders=sum(1 for p in parties if p and p.get("determines_purposes")),
    )
    return [role.value for role in roles]


# The questions -------------------------------------------------------------------------

P, PR, D, H, S, T, M, R, C = range(1, 10)  # section numbers, as in SECTIONS
_ = N_
_ASSESSMENT = _(
    "Summary of the transfer impact assessment (law assessed, conclusion, measures, risk)"
)
_ASSESSMENT_HELP = _(
    "Printed in the transfers clause: the controller sees why the clauses work there."
)

_MEASURE_HELP = {
    "access_control": _("Who may see which data: rights by role, granted, reviewed, withdrawn."),
    "authentication": _(
        "How users prove who they are: a server open without authentication was fined "
        "(SAN-2022-009)."
    ),
    "encryption": _(
        "What is encrypted, at rest and in transit, and with which key: missing encryption was "
        "fined (SAN-2022-009)."
    ),
    "pseudonymisation": _(
        "Who holds the link between code and identity: coded data stay personal (Art. 4(5))."
    ),
    "logging": _("What is logged (access, changes, exports), kept how long, reviewed by whom."),
    "backup": _("How often, where, encrypted or not, and restore tested (GDPR Art. 32(1)(c))."),
    "network": _("Filtering, segmentation and encrypted channels between sites and platform."),
    "physical": _("Access to the premises and equipment holding the data (data centre, desks)."),
    "staff": _("Confidentiality undertakings and training of those with access (Art. 28(3)(b))."),
    "development": _("Data protection built into the software and its changes (GDPR Art. 25)."),
    "incident": _("How incidents are detected and reported to the controller (GDPR Art. 33(2))."),
    "deletion": _(
        "How and when data are erased, copies included: data left after a migration were fined "
        "(SAN-2022-009)."
    ),
    "testing": _("Regular testing of the measures' effectiveness (GDPR Art. 32(1)(d))."),
}


def _measure_help(data: Data, path: Path) -> str | None:
    """The help that fits the kind of measure chosen."""
    return _MEASURE_HELP.get(str(_item(data, path).get("category")))


SPECS: dict[str, Spec] = {
    "format_version": Spec("", "", derived=True),
    "language": Spec(
        _("In which language should the documents be written?"),
        _("The answers file and every document will use it; you can build the other later."),
    ),
    "research.?": Spec(
        _("Is this a research project (protocol annex, agreements with sponsor, CRO, sites)?"),
        _("Research adds the French formality (MR-001 to MR-008, authorisation) and its roles."),
    ),
    "reference": Spec(
        _("Internal reference of the agreement (leave empty if none)"),
        _("Printed in every page header, so the signed copy can be traced."),
        C,
    ),
    # Parties
    "parties.+.*": Spec(
        _("Add another party?"),
        _("Every organisation that signs or holds a role: hospital, vendor, sponsor, CRO, site."),
        P,
    ),
    "parties.*.id": Spec(
        _("Short identifier for this party (lower case, e.g. chu-tours)"),
        _("Used to refer to the party elsewhere in the answers; never printed."),
        P,
    ),
    "parties.*.name": Spec(
        _("Name of the party"),
        _("As in its official registration: it identifies the party bound by the agreement."),
        P,
    ),
    "parties.*.legal_form": Spec(
        _("Legal form (e.g. établissement public de santé, SAS)"),
        _("A contract identifies each party precisely, legal form included."),
        P,
    ),
    "parties.*.address": Spec(
        _("Registered office address"),
        _("Where the party can be served notices under the agreement."),
        P,
    ),
    "parties.*.country": Spec(
        _("Country (ISO code, e.g. FR)"),
        _("A party outside the EEA receiving the data makes a transfer (GDPR Chapter V)."),
        P,
    ),
    "parties.*.registration_number": Spec(
        _("Registration number (SIREN, RCS, FINESS), or empty"),
        _("Identifies the legal person beyond doubt."),
        P,
    ),
    "parties.*.public_body": Spec(
        _("Is this party a public body (e.g. a public hospital)?"),
        _("A public body contracts in French and must have a DPO (GDPR Art. 37(1)(a))."),
        P,
    ),
    "parties.*.public_service_mission": Spec(
        _("Is it a private body performing a public-service mission (e.g. an ESPIC hospital)?"),
        _("Such a body also contracts in French (Loi 94-665 art. 5)."),
        P,
        when=_private,
    ),
    "parties.*.signatory.name": Spec(
        _("Name of the person who signs for this party"),
        _("The signatory must have the power to bind the party."),
        P,
    ),
    "parties.*.signatory.title": Spec(
        _("Position of the signatory (e.g. Directeur général)"),
        _("States the capacity in which the signatory binds the party."),
        P,
    ),
    "parties.*.eu_representative": Spec(
        _("Its legal representative in the EU (name and address), if any"),
        _("A sponsor outside the EU needs one (Regulation 536/2014 art. 74, GDPR art. 27)."),
        P,
        when=_outside_eu,
    ),
    "parties.*.courts": Spec(
        _("Court for the agreements with this party, if not the contract options' (or empty)"),
        _("A party established abroad may not accept a French administrative court."),
        P,
        when=_abroad,
    ),
    "parties.*.dpo.?": Spec(
        _("Has this party designated a data protection officer?"),
        _("A DPO is in principle mandatory for large-scale health data (GDPR Art. 37)."),
        P,
    ),
    "parties.*.dpo.name": Spec(
        _("Name of the DPO"), _("Contact for data protection matters (GDPR Art. 38)."), P
    ),
    "parties.*.dpo.email": Spec(
        _("DPO's e-mail address"), _("Where breaches and requests are sent."), P
    ),
    "parties.*.dpo.phone": Spec(
        _("DPO's telephone (or empty)"), _("Useful for urgent breach notices."), P
    ),
    "parties.*.dpo.address": Spec(
        _("DPO's postal address (or empty)"), _("For formal letters to the DPO."), P
    ),
    "parties.*.contact.?": Spec(
        _("Is there a contact person for this agreement other than the DPO?"),
        _("Operational notices (breaches, audits) go to this person too."),
        P,
        when=_has_dpo,
        otherwise=Spec(
            _("Is there a contact person for this agreement?"),
            _("Without a DPO, notices (breaches, audits) go to this person; named in Annex I."),
            P,
        ),
    ),
    "parties.*.contact.name": Spec(_("Name of the contact person"), _("Named in Annex I."), P),
    "parties.*.contact.email": Spec(_("Contact person's e-mail"), _("Named in Annex I."), P),
    "parties.*.contact.phone": Spec(
        _("Contact person's telephone (or empty)"), _("Named in Annex I."), P
    ),
    "parties.*.contact.address": Spec(
        _("Contact person's address (or empty)"), _("Named in Annex I."), P
    ),
    "parties.*.determines_purposes": Spec(
        _("Does this party decide why the data are processed?"),
        _("Whoever decides the purposes is a controller (GDPR Art. 4(7))."),
        P,
    ),
    "parties.*.determines_essential_means": Spec(
        _("Does this party decide the essential means (which data, for how long, who sees them)?"),
        _("Deciding the essential means also makes a party a controller (EDPB 07/2020)."),
        P,
    ),
    "parties.*.reuses_data_for_own_purposes": Spec(
        _("Does this party reuse the data for its own purposes?"),
        _("A vendor reusing data for itself is a controller for that use (GDPR Art. 28(10))."),
        P,
    ),
    "parties.*.roles": Spec(
        _("Roles of this party (confirm or change)"),
        _("Derived from the facts above; the agreements and the rules follow from the roles."),
        P,
        default=derived_roles,
        offer=_roles_offered,
    ),
    "parties.*.role_reasoning": Spec("", "", derived=True),
    # Processing
    "processing.subject_matter": Spec(
        _("What does the vendor (or the study) do with the data, in one sentence?"),
        _("The subject-matter of the processing must be in the contract (GDPR Art. 28(3))."),
        PR,
    ),
    "processing.main_agreement.?": Spec(
        _("Is there a main services agreement this agreement is attached to?"),
        _("The DPA then prevails over it on data protection."),
        PR,
    ),
    "processing.main_agreement.title": Spec(
        _("Title of the main agreement"), _("Cited in the recitals and definitions."), PR
    ),
    "processing.main_agreement.date": Spec(
        _("Date of the main agreement (YYYY-MM-DD, or empty)"), _("Cited with its title."), PR
    ),
    "processing.main_agreement.public_contract": Spec(
        _("Is the main agreement a public contract (marché public)?"),
        _("The agreement is then a document of the contract and follows its CCAG."),
        PR,
    ),
    "processing.main_agreement.ccag": Spec(
        _("General administrative terms (CCAG) the public contract refers to, or empty"),
        _("Empty: the CCAG-TIC (arrêté du 30 mars 2021), for termination and claims."),
        PR,
        when=_public_contract,
    ),
    "processing.main_agreement.services_start": Spec(
        _("When do the services start? (YYYY-MM-DD, or empty)"),
        _("The agreement governs the processing from then, even if signed later (GDPR Art. 28)."),
        PR,
    ),
    "processing.purposes": Spec(
        _("Purpose of the processing"),
        _("Processing is limited to the purposes stated (GDPR Arts 5(1)(b), 28(3))."),
        PR,
    ),
    "processing.operations": Spec(
        _("Which operations are carried out on the data?"),
        _("The nature of the processing must be in the contract (GDPR Art. 28(3))."),
        PR,
    ),
    "processing.nature": Spec(
        _("How is the processing carried out (platform, interfaces), or empty"),
        _("Describes the nature of the processing in Annex II."),
        PR,
    ),
    "processing.duration": Spec(
        _("How long does the service last (e.g. the main agreement's term)?"),
        _("The duration of the processing must be in the contract (GDPR Art. 28(3))."),
        PR,
    ),
    "processing.retention": Spec(
        _("How long are the data kept, and why?"),
        _("Storage limitation (GDPR Art. 5(1)(e)); stated in Annex II."),
        PR,
        # A study's retention is asked once, in its own section (active, archive).
        when=_not_research,
        otherwise=Spec("", "", PR, derived=True),
    ),
    "processing.patient_description": Spec(
        _("The service in the patient's words, for the care notice, or empty"),
        _("Patients read it in their notice (GDPR Art. 12(1)); empty: the subject-matter."),
        PR,
        when=_not_research,
        otherwise=Spec("", "", PR, derived=True),
    ),
    "processing.patient_retention": Spec(
        _("How long the service keeps a patient's data, in the patient's words, or empty"),
        _("Patients read it in their notice (GDPR Art. 13(2)(a)); empty: the retention above."),
        PR,
        when=_not_research,
        otherwise=Spec("", "", PR, derived=True),
    ),
    "processing.recipients": Spec(
        _("Who else receives the patients' data (e.g. their GP, who gets the reports)?"),
        _("The care notice lists every recipient (GDPR Art. 13(1)(e))."),
        PR,
        when=_not_research,
        otherwise=Spec("", "", PR, derived=True),
    ),
    "processing.processor_own_purposes": Spec(
        _("A purpose of the vendor's own, for a legal obligation: which obligation, what data"),
        _("E.g. a device maker's vigilance (Regulation (EU) 2017/745): it is then a controller."),
        PR,
    ),
    # Data and data subjects
    "processing.data_subjects": Spec(
        _("Whose data are processed?"),
        _("The categories of data subjects must be in the contract (GDPR Art. 28(3))."),
        D,
    ),
    "processing.other_data_subjects": Spec(
        _("Other category of data subjects"), _("Name it as the contract should."), D
    ),
    "processing.data_categories": Spec(
        _("Which categories of personal data?"),
        _("Health, genetic data and the NIR are special: they trigger HDS, DPIA and NIR rules."),
        D,
    ),
    "processing.other_data_categories": Spec(
        _("Other category of data"), _("Listed in Annex II."), D
    ),
    "processing.volume": Spec(
        _("Approximate number of people concerned (or empty)"),
        _("Scale matters for the DPO and DPIA duties (GDPR Arts 35, 37)."),
        D,
    ),
    "processing.minors": Spec(
        _("Are some of the patients or participants minors?"),
        _("The notices then address their parents, who exercise their rights."),
        D,
    ),
    # Hosting
    "hosting.?": Spec(
        _("Does the vendor (or one of its sub-processors) store the data?"),
        _("Storing health data for a hospital requires a certified host (CSP L.1111-8)."),
        H,
    ),
    "hosting.provider": Spec(_("Who hosts the data?"), _("The host is named in the agreement."), H),
    "hosting.processor": Spec(
        _("For which processor does this host work?"),
        _("In a study, each processor's DPA names only its own host."),
        H,
        when=_some_processor,
        parties=True,
        offer=_processors,
        fixed=_only(_processors),
    ),
    "hosting.hds_certified": Spec(
        _("Is the host certified for health data (HDS)?"),
        _("Without HDS certification, hosting health data for the hospital is unlawful."),
        H,
        when=health,
    ),
    "hosting.hds_certificate": Spec(
        _("Certificate number and activities covered (or empty)"),
        _("Lets the hospital check the certification's scope (CSP R.1111-9)."),
        H,
        when=health,
    ),
    "hosting.processor_activities": Spec(
        _("Which of the six HDS activities does the vendor perform itself?"),
        _("Each activity needs a certified host (CSP R.1111-9); the others fall to the host."),
        H,
        when=health,
    ),
    "hosting.processor_hds_certificate": Spec(
        _("The vendor's own HDS certificate: number, validity and activities (or empty)"),
        _("Needed when the vendor itself performs an activity, e.g. administration."),
        H,
        when=health,
    ),
    "hosting.storage_country": Spec(
        _("In which country are the data stored (ISO code)?"),
        _("HDS hosting must stay in the EEA; storage outside it is a transfer."),
        H,
    ),
    "hosting.backup_country": Spec(
        _("In which country are backups kept (ISO code, or empty)?"),
        _("Backups are hosting too."),
        H,
    ),
    # Sub-processors
    "sub_processors.+.*": Spec(
        _("Does the vendor use a (further) sub-processor?"),
        _("Every sub-processor needs the controller's authorisation (GDPR Art. 28(2))."),
        S,
    ),
    "sub_processors.*.name": Spec(_("Sub-processor's name"), _("Listed in Annex IV."), S),
    "sub_processors.*.processor": Spec(
        _("Which processor engages it?"),
        _("Each DPA lists only its processor's sub-processors."),
        S,
        when=_some_processor,
        parties=True,
        offer=_processors,
        fixed=_only(_processors),
    ),
    "sub_processors.*.service": Spec(
        _("What does it do?"), _("Annex IV states each sub-processor's task."), S
    ),
    "sub_processors.*.address": Spec(
        _("Its address"), _("Annex IV identifies each sub-processor."), S
    ),
    "sub_processors.*.contact": Spec(
        _("Its contact (e-mail), or empty"), _("For the controller's audits."), S
    ),
    "sub_processors.*.country": Spec(
        _("Where does it process the data (ISO code)?"),
        _("Outside the EEA, it is a transfer that needs a safeguard."),
        S,
    ),
    "sub_processors.*.hosts_data": Spec(
        _("Does it store the personal data?"), _("Storage brings hosting rules."), S
    ),
    "sub_processors.*.hosts_health_data": Spec(
        _("Does it store health data?"),
        _("It must then be a certified health-data host (CSP L.1111-8)."),
        S,
        when=_stores,
    ),
    "sub_processors.*.hds_certified": Spec(
        _("Is it HDS-certified?"),
        _("Required to host health data for the hospital."),
        S,
        when=_stores_health,
    ),
    "sub_processors.*.hds_certificate": Spec(
        _("Its certificate number, validity and activities covered (or empty)"),
        _("Its processor's DPA describes this host's certificate (CSP R.1111-9, R.1111-11)."),
        S,
        when=_certified_health,
    ),
    "sub_processors.*.transfer_safeguard": Spec(
        _("On which ground are data transferred to it?"),
        _("A transfer outside the EEA needs a Chapter V ground (GDPR Arts 44-49)."),
        S,
        when=_outside_eea,
    ),
    "sub_processors.*.transfer_assessment": Spec(
        _ASSESSMENT,
        _ASSESSMENT_HELP,
        S,
        when=_assessed,
    ),
    # Transfers
    "transfers.+.*": Spec(
        _("Are data sent outside the EEA other than through the sub-processors?"),
        _("E.g. remote support from a group company abroad: a transfer (GDPR Chapter V)."),
        T,
    ),
    "transfers.*.processor": Spec(
        _("Which processor's transfer is it?"),
        _("Only that processor's DPA authorises it."),
        T,
        when=_some_processor,
        parties=True,
        offer=_processors,
        fixed=_only(_processors),
    ),
    "transfers.*.recipient": Spec(
        _("Who receives the data?"), _("Named in the transfers clause."), T
    ),
    "transfers.*.country": Spec(
        _("In which country (ISO code)?"), _("Determines whether a safeguard is needed."), T
    ),
    "transfers.*.purpose": Spec(
        _("For what purpose?"), _("Each transfer is authorised for its purpose only."), T
    ),
    "transfers.*.safeguard": Spec(
        _("On which ground?"),
        _(
            "Adequacy decision, standard contractual clauses 2021/914, BCR or an Art. 49 "
            "derogation."
        ),
        T,
        when=_outside_eea,
    ),
    "transfers.*.details": Spec(
        _("Details of the ground (decision, BCR approval, derogation), or empty"),
        _("Lets the controller check the ground."),
        T,
        when=_outside_eea,
    ),
    "transfers.*.assessment": Spec(_ASSESSMENT, _ASSESSMENT_HELP, T, when=_assessed),
    # Security measures
    "security_measures.+.*": Spec(
        _("Add another security measure?"),
        _("Annex III must describe concrete measures, not generic ones (GDPR Art. 32)."),
        M,
    ),
    "security_measures.*.category": Spec(
        _("Kind of measure"),
        _("Pick the closest kind; the next question describes the measure itself."),
        M,
    ),
    "security_measures.*.description": Spec(
        _("Describe the measure concretely (e.g. AES-256 encryption at rest)"),
        _("Say what is done, where and how: Annex III prints it as written."),
        M,
        hint=_measure_help,
    ),
    "security_measures.*.parties": Spec(
        _("Which parties take this measure? (none ticked: every processor)"),
        _("In a study, each processor's DPA lists its own measures."),
        M,
        when=_several_processors,
        parties=True,
        offer=_processors,
    ),
    # Contract options
    "options.breach_notice_hours": Spec(
        _("Within how many hours must the vendor report a breach?"),
        _("The controller has 72 hours to notify the CNIL (GDPR Art. 33); 24 to 48 is usual."),
        C,
    ),
    "options.sub_processor_authorisation": Spec(
        _("Authorisation of sub-processors"),
        _("General (with a right to object) or specific for each one (GDPR Art. 28(2))."),
        C,
    ),
    "options.objection_period_days": Spec(
        _("Days the controller has to object to a new sub-processor"),
        _("Under a general authorisation, changes are announced in advance (GDPR Art. 28(2))."),
        C,
    ),
    "options.audit_notice_days": Spec(
        _("Days of notice before an audit"), _("Audits and inspections (GDPR Art. 28(3)(h))."), C
    ),
    "options.audits_per_year": Spec(
        _("Audits allowed per year"),
        _("Audits after a breach or at the CNIL's request are extra."),
        C,
    ),
    "options.end_of_contract": Spec(
        _("At the end of the service, the data are"),
        _("Return or deletion, at the controller's choice (GDPR Art. 28(3)(g))."),
        C,
    ),
    "options.end_of_contract_days": Spec(
        _("Within how many days?"), _("A precise delay makes the duty enforceable."), C
    ),
    "options.backup_retention_days": Spec(
        _("How many days are backups kept before they are overwritten? (or empty)"),
        _("Stated once, it binds the end-of-services clause and Annex III alike."),
        C,
    ),
    "options.liability_caps": Spec(
        _("Do the main agreement's limitations of liability reach breaches of this agreement?"),
        _(
            "Excluded: the vendor answers in full, a hospital's usual opening; the vendor will "
            "negotiate. Never for gross negligence or data subjects' own rights (Art. 82)."
        ),
        C,
    ),
    "options.liability_cap": Spec(
        _("The cap of this agreement (e.g. twice the fees paid in the previous twelve months)"),
        _("It replaces the main agreement's limitations for data-protection breaches."),
        C,
        when=_specific_cap,
    ),
    "options.governing_law": Spec(
        _("Governing law (ISO country code)"),
        _("Must be the law of the EU or a member state (GDPR Art. 28(3))."),
        C,
    ),
    "options.prevailing_language": Spec(
        _("Which version prevails in the bilingual edition?"),
        _("Two language versions can differ; the contract must say which one governs."),
        C,
    ),
    "options.courts": Spec(
        _("Competent court (e.g. tribunal administratif de Paris)"),
        _("A public hospital's contracts often go to the administrative courts."),
        C,
    ),
    "options.hospital.reversibility_formats": Spec(
        _("Format in which the data are returned at the end (e.g. FHIR, CSV)"),
        _("The reversibility clause names them, so that another system can take the data over."),
        C,
        when=_data_stored,
    ),
    "options.hospital.reversibility_months": Spec(
        _("For how many months at most must the vendor keep the service running after its end?"),
        _("At the hospital's request and the main agreement's prices, until the switch-over."),
        C,
        when=_private_contract_stores,
    ),
    "options.hospital.insurance": Spec(
        _("Must the vendor hold cyber and professional liability insurance?"),
        _("It then gives a certificate on request; hospitals usually require it."),
        C,
    ),
    "options.hospital.group_adhesion": Spec(
        _("May other establishments of the hospital group (GHT) adhere to the agreement?"),
        _("Only for a public hospital party to a GHT (CSP L.6132-1), by an adhesion form."),
        C,
    ),
    "options.hospital.group_name": Spec(
        _("Name of the hospital group (e.g. GHT du Loiret), or empty"),
        _("Named in the adhesion clause."),
        C,
        when=_group_adhesion,
    ),
    "options.hospital.patient_app": Spec(
        _("Do patients use an application of the vendor?"),
        _("The app shows the notice, asks consent for trackers (Loi 78-17 art. 82), uses the INS."),
        C,
    ),
    "options.hospital.patient_notice": Spec(
        _("Should Clausier also write the hospital's notice to its patients about this service?"),
        _("What patients must be told (GDPR Art. 13): who is responsible, why, who gets the data."),
        C,
        when=_care,
    ),
    "signature.place": Spec(_("Place of signature"), _("Printed in the closing formula."), C),
    "signature.date": Spec(
        _("Date of signature (YYYY-MM-DD, or empty to date by hand)"),
        _("Printed in the closing formula."),
        C,
    ),
    "signature.electronic": Spec(
        _("Will the parties sign electronically?"),
        _("Electronic signature is valid (Code civil 1366-1367, eIDAS)."),
        C,
    ),
    "signature.copies": Spec(
        _("Number of originals"),
        _("For a paper signature: one for each party, usually."),
        C,
        when=_on_paper,
    ),
    # Research
    "research.title": Spec(_("Title of the research"), _("As in the protocol."), R),
    "research.acronym": Spec(_("Acronym (or empty)"), _("Used in file names and headers."), R),
    "research.lay_summary": Spec(
        _("What the research seeks, in one or two plain sentences (or empty)"),
        _(
            "For participants, without the protocol's terms: the information notice and poster "
            "open with it."
        ),
        R,
    ),
    "research.sponsor": Spec(
        _("Which party is the sponsor?"),
        _("The sponsor is controller of the research data."),
        R,
        parties=True,
        default=_sponsor,
        fixed=_one_sponsor,
        then=_give(Role.SPONSOR),
    ),
    "research.coordinating_investigator.name": Spec(
        _("Coordinating investigator's name"), _("Named in the protocol annex."), R
    ),
    "research.coordinating_investigator.title": Spec(
        _("Their position (or empty)"), _("Named in the protocol annex."), R
    ),
    "research.coordinating_investigator.centre": Spec(
        _("Their centre"),
        _("The coordinating investigator's site."),
        R,
        parties=True,
        offer=_centres,
        fixed=_only(_centres),
    ),
    "research.cros.+.*": Spec(
        _("Does the sponsor use a (further) contract research organisation (CRO)?"),
        _("A CRO is the sponsor's processor: a DPA is due with each."),
        R,
        fixed=_further_cro,
    ),
    "research.cros.*.party": Spec(
        _("Which party is the CRO?"),
        _("The party picked takes the CRO role: the sponsor's processor, under a DPA."),
        R,
        parties=True,
        offer=_not_sponsor,
        default=_cro_ticked,
        fixed=_cro_ticked,
        then=_give(Role.CRO),
    ),
    "research.cros.*.tasks": Spec(
        _("A task of this CRO"), _("Its processing is limited to its tasks."), R
    ),
    "research.providers.+.*": Spec(
        _("Does the sponsor use a (further) provider, such as a central laboratory or reader?"),
        _("A provider processing data for the sponsor is its processor: a DPA is due with each."),
        R,
    ),
    "research.providers.*.party": Spec(
        _("Which party is the provider?"), _("Give it the 'processor' role."), R, parties=True
    ),
    "research.providers.*.tasks": Spec(
        _("A task of this provider"), _("Its DPA describes these services, not the study's."), R
    ),
    "research.providers.*.data_categories": Spec(
        _("Which of the study's categories of data does it receive (none: all)?"),
        _("Its DPA lists only these, coded (GDPR Art. 28(3))."),
        R,
    ),
    "research.providers.*.other_data_categories": Spec(
        _("Data it receives, in words (none: the study's)"), _("Listed in its DPA's Annex II."), R
    ),
    "research.providers.*.other_data_subjects": Spec(
        _("Other person whose data it receives"),
        _("Its DPA names the participants, and these: e.g. site staff signing the forms."),
        R,
    ),
    "research.providers.*.operations": Spec(
        _("Which operations does it carry out (none: the usual ones)?"),
        _("Usual: collection, recording, storage, consultation, use, transmission, erasure."),
        R,
    ),
    "research.providers.*.volume": Spec(
        _("How many participants' samples or data does it receive (or empty)?"),
        _("E.g. about 100 discordant samples; stated in its DPA's Annex II."),
        R,
    ),
    "research.providers.*.retention": Spec(
        _("How long does it keep its data, and then (or empty)?"),
        _("Empty: until the database lock, then returned or destroyed under its DPA."),
        R,
    ),
    "research.providers.*.health_establishment": Spec(
        _("Is this provider a French health establishment (a hospital's laboratory)?"),
        _("It then reports its own incidents (CSP L.1111-8-2) and holds L.1142-2 insurance."),
        R,
    ),
    "research.centres": Spec(
        _("Which parties are investigating centres?"),
        _("Each site is the sponsor's processor or a joint controller, by who wrote the protocol."),
        R,
        parties=True,
        default=_centres_ticked,
        fixed=_centres_ticked,
        then=_give(Role.INVESTIGATING_CENTRE),
    ),
    "research.internal.care_data": Spec(
        _("Were the data collected during the patients' individual care?"),
        _("First condition of the internal-study exemption."),
        R,
    ),
    "research.internal.own_team": Spec(
        _("Is the study done by the care team's own staff only?"),
        _("Second condition of the internal-study exemption."),
        R,
    ),
    "research.internal.exclusive_use": Spec(
        _("Are the data and results for that team's exclusive use?"),
        _("Third condition: data leaving the team (sponsor, CRO, other hospital) rule it out."),
        R,
    ),
    "research.involves_human_person": Spec(
        _("Does the research involve the human person (RIPH, Jardé law)?"),
        _("RIPH need a CPP opinion and participants' consent or non-objection (CSP L.1121-1)."),
        R,
    ),
    "research.riph_category": Spec(
        _("RIPH category"),
        _("1 interventional, 2 minimal risks and constraints, 3 non-interventional."),
        R,
        when=_riph,
    ),
    "research.commercial": Spec(
        _("Is the research industry-sponsored (commercial purposes)?"),
        _("In a public hospital, a commercial study is contracted through the convention unique."),
        R,
    ),
    "research.product": Spec(
        _("Which health product does it study (or empty)?"),
        _("A medicinal product: Regulation 536/2014; a device: 2017/745; an IVD: 2017/746."),
        R,
    ),
    "research.ivd_performance_study": Spec(
        _("Is it a performance study of in-vitro diagnostic devices?"),
        _("Such studies fall under MR-002."),
        R,
    ),
    "research.leftover_samples": Spec(
        _("Does it use samples left over from care?"),
        _("Then the persons, informed beforehand (posters, letters), may object (CSP L.1211-2)."),
        R,
    ),
    "research.reuses_existing_data_only": Spec(
        _("Does it only reuse data that already exist?"),
        _("Reusing existing data: MR-004, or MR-005 to MR-008 for PMSI or SNDS data."),
        R,
        when=_not_riph,
    ),
    "research.genetic_testing": Spec(
        _("Does it include genetic testing?"), _("Genetic testing requires consent (MR-001)."), R
    ),
    "research.genetic_testing_optional": Spec(
        _("Is the genetic examination optional (a participant may refuse it and still take part)?"),
        _("The notice then says so plainly (GDPR Art. 13(2)(e))."),
        R,
        when=_genetic_testing,
        otherwise=Spec("", "", R, derived=True),
    ),
    "research.participation": Spec(
        _("How do participants agree to take part?"),
        _("Required by the Public Health Code; never the GDPR lawful basis."),
        R,
        when=_riph,
    ),
    "research.pmsi_data": Spec(
        _("Does it use hospital discharge data (PMSI, RPU) from the ATIH platform?"),
        _("Access to PMSI data has its own reference methodologies (MR-005, MR-006)."),
        R,
    ),
    "research.snds_data": Spec(
        _("Does it use data of the main SNDS database?"),
        _("Access to the SNDS has its own reference methodologies (MR-007, MR-008)."),
        R,
    ),
    "research.snds_linkage": Spec(
        _("Are the data linked with the national health data system (SNDS)?"),
        _("SNDS linkage is outside every methodology: authorisation route."),
        R,
    ),
    "research.nir_used": Spec(
        _("Is the social security number (NIR) used?"), _("NIR use requires an authorisation."), R
    ),
    "research.identifying_data_leave_centres": Spec(
        _("Do directly identifying data leave the centres?"),
        _("Methodologies keep names, contacts and NIR at the sites."),
        R,
    ),
    "research.data_flows.+.*": Spec(
        _("Add a data flow (who sends which data to whom)?"),
        _("The protocol annex tabulates every flow."),
        R,
    ),
    "research.data_flows.*.source": Spec(
        _("Who sends the data? (tick every party that sends the same data the same way)"),
        _("One flow is written for each sender, all alike: the protocol annex lists each."),
        R,
        parties=True,
        several=True,
    ),
    "research.data_flows.*.recipient": Spec(
        _("Who receives them?"),
        _("The recipient stores them: its system, host and country are asked next."),
        R,
        parties=True,
        offer=_recipients,
    ),
    "research.data_flows.*.data": Spec(_("Which data?"), _("Be concrete: it goes in Table 2."), R),
    "research.data_flows.*.pseudonymised": Spec(
        _("Are they pseudonymised?"), _("Research data identify participants by a code only."), R
    ),
    "research.data_flows.*.means": Spec(
        _("How are they sent?"), _("Secure means are expected."), R
    ),
    "research.data_flows.*.storage": Spec(
        _("Where does the recipient store them?"), _("System and host."), R
    ),
    "research.data_flows.*.hds": Spec(
        _("Is that storage HDS-certified?"), _("Health data hosting rules."), R
    ),
    "research.data_flows.*.country": Spec(
        _("In which country (ISO code)?"), _("Outside the EEA it is a transfer."), R
    ),
    "research.data_flows.*.safeguard": Spec(
        _("On which ground are they transferred outside the EEA?"),
        _("Key-coded data stay personal data for a recipient outside the EEA (GDPR Art. 44)."),
        R,
        when=_flow_outside_eea,
    ),
    "research.data_flows.*.assessment": Spec(
        _ASSESSMENT,
        _("Printed with the flow in the transfers clause: key-coded data stay personal data."),
        R,
        when=_flow_assessed,
    ),
    "research.key_table_holder": Spec(
        _("Who keeps the key table (code to identity)? Empty: each centre"),
        _("Only the sites normally keep the link between code and identity."),
        R,
        parties=True,
    ),
    "research.lawful_basis": Spec(
        _("Lawful basis chosen by the sponsor (GDPR Art. 6)"),
        _("Public interest, legitimate interest or consent — distinct from participation."),
        R,
    ),
    "research.safety_reporting": Spec(
        _("Are there safety-reporting (vigilance) duties?"),
        _("They rest on a legal obligation (Art. 6(1)(c))."),
        R,
    ),
    "research.article9_condition": Spec(
        _("Condition for processing health data (GDPR Art. 9(2))"),
        _("Research is usually Art. 9(2)(j) with Art. 89 safeguards."),
        R,
    ),
    "research.retention.active": Spec(
        _("How long in the active database?"),
        _("Asked once for the whole study: every document takes it from here (CNIL 2020-077)."),
        R,
    ),
    "research.retention.archive": Spec(
        _("How long in archiving, and where?"),
        _("Empty: no intermediate archiving; the data are deleted after the active period."),
        R,
    ),
    "research.protocol_drafted_by": Spec(
        _("Who wrote the protocol?"),
        _("Sponsor alone: sites are processors; with the sites: joint controllers (Art. 26)."),
        R,
    ),
    "research.intended_route": Spec(
        _("Which formality do you plan (or empty to let Clausier decide)?"),
        _("Clausier checks it against the facts and explains any difference."),
        R,
    ),
    "research.authorisation_reference": Spec(
        _("CNIL authorisation reference, or of the application while pending (or empty)"),
        _("Cited in the protocol annex."),
        R,
        when=_authorisation,
    ),
    "research.authorisation_granted": Spec(
        _("Has the CNIL granted the authorisation?"),
        _("Until it has, the documents speak of an application, never of an authorisation."),
        R,
        when=_authorisation,
    ),
    "research.dpia_reference": Spec(
        _("Reference of the DPIA (or empty)"), _("A DPIA is required for research."), R
    ),
    # An amendment is written in the answers of the signed version (`clausier answers`), edited
    # by hand: the interview writes a new agreement and never asks about one.
    "sub_processors.*.authorised_from": Spec("", "", derived=True),
    "amendment.?": Spec("", "", derived=True),
    "amendment.date": Spec("", "", derived=True),
    "amendment.effective": Spec("", "", derived=True),
    "amendment.agreement_date": Spec("", "", derived=True),
    "amendment.previous.+.*": Spec("", "", derived=True),
    "amendment.previous.*.number": Spec("", "", derived=True),
    "amendment.previous.*.date": Spec("", "", derived=True),
}

# The order of the top-level questions: the research question comes first, because it decides
# which roles the parties can have; the research details come before the contract terms,
# because an internal study binds nobody and is asked none.
ORDER = (
    "language",
    "research.?",
    "parties",
    "processing",
    "hosting",
    "sub_processors",
    "transfers",
    "security_measures",
    "research",
    "options",
    "signature",
    "reference",
    "format_version",
)


def _contract_due(data: Data, _: Path) -> bool:
    """Not an internal study: some document binds the parties (a DPA, an arrangement)."""
    study = _study(data)
    return study is None or facts.research_route(study) is not Route.INTERNAL


Condition = Callable[[Data, Path], bool]


def _also(first: Condition, then: Condition | None) -> Condition:
    return first if then is None else lambda data, path: first(data, path) and then(data, path)


# The contract terms are asked only of a document that binds: every option but the language
# that prevails (a bilingual annex has one too), the place and form of signature.
for _key in [k for k in SPECS if k.startswith("options.") and k != "options.prevailing_language"]:
    SPECS[_key] = replace(SPECS[_key], when=_also(_contract_due, SPECS[_key].when))
for _key in ("signature.place", "signature.electronic", "signature.copies"):
    SPECS[_key] = replace(SPECS[_key], when=_also(_contract_due, SPECS[_key].when))
