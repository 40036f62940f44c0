"""What clause text may name, for each kind of document: the values and, for `clausier check`,
their types. One place, so the library's placeholders and the plan can never disagree."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from ..answers.countries import EEA
from ..answers.model import (
    Answers,
    DataCategory,
    DataFlow,
    FreeText,
    Hosting,
    Measure,
    MeasureCategory,
    Party,
    Processing,
    Research,
    ResearchProduct,
    Role,
    Route,
)
from ..legal.assessment import (
    SENSITIVE_CATEGORIES,
    Assessment,
    DocumentDue,
    DocumentKind,
    EngagedSubProcessor,
    OutsideTransfer,
    engaging_processors,
    french_text_only,
    hosting_of,
    is_host,
    processor_authority_state,
    services_before_signature,
    signed_before_services,
    sub_processors_of,
)
from ..legal.information import notice_categories, storage_countries
from ..legal.research import (
    DIRECTLY_IDENTIFYING,
    clinical_trial,
    cnam_receives_nir,
    convention_unique_centres,
    device_study,
    enters_case_report_form,
    hdh_directory,
    internal_dpia_required,
    objection_unconditional,
    processing_of,
    processor_tasks,
    provider_of,
    recipient_controllers,
    reports_incidents,
    research_parties,
    safety_reporting,
    snds_only,
    uses_case_report_form,
    uses_snds,
)
from .changes import Amended, Change


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class MeasureGroup(_View):
    """The security measures of one category, in the order the answers give them."""

    category: MeasureCategory
    measures: list[FreeText]


def measure_groups(measures: list[Measure]) -> list[MeasureGroup]:
    """Measures grouped by category, the categories in their fixed order (Annex III's, the
    record's)."""
    return [
        MeasureGroup(
            category=category,
            measures=[m.description for m in measures if m.category is category],
        )
        for category in MeasureCategory
        if any(m.category is category for m in measures)
    ]


class PartyRoles(_View):
    """A party of the study, its roles, and the processors engaging it as sub-processor."""

    party: Party
    roles: list[Role]
    sub_processor_of: list[EngagedView] = []


class FlowView(_View):
    """A flow of the answers or, in the flows table only (`flow_rows`), one of the two flows of
    the SNDS linkage on the NIR, which the law describes, so their words are the table's, not
    the answers': with no recipient, the NIR a key-table holder sends the national health
    insurance fund (CNAM); with no source, the linked SNDS data the CNAM deposits with the
    party holding the study's environment."""

    source: Party | None
    recipient: Party | None
    flow: DataFlow | None


class StructureView(_View):
    """A party that processes an establishment's research data, in the description of the
    convention unique: its roles in the study, a CRO's or provider's tasks, and the data of the
    flows concerning the establishment that it receives."""

    party: Party
    roles: list[Role]
    tasks: list[FreeText]
    received: list[FreeText]
    sub_processor_of: list[EngagedView]  # the structures engaging it as sub-processor


class FlowGroup(_View):
    """Flows alike but for their senders (the same data sent by every centre), told once."""

    senders: list[str]  # the names of the parties sending them
    recipient: Party
    flow: DataFlow


class EngagedView(_View):
    """A sub-processor (a host included) of one of the structures."""

    sub: EngagedSubProcessor
    engaged_by: Party


class ProcessorView(_View):
    """A processor of the controller, one entry of the record (GDPR 30(2)) and one line of the
    DPIA: the processor, its roles in the study besides processor (CRO, site), what it does
    for the controller — a CRO's or provider's tasks, a site's collection and coding, else its
    processing (`processing_of`) — and, as its DPA states them (`_processor_view`), its
    hosting, sub-processors, transfers and measures; the other processors engaging it as their
    sub-processor; the document of the set binding it (a DPA, the description completing the
    convention unique), none when the set holds no such document."""

    party: Party
    roles: list[Role]
    site: bool  # an investigating centre acting as the sponsor's processor
    tasks: list[FreeText]
    processing: Processing
    hosting: Hosting | None
    sub_processors: list[EngagedSubProcessor]
    outside_eea_transfers: list[OutsideTransfer]
    measures: list[MeasureGroup]
    sub_processor_of: list[EngagedView]
    agreement: DocumentKind | None


_COMMON: dict[str, Any] = {
    **{name: field.annotation for name, field in Answers.model_fields.items()},
    "outside_eea_transfers": list[OutsideTransfer],
    "sub_processors": list[EngagedSubProcessor],  # in a DPA: its processor's, host included
    "eea": frozenset[str],
    "research": Research | None,
    # Facts the assessment decided (generator/legal): clause text reads them, never
    # re-derives them from the answers.
    "route": Route | None,
    "methodology": bool,  # the route is a CNIL reference methodology (MR-001 to MR-008)
    "joint_controllers": list[Party],  # the parties that are joint controllers (Art. 26)
    "sponsor": Party,
    "centres": list[Party],
    "cro_parties": list[Party],
    "processor_centres": list[Party],  # the centres acting as the sponsor's processors
    # The sponsor's processors that are neither centres nor CROs (a host, a secure environment).
    "other_processors": list[Party],
    "funders": list[Party],  # the parties funding the research
    # Recipients of research data controlling them for their own purposes (no DPA).
    "recipient_controllers": list[Party],
    "research_roles": list[PartyRoles],
    "flows": list[FlowView],  # the answers' flows
    # Those flows, those alike but for their sender told once (the protocol annex's diagram,
    # the DPIA's context).
    "flow_groups": list[FlowGroup],
    "flow_rows": list[FlowView],  # and the NIR sent to the CNAM for the SNDS matching
    "key_table_holders": list[Party],
    "snds": bool,  # the study processes SNDS data: the SNDS security framework applies
    "nir_to_cnam": bool,  # the national health insurance fund receives the NIR for matching
    # The public establishments the sponsor contracts with through the convention unique.
    "convention_centres": list[Party],
    "services_before_signature": bool,  # the services started before the signature
    "signed_before_services": bool,  # signed on or before the day the services start
    "internal_dpia_required": bool,  # an internal study of patients' health data
    "case_report_form": bool,  # data recorded in a CRF (research on persons, or eCRF flows)
    "objection_unconditional": bool,  # non-objection research: an objection stops the use
    # The study's data are SNDS extracts alone, under the SNDS's pseudonymised identifier.
    "snds_only": bool,
    "hdh_directory": bool,  # the study registers in the Health Data Hub's public directory
    "foreign_sites": list[str],  # the names of the centres established outside France
    # The study's categories of data split: those that identify a participant directly stay
    # out of the coded Research Data (kept at the sites, or used for a matching).
    "identifying_categories": list[DataCategory],
    "coded_categories": list[DataCategory],
    # A clinical trial of a medicinal product under Regulation 536/2014 (CTIS, art. 28(3)
    # withdrawal, art. 58 archiving); vigilance duties on a legal obligation (always a
    # trial's); the device regulation framing a device or IVD study, else none.
    "clinical_trial": bool,
    "safety_reporting": bool,
    "device_study": ResearchProduct | None,
    "bilingual": bool,  # the French and English side-by-side edition
    # Between French parties, one bound to French: the French text alone is the contract.
    "french_text_only": bool,
}
_BY_KIND: dict[DocumentKind, dict[str, Any]] = {
    DocumentKind.DPA: {
        "controller": Party,
        "processor": Party,
        "data_stored": bool,  # the processor, its host or a sub-processor stores the data
        # A sub-processor an amendment authorises from a later date than the agreement's.
        "later_authorisations": bool,
        # The processor is an investigating centre of the research: it collects and codes,
        # keeps the key table and source documents, and archives rather than returns.
        "site": bool,
        # A CRO's or another provider's tasks for the sponsor; empty for a centre.
        "processor_tasks": list[str],
        "subject": str,  # _document.yaml `subject`, worded for this processor
        # Each of the two parties' role in this agreement, then its roles in the study.
        "party_roles": dict[str, list[Role]],
        # The processor is a centre established outside France: the law of its own State, not
        # the Public Health Code, governs its medical secrecy, records and duties.
        "foreign_site": bool,
        # The processor is established in another EEA State: that State's ISO code, whose
        # supervisory authority (filter `authority`) it answers to besides the CNIL.
        "processor_authority": str | None,
        # The controller is a French health establishment (CSP L.1111-8-2 incident reports).
        "controller_reports_incidents": bool,
        # The processor is a health establishment: a centre, or a provider that is a French
        # hospital (its own incident reports and notifications, L.1142-2 insurance, paper
        # records and the eCRF's security outside its charge, its information system's
        # providers generally authorised).
        "health_establishment": bool,
        # The processor is a provider of the sponsor (research.providers: a central
        # laboratory, a reader): its DPA's purposes and nature are its tasks and its flows.
        "provider": bool,
        "provider_flows": list[FlowGroup],  # the flows it receives or sends
        # That provider enters its results in the eCRF: its users are data subjects, and it
        # deletes its data at the end without returning them.
        "results_in_crf": bool,
        # The other processors engaging its processor as their sub-processor (a host of the
        # sponsor also hosting the CRO's eCRF): that work falls under their contract.
        "sub_processor_of": list[EngagedView],
    },
    DocumentKind.JOINT_CONTROLLERS: {},
    DocumentKind.PROTOCOL_ANNEX: {},
    # The notice of the controller (the sponsor in research, the hospital in care) to the
    # persons whose data it processes, and its processors (in care, the DPA's provider).
    DocumentKind.INFORMATION_NOTICE: {
        "controller": Party,  # whose notice it is: the sponsor in research, the hospital in care
        "processors": list[ProcessorView],
        # The categories of the informed persons' own data (not their carers' or the sites'
        # staff's): in research, the coded ones (identifying_categories stay at the centre).
        "own_categories": list[DataCategory],
        # The countries where a study's data are kept (its host's, its flows' storage).
        "storage_countries": list[str],
    },
    DocumentKind.INFORMATION_POSTER: {
        "own_categories": list[DataCategory],
        "storage_countries": list[str],
    },
    DocumentKind.PROCESSING_RECORD: {
        "controller": Party,  # whose record holds the controller's entry (the sponsor in research)
        # Every security measure of the processing, by category (the controller's entry).
        "record_measures": list[MeasureGroup],
        # The processing's categories of data the CNIL's register model calls sensitive.
        "sensitive_categories": list[DataCategory],
        # The processors of the document's parties, one entry each (GDPR 30(2)).
        "processors": list[ProcessorView],
        "controller_storage": list[DataFlow],  # see the DPIA's
    },
    # The DPIA outline: the controller (the sponsor in research), each processor with its host,
    # sub-processors and agreement, in the record's order; the codes of the assessment's
    # findings, whose gaps its action plan lists; which notices the set carries; the categories
    # of the security measures given, in MeasureCategory's order.
    DocumentKind.DPIA: {
        "controller": Party,
        "processors": list[ProcessorView],
        "findings": list[str],
        "notice_due": bool,
        "poster_due": bool,
        "measure_categories": list[MeasureCategory],
        "hosts": list[str],  # the hosts of the processors' data, each once
        # Where the controller keeps the data it receives, as the flows to it say (its own
        # systems, a host named in words only), each place once: its hosts are its processors.
        "controller_storage": list[DataFlow],
    },
    # The description of the processing completing the convention unique with one public
    # establishment: `security_measures` and `sub_processors` are the establishment's own.
    # An amendment of a signed DPA (`build --against`), its parties the DPA's.
    DocumentKind.AMENDMENT: {
        "amended": Amended,
        "changes": list[Change],
        "renumbered": bool,  # a clause inserted or deleted: those after it renumber
    },
    DocumentKind.CONVENTION_UNIQUE: {
        "establishment": Party,
        # The flows of the study but those from or to another centre.
        "establishment_flows": list[FlowView],
        "structures": list[StructureView],  # the establishment, the sponsor, its processors
        "engaged": list[EngagedView],  # the sub-processors and hosts of those processors
    },
}


# The kinds that describe the whole processing for its controller (generator/legal's
# _companion_documents): each names `controller` and `processors`.
_PACK = (DocumentKind.INFORMATION_NOTICE, DocumentKind.PROCESSING_RECORD, DocumentKind.DPIA)


def context_types(kind: str) -> dict[str, Any]:
    """The names a document kind's text may use, with their types (a firm's own document
    folder, unknown to Clausier, gets the names common to every document)."""
    known = {k.value: k for k in DocumentKind}
    return {**_COMMON, **(_BY_KIND[known[kind]] if kind in known else {})}


def document_context(due: DocumentDue, answers: Answers, assessment: Assessment) -> dict[str, Any]:
    """The values behind those names, for one document."""
    context: dict[str, Any] = {name: getattr(answers, name) for name in Answers.model_fields}
    context.update(
        outside_eea_transfers=list(assessment.outside_eea_transfers),
        eea=EEA,
        route=assessment.research_route,
        methodology=assessment.methodology,
        joint_controllers=[answers.party(pid) for pid in assessment.joint_controllers],
        services_before_signature=services_before_signature(answers),
        signed_before_services=signed_before_services(answers),
        internal_dpia_required=internal_dpia_required(answers),
        identifying_categories=[
            c for c in answers.processing.data_categories if c in DIRECTLY_IDENTIFYING
        ],
        coded_categories=[
            c for c in answers.processing.data_categories if c not in DIRECTLY_IDENTIFYING
        ],
        **_research(answers, assessment),
    )
    parties = [answers.party(pid) for pid in due.parties]
    context["french_text_only"] = french_text_only(parties)
    if due.kind is DocumentKind.DPA:
        controller, processor = parties
        r = answers.research
        provider = bool(r and provider_of(r, processor.id))
        context.update(
            controller=controller,
            processor=processor,
            site=processor in context["processor_centres"],  # the assessment's decision
            foreign_site=processor.id in assessment.sites_outside_france,
            processor_authority=processor_authority_state(processor),
            sub_processor_of=_sub_processor_of(answers, assessment, processor),
            controller_reports_incidents=reports_incidents(answers, controller.id),
            health_establishment=processor in context["processor_centres"]
            or (r is not None and reports_incidents(answers, processor.id)),
            provider=provider,
            provider_flows=_grouped(
                [f for f in context["flows"] if provider and processor in (f.source, f.recipient)]
            ),
            results_in_crf=bool(r and enters_case_report_form(r, processor.id)),
            processor_tasks=processor_tasks(r, processor.id) if r else [],
            party_roles={
                controller.id: [Role.CONTROLLER, *_study_roles(assessment, controller)],
                processor.id: [Role.PROCESSOR, *_study_roles(assessment, processor)],
            },
        )
        context.update(_processor_view(answers, assessment, processor))
        context["later_authorisations"] = any(s.authorised_from for s in context["sub_processors"])
    elif due.kind in _PACK:
        # The documents describing the whole processing: its controller and its processors
        # as the record lists them.
        context.update(
            controller=parties[0],
            processors=_processors(answers, assessment, context["processor_centres"]),
        )
        if due.kind is not DocumentKind.INFORMATION_NOTICE:
            context["controller_storage"] = _storage_of(context["flows"], parties[0])
        if due.kind is DocumentKind.DPIA:
            context.update(_dpia_view(answers, assessment, context["processors"]))
        elif due.kind is DocumentKind.PROCESSING_RECORD:
            context.update(
                record_measures=measure_groups(answers.security_measures),
                sensitive_categories=[
                    c for c in answers.processing.data_categories if c in SENSITIVE_CATEGORIES
                ],
            )
    if due.kind in (DocumentKind.INFORMATION_NOTICE, DocumentKind.INFORMATION_POSTER):
        context["own_categories"] = [
            c
            for c in notice_categories(answers)
            if not answers.research or c not in DIRECTLY_IDENTIFYING
        ]
        context["storage_countries"] = storage_countries(answers)
    if due.kind is DocumentKind.CONVENTION_UNIQUE:
        context.update(
            _convention_view(
                answers, assessment, parties[1], context["flows"], context["other_processors"]
            )
        )
    return context


def _processors(
    answers: Answers, assessment: Assessment, sites: list[Party]
) -> list[ProcessorView]:
    """The controller's processors as the assessment lists them for the pack, each with the
    agreement the set binds it by."""
    documents = assessment.documents
    agreements = {
        d.parties[1]: d.kind
        for d in documents
        if d.kind in (DocumentKind.DPA, DocumentKind.CONVENTION_UNIQUE)
    }
    views = []
    for party in (answers.party(pid) for pid in assessment.processors):
        view = _processor_view(answers, assessment, party)
        views.append(
            ProcessorView(
                party=party,
                roles=_study_roles(assessment, party),
                site=party in sites,
                tasks=processor_tasks(answers.research, party.id) if answers.research else [],
                processing=view["processing"],
                hosting=view["hosting"],
                sub_processors=view["sub_processors"],
                outside_eea_transfers=view["outside_eea_transfers"],
                measures=measure_groups(view["security_measures"]),
                sub_processor_of=_sub_processor_of(answers, assessment, party),
                agreement=agreements.get(party.id),
            )
        )
    return views


def _storage_of(flows: list[FlowView], party: Party) -> list[DataFlow]:
    """The flows a party receives, one per place its data are stored (storage and country)."""
    places: dict[str, DataFlow] = {}
    for f in flows:
        if f.recipient == party and f.flow is not None:
            places.setdefault(repr((f.flow.storage, f.flow.country)), f.flow)
    return list(places.values())


def _dpia_view(
    answers: Answers, assessment: Assessment, processors: list[ProcessorView]
) -> dict[str, Any]:
    """The DPIA reads the set the assessment decided: its processors' hosts, the documents
    the set holds; its action plan, the findings' codes."""
    kinds = {d.kind for d in assessment.documents}
    present = {m.category for m in answers.security_measures}
    return dict(
        hosts=list(dict.fromkeys(v.hosting.provider for v in processors if v.hosting)),
        findings=list(dict.fromkeys(f.code for f in assessment.findings)),
        notice_due=DocumentKind.INFORMATION_NOTICE in kinds,
        poster_due=DocumentKind.INFORMATION_POSTER in kinds,
        measure_categories=[c for c in MeasureCategory if c in present],
    )


def _grouped(flows: list[FlowView]) -> list[FlowGroup]:
    groups: dict[str, FlowGroup] = {}
    for f in flows:
        assert f.recipient is not None and f.flow is not None
        key = repr((f.recipient.id, f.flow.model_dump(exclude={"source"})))
        if key in groups:
            groups[key].senders.append(f.source.name)
        else:
            groups[key] = FlowGroup(senders=[f.source.name], recipient=f.recipient, flow=f.flow)
    return list(groups.values())


# The roles a party holds in a study, besides its GDPR role in a given agreement.
_STUDY_ROLES = (Role.SPONSOR, Role.CRO, Role.INVESTIGATING_CENTRE, Role.FUNDER)


def _study_roles(assessment: Assessment, party: Party) -> list[Role]:
    return [role for role in _STUDY_ROLES if role in assessment.roles[party.id]]


def _sub_processor_of(answers: Answers, assessment: Assessment, party: Party) -> list[EngagedView]:
    processors = assessment.parties_with(answers, Role.PROCESSOR)
    return [
        EngagedView(sub=sub, engaged_by=by)
        for by, sub in engaging_processors(answers, processors, party)
    ]


def _convention_view(
    answers: Answers,
    assessment: Assessment,
    establishment: Party,
    flows: list[FlowView],
    other_processors: list[Party],
) -> dict[str, Any]:
    """Who processes one establishment's research data, and how they reach them: the flows
    that do not involve another centre, the parties of the study that act on them (the
    establishment, the sponsor, the CROs, any other recipient) and their sub-processors. The
    sponsor processes what its own host or environment (a processor neither centre, CRO nor
    provider) receives for it; a party another structure engages as its host, what it hosts
    for it."""
    r = answers.research
    assert r is not None
    others = set(r.centres) - {establishment.id, r.sponsor}
    mine = [f for f in flows if not {f.source.id, f.recipient.id} & others]
    ids = [establishment.id, r.sponsor, *(c.party for c in r.cros)]
    ids += [f.recipient.id for f in mine]

    # Its providers (a laboratory, a reader) receive for their own tasks, not for it; its own
    # host keeps what it receives for it.
    for_sponsor = {
        r.sponsor,
        *(p.id for p in other_processors if not provider_of(r, p.id) or is_host(answers, p)),
    }

    def structure(pid: str) -> StructureView:
        party = answers.party(pid)
        engaging = _sub_processor_of(answers, assessment, party)
        to = set(for_sponsor) if pid == r.sponsor else {pid}
        to |= {e.engaged_by.id for e in engaging if e.sub.hosts_data}
        return StructureView(
            party=party,
            roles=list(assessment.roles[pid]),
            tasks=processor_tasks(r, pid),
            received=[f.flow.data for f in mine if f.recipient.id in to],
            sub_processor_of=engaging,
        )

    structures = [structure(pid) for pid in dict.fromkeys(ids)]
    engaged = [
        EngagedView(sub=sub, engaged_by=s.party)
        for s in structures
        if Role.PROCESSOR in s.roles
        for sub in sub_processors_of(answers, s.party)
    ]
    view = _processor_view(answers, assessment, establishment)
    return dict(
        establishment=establishment,
        establishment_flows=mine,
        structures=structures,
        engaged=engaged,
        security_measures=view["security_measures"],
        sub_processors=view["sub_processors"],
    )


def _research(answers: Answers, assessment: Assessment) -> dict[str, Any]:
    r = answers.research
    if r is None:
        empty: list[Any] = []
        return dict(
            sponsor=None,
            centres=empty,
            cro_parties=empty,
            processor_centres=empty,
            other_processors=empty,
            funders=empty,
            recipient_controllers=empty,
            research_roles=empty,
            flows=empty,
            flow_groups=empty,
            flow_rows=empty,
            key_table_holders=empty,
            snds=False,
            nir_to_cnam=False,
            case_report_form=False,
            objection_unconditional=False,
            snds_only=False,
            hdh_directory=False,
            foreign_sites=empty,
            clinical_trial=False,
            safety_reporting=False,
            device_study=None,
            convention_centres=empty,
        )
    key_table_holders = [answers.party(pid) for pid in assessment.key_table_holders]
    flows = [
        FlowView(source=answers.party(f.source), recipient=answers.party(f.recipient), flow=f)
        for f in r.data_flows
    ]
    nir = cnam_receives_nir(r)
    return dict(
        sponsor=answers.party(r.sponsor),
        centres=[answers.party(c) for c in dict.fromkeys(r.centres)],  # each centre once
        cro_parties=[answers.party(c.party) for c in r.cros],
        processor_centres=[
            answers.party(c)
            for c in dict.fromkeys(r.centres)
            if Role.PROCESSOR in assessment.roles[c]
        ],
        other_processors=[
            answers.party(pid)
            for pid in research_parties(answers)
            if Role.PROCESSOR in assessment.roles[pid]
            and pid not in {r.sponsor, *r.centres, *(c.party for c in r.cros)}
        ],
        funders=[p for p in answers.parties if Role.FUNDER in assessment.roles[p.id]],
        recipient_controllers=[
            answers.party(pid) for pid in recipient_controllers(answers, assessment.roles)
        ],
        research_roles=[
            PartyRoles(
                party=answers.party(pid),
                roles=list(assessment.roles[pid]),
                sub_processor_of=_sub_processor_of(answers, assessment, answers.party(pid)),
            )
            for pid in research_parties(answers)
        ],
        flows=flows,
        flow_groups=_grouped(flows),
        flow_rows=flows + (_linkage_rows(answers, key_table_holders) if nir else []),
        key_table_holders=key_table_holders,
        snds=uses_snds(r),
        nir_to_cnam=nir,
        case_report_form=uses_case_report_form(r),
        objection_unconditional=objection_unconditional(r),
        snds_only=snds_only(r),
        hdh_directory=hdh_directory(r, assessment.research_route),
        foreign_sites=[answers.party(pid).name for pid in assessment.sites_outside_france],
        clinical_trial=clinical_trial(r),
        safety_reporting=safety_reporting(r),
        device_study=device_study(r),
        convention_centres=[answers.party(c) for c in convention_unique_centres(answers)],
    )


def _linkage_rows(answers: Answers, holders: list[Party]) -> list[FlowView]:
    """The SNDS linkage on the NIR: each key-table holder sends the NIR to the CNAM, which
    deposits the linked data with whoever holds the study's environment (its host's
    processor, else the sponsor)."""
    r = answers.research
    assert r is not None
    hosting = answers.hosting
    environment = hosting.processor if hosting and hosting.processor else r.sponsor
    to_cnam = [FlowView(source=h, recipient=None, flow=None) for h in holders]
    return [*to_cnam, FlowView(source=None, recipient=answers.party(environment), flow=None)]


def _processor_view(answers: Answers, assessment: Assessment, processor: Party) -> dict[str, Any]:
    """In a DPA, the hosting, sub-processors, measures and transfers of its processor only,
    and its own processing (`processing_of`). A hosting, sub-processor or
    measure naming no processor applies to every processor."""

    hosting = hosting_of(answers, processor)
    subs = sub_processors_of(answers, processor)
    measures = [m for m in answers.security_measures if not m.parties or processor.id in m.parties]
    recipients = {processor.name, *(s.name for s in subs), *([hosting.provider] if hosting else [])}
    # A transfer belongs to the processor it names (a research flow's source); one naming
    # none, declared, to every processor; derived, to the one or the sub-processor receiving
    # the data.
    transfers = [
        t
        for t in assessment.outside_eea_transfers
        if t.processor == processor.id
        or (t.processor is None and (t.declared or t.recipient in recipients))
    ]
    return dict(
        processing=processing_of(answers, processor.id),
        hosting=hosting,
        data_stored=hosting is not None or any(s.hosts_data for s in subs),
        sub_processors=subs,
        security_measures=measures,
        outside_eea_transfers=transfers,
    )
