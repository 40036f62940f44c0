"""The answers model: the single input of every document Clausier builds.

An answers file (YAML) or the interview fills this model; everything downstream (assessment,
document plan, rendering) reads only from it. Field descriptions double as the JSON Schema's
documentation shown by editors (`clausier schema`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from ..errors import N_
from .countries import is_country_code

FORMAT_VERSION = 1

# The model's own rules, by error type: English msgids, said in the user's language when an
# answers file breaks them (answers/errors.py); {names} are the error's values.
MESSAGES = {
    "control_character": N_("contains the control character U+{code}, which Word cannot hold"),
    "private_use": N_("contains a private-use character (U+E000 to U+E004)"),
    "country_code": N_("'{value}' is not an ISO 3166 two-letter country code (e.g. FR, DE, US)"),
    "no_text": N_("give the text in French (fr), in English (en) or in both"),
    "no_data_subjects": N_("name at least one category of data subjects"),
    "health_data_not_hosted": N_("hosts_health_data requires hosts_data: true"),
    "liability_cap": N_("liability_cap is given exactly when liability_caps is specific"),
    "riph_category_missing": N_(
        "riph_category is required for research involving the human person"
    ),
    "riph_category_needless": N_(
        "riph_category applies only to research involving the human person"
    ),
    "party_ids": N_("party ids must be unique: {ids}"),
}


def _refuse(kind: str, **values: str) -> PydanticCustomError:
    """The error of one of the model's rules (MESSAGES), in English for pydantic."""
    return PydanticCustomError(kind, MESSAGES[kind], values)


_NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _printable(value: str) -> str:
    """Refuse what a Word document cannot hold, rather than let it vanish from the text;
    tabs and line breaks are kept and print as such."""
    found = _NOT_IN_WORD.search(value)
    if found:
        raise _refuse("control_character", code=f"{ord(found.group()):04X}")
    # U+E000 to U+E004 mark bold text, cross-references and English paragraphs inside the
    # documents; they
    # cannot come from answers.
    if any(mark in value for mark in "\ue000\ue001\ue002\ue003\ue004"):
        raise _refuse("private_use")
    # A line break is a line break in a document, however the system that pasted it wrote it.
    return value.replace("\r\n", "\n").replace("\r", "\n")


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_printable),
]


def _check_country(value: str) -> str:
    if not is_country_code(value):
        raise _refuse("country_code", value=value)
    return value


# Every country is an ISO 3166 code, checked wherever it appears (file or interview).
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True), AfterValidator(_check_country)
]
PARTY_ID_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PartyId = Annotated[str, StringConstraints(pattern=PARTY_ID_PATTERN)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, pattern=EMAIL_PATTERN)]


class StrEnum(str, Enum):
    """A string enum that prints as its value (Python 3.10 has no enum.StrEnum)."""

    def __str__(self) -> str:
        return self.value


class Language(StrEnum):
    FR = "fr"
    EN = "en"


class Role(StrEnum):
    CONTROLLER = "controller"
    PROCESSOR = "processor"
    SUB_PROCESSOR = "sub_processor"
    JOINT_CONTROLLER = "joint_controller"
    SPONSOR = "sponsor"
    CRO = "cro"
    INVESTIGATING_CENTRE = "investigating_centre"
    # Finances a study without deciding its purposes or means; a controller too if it
    # receives research data for purposes of its own.
    FUNDER = "funder"


class DataSubject(StrEnum):
    PATIENTS = "patients"
    RELATIVES = "relatives"
    HEALTH_PROFESSIONALS = "health_professionals"
    STAFF = "staff"
    RESEARCH_PARTICIPANTS = "research_participants"
    USERS = "users"


class DataCategory(StrEnum):
    IDENTIFICATION = "identification"
    CONTACT = "contact"
    HEALTH = "health"
    NIR = "nir"
    GENETIC = "genetic"
    BIOMETRIC = "biometric"
    ETHNIC_ORIGIN = "ethnic_origin"  # racial or ethnic origin, a special category (Art. 9)
    PERSONAL_LIFE = "personal_life"
    PROFESSIONAL = "professional"
    FINANCIAL = "financial"
    CONNECTION = "connection"
    LOCATION = "location"


# The special categories of GDPR Art. 9(1) the answers can name.
ARTICLE_9_CATEGORIES = frozenset(
    {
        DataCategory.HEALTH,
        DataCategory.GENETIC,
        DataCategory.BIOMETRIC,
        DataCategory.ETHNIC_ORIGIN,
    }
)


class Operation(StrEnum):
    """Operations of GDPR Art. 4(2)."""

    COLLECTION = "collection"
    RECORDING = "recording"
    ORGANISATION = "organisation"
    STORAGE = "storage"
    ADAPTATION = "adaptation"
    RETRIEVAL = "retrieval"
    CONSULTATION = "consultation"
    USE = "use"
    TRANSMISSION = "transmission"
    ALIGNMENT = "alignment"
    RESTRICTION = "restriction"
    ERASURE = "erasure"


class Safeguard(StrEnum):
    """Ground for a transfer outside the EEA (GDPR Arts 45 to 49)."""

    ADEQUACY = "adequacy"
    SCC = "scc_2021_914"
    BCR = "bcr"
    DEROGATION = "derogation"


class MeasureCategory(StrEnum):
    ACCESS_CONTROL = "access_control"
    AUTHENTICATION = "authentication"
    ENCRYPTION = "encryption"
    PSEUDONYMISATION = "pseudonymisation"
    LOGGING = "logging"
    BACKUP = "backup"
    NETWORK = "network"
    PHYSICAL = "physical"
    STAFF = "staff"
    DEVELOPMENT = "development"
    INCIDENT = "incident"
    DELETION = "deletion"
    TESTING = "testing"


class HdsActivity(StrEnum):
    """The six health-data hosting activities certified separately (CSP R.1111-9)."""

    PHYSICAL_SITES = "physical_sites"
    HARDWARE_INFRASTRUCTURE = "hardware_infrastructure"
    VIRTUAL_INFRASTRUCTURE = "virtual_infrastructure"
    APPLICATION_PLATFORM = "application_platform"
    ADMINISTRATION_OPERATION = "administration_operation"
    BACKUP = "backup"


class SubProcessorAuthorisation(StrEnum):
    GENERAL = "general"
    SPECIFIC = "specific"


class EndOfContract(StrEnum):
    RETURN_THEN_DELETE = "return_then_delete"
    DELETE = "delete"


class LiabilityCaps(StrEnum):
    """Whether the main agreement's limitations of liability reach breaches of the DPA."""

    EXCLUDED = "excluded"  # they do not: the processor answers in full (a hospital's opening)
    MAIN_AGREEMENT = "main_agreement"  # they do
    SPECIFIC = "specific"  # a cap of the DPA's own: options.liability_cap


class Route(StrEnum):
    """French research formalities (Loi 78-17, health chapter)."""

    INTERNAL = "internal"
    MR_001 = "MR-001"
    MR_002 = "MR-002"
    MR_003 = "MR-003"
    MR_004 = "MR-004"
    MR_005 = "MR-005"
    MR_006 = "MR-006"
    MR_007 = "MR-007"
    MR_008 = "MR-008"
    AUTHORISATION = "authorisation"


class Participation(StrEnum):
    """How participants agree to take part (Public Health Code L.1122-1-1) — not the GDPR basis."""

    WRITTEN_CONSENT = "written_consent"
    EXPRESS_CONSENT = "express_consent"
    NON_OPPOSITION = "non_opposition"


class LawfulBasis(StrEnum):
    """GDPR Art. 6 basis chosen by the sponsor for the research."""

    PUBLIC_INTEREST = "public_interest"
    LEGITIMATE_INTEREST = "legitimate_interest"
    CONSENT = "consent"


class Article9Condition(StrEnum):
    RESEARCH = "research"
    PUBLIC_HEALTH = "public_health"
    EXPLICIT_CONSENT = "explicit_consent"


class ProtocolAuthors(StrEnum):
    SPONSOR = "sponsor"
    SPONSOR_AND_CENTRES = "sponsor_and_centres"


class ResearchProduct(StrEnum):
    """The health product a study is about, whose EU regulation frames the research."""

    MEDICINAL_PRODUCT = "medicinal_product"  # Regulation (EU) 536/2014
    MEDICAL_DEVICE = "medical_device"  # Regulation (EU) 2017/745
    IN_VITRO_DIAGNOSTIC = "in_vitro_diagnostic"  # Regulation (EU) 2017/746


class FlowMeans(StrEnum):
    ECRF = "ecrf"
    SECURE_TRANSFER = "secure_transfer"
    API = "api"
    ENCRYPTED_MEDIA = "encrypted_media"
    PAPER = "paper"


def concerns_health(categories: Iterable[DataCategory]) -> bool:
    """Data concerning health (GDPR Art. 4(15)), a special category under Art. 9."""
    return DataCategory.HEALTH in set(categories)


class Strict(BaseModel):
    """Base of every section: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Translations(Strict):
    """A free text given in French, in English, or in both: each edition prints its own."""

    fr: Text | None = None
    en: Text | None = None

    @model_validator(mode="after")
    def _some_text(self) -> Translations:
        if self.fr is None and self.en is None:
            raise _refuse("no_text")
        return self

    def in_(self, language: Language) -> str | None:
        return self.fr if language is Language.FR else self.en


# The tags of FreeText's two forms, dropped from the path of a validation error.
UNION_TAGS = ("text:plain", "text:fr-en")


def _free_text_form(value: object) -> str:
    return UNION_TAGS[1] if isinstance(value, (dict, Translations)) else UNION_TAGS[0]


# A free text that a document prints: a plain string, in the answers' language, or
# {fr: ..., en: ...}. Names, addresses and references are Text: they read the same in both.
FreeText = Annotated[
    Annotated[Text, Tag(UNION_TAGS[0])] | Annotated[Translations, Tag(UNION_TAGS[1])],
    Discriminator(_free_text_form),
]


class Person(Strict):
    name: FreeText
    title: FreeText | None = Field(None, description="Position, e.g. Directeur général.")


class Contact(Strict):
    name: FreeText
    email: Email
    phone: Text | None = None
    address: FreeText | None = Field(None, description="Postal address, with the department.")


class Party(Strict):
    id: PartyId = Field(
        description="Short identifier used to refer to the party, e.g. 'chu-tours'."
    )
    name: Text
    legal_form: FreeText = Field(description="E.g. 'établissement public de santé', 'SAS'.")
    address: Text = Field(description="Registered office.")
    country: Country = "FR"
    registration_number: Text | None = Field(None, description="SIREN/RCS, FINESS, etc.")
    public_body: bool = Field(
        False,
        description="A public-law legal person (e.g. an établissement public de santé): it "
        "contracts in French, cannot rely on legitimate interests for its tasks and must "
        "designate a DPO.",
    )
    public_service_mission: bool = Field(
        False,
        description="A private body performing a public-service mission (e.g. an ESPIC "
        "hospital): it contracts in French.",
    )
    signatory: Person
    eu_representative: FreeText | None = Field(
        None,
        description="For a party established outside the EU: its legal representative in the "
        "EU (name and address) — a sponsor's under Regulation 536/2014 art. 74 and, where it "
        "applies, GDPR art. 27.",
    )
    courts: FreeText | None = Field(
        None,
        description="The court for the agreements with this party, when not options.courts "
        "(a site abroad, for instance).",
    )
    dpo: Contact | None = Field(None, description="Data protection officer (Art. 37-39).")
    contact: Contact | None = Field(None, description="Contact person for this agreement.")
    determines_purposes: bool = Field(
        False, description="The party decides why the data are processed."
    )
    determines_essential_means: bool = Field(
        False, description="The party decides the essential means (which data, how long, who)."
    )
    reuses_data_for_own_purposes: bool = False
    roles: list[Role] = Field(min_length=1, description="Derived from the facts above.")
    role_reasoning: Text | None = Field(
        None, description="Why the party holds its roles (written by the interview)."
    )


class MainAgreement(Strict):
    title: FreeText = Field(
        description="E.g. 'Contrat de prestation de services de téléconsultation'."
    )
    date: dt.date | None = None
    public_contract: bool = Field(
        False,
        description="A public contract (marché public) under the Code de la commande publique.",
    )
    ccag: FreeText | None = Field(
        None,
        description="The general administrative terms (CCAG) the public contract refers to; "
        "empty: the CCAG-TIC (arrêté du 30 mars 2021).",
    )
    services_start: dt.date | None = Field(
        None,
        description="When the services, and so the processing, start: the DPA governs the "
        "processing from then, even if it is signed later.",
    )


class Processing(Strict):
    subject_matter: FreeText = Field(
        description="What the processor does for the controller. In a study, what a processor "
        "that is neither a centre nor a CRO (a host, a secure research environment) does for "
        "the sponsor: a centre's and a CRO's DPAs word their own."
    )
    main_agreement: MainAgreement | None = None
    purposes: list[FreeText] = Field(min_length=1)
    operations: list[Operation] = Field(min_length=1)
    nature: FreeText | None = Field(None, description="How the processing is carried out.")
    duration: FreeText = Field(
        description="Duration of the service, e.g. the main agreement's term."
    )
    retention: FreeText | None = Field(
        None,
        description="How long the processor keeps the data, and why. Required outside a study; "
        "in a study, empty: a DPA states the protocol's retention (research.retention) and the "
        "end-of-services clause.",
    )
    data_subjects: list[DataSubject] = Field(default_factory=list)
    other_data_subjects: list[FreeText] = Field(default_factory=list)
    data_categories: list[DataCategory] = Field(min_length=1)
    other_data_categories: list[FreeText] = Field(default_factory=list)
    volume: FreeText | None = Field(None, description="Approximate number of data subjects.")
    minors: bool = Field(
        False,
        description="Some of the patients or participants are minors: the notices address "
        "their parents or the holders of parental authority, who exercise their rights.",
    )
    patient_description: FreeText | None = Field(
        None,
        description="The service in the patient's words, for the care notice (e.g. « la "
        "télésurveillance de votre diabète »); empty: the notice states the subject-matter, "
        "written for the contract.",
    )
    patient_retention: FreeText | None = Field(
        None,
        description="How long the service keeps the patient's data, in the patient's words, for "
        "the care notice; empty: the notice states the retention written for the contract.",
    )
    recipients: list[FreeText] = Field(
        default_factory=list,
        description="Who else receives the patients' data from the service (e.g. the patient's "
        "general practitioner, who receives the monitoring reports): the care notice lists them.",
    )
    processor_own_purposes: list[FreeText] = Field(
        default_factory=list,
        description="Processing the processor carries out as controller, under its own "
        "responsibility, because a legal obligation of its own requires it (e.g. a device "
        "manufacturer's vigilance and post-market surveillance, Regulation (EU) 2017/745 Arts "
        "83-92): each item names the purpose, the obligation and the data it receives for it. "
        "Not processing on the controller's instructions; printed as a clause of its own.",
    )

    @model_validator(mode="after")
    def _some_data_subjects(self) -> Processing:
        if not self.data_subjects and not self.other_data_subjects:
            raise _refuse("no_data_subjects")
        return self

    @property
    def health_data(self) -> bool:
        return concerns_health(self.data_categories)

    @property
    def special_categories(self) -> bool:
        return bool(ARTICLE_9_CATEGORIES & set(self.data_categories))


class Hosting(Strict):
    provider: Text = Field(description="Who hosts the data: the processor or a sub-processor.")
    processor: PartyId | None = Field(
        None, description="Party id of the processor this hosting serves; empty: the only one."
    )
    hds_certified: bool = Field(False, description="Certified health-data host (CSP L.1111-8).")
    hds_certificate: FreeText | None = Field(None, description="Certificate number and activities.")
    storage_country: Country = "FR"
    backup_country: Country | None = None
    processor_activities: list[HdsActivity] = Field(
        default_factory=list,
        description="The R.1111-9 activities the processor performs itself (typically "
        "administration_operation when it runs its own platform at a certified host); the "
        "others are performed by the provider, or, when the provider is the processor, by its "
        "certified sub-processors. Empty: the provider performs all six.",
    )
    processor_hds_certificate: FreeText | None = Field(
        None,
        description="The processor's own HDS certificate (number, validity, activities) when "
        "the provider is another company; when the processor is the provider, hds_certificate.",
    )


_TRANSFER_ASSESSMENT = (
    "Summary of the transfer impact assessment (a transfer on standard contractual clauses "
    "or binding corporate rules): the destination's law and practices assessed, the "
    "conclusion, the supplementary measures, the residual risk. Printed in the transfers "
    "clause."
)


class SubProcessor(Strict):
    name: Text
    processor: PartyId | None = Field(
        None, description="Party id of the processor that engages it; empty: the only one."
    )
    service: FreeText = Field(description="What the sub-processor does.")
    address: Text
    contact: Text | None = Field(None, description="Contact e-mail or person.")
    country: Country = Field(description="Where it processes the data.")
    hosts_data: bool = Field(False, description="Stores personal data of this agreement.")
    hosts_health_data: bool = Field(
        False, description="Stores health data: it must then be a certified health-data host."
    )
    hds_certified: bool = False
    hds_certificate: FreeText | None = Field(
        None,
        description="Certificate number, validity and activities, for a health-data host: its "
        "processor's DPA describes it when no hosting of the answers serves that processor.",
    )
    transfer_safeguard: Safeguard | None = Field(
        None, description="Ground for the transfer when the country is outside the EEA."
    )
    transfer_assessment: FreeText | None = Field(
        None, description=_TRANSFER_ASSESSMENT + " Outside the EEA only."
    )
    authorised_from: dt.date | None = Field(
        None,
        description="Authorised by an amendment from this date, not from the agreement's "
        "(`build --against` sets it for a sub-processor the signed version lacks).",
    )

    @model_validator(mode="after")
    def _health_data_is_data(self) -> SubProcessor:
        if self.hosts_health_data and not self.hosts_data:
            raise _refuse("health_data_not_hosted")
        return self


class Transfer(Strict):
    processor: PartyId | None = Field(
        None,
        description="Party id of the processor whose transfer it is: only that processor's "
        "DPA authorises it. Empty: every processor's.",
    )
    recipient: Text
    country: Country
    purpose: FreeText
    safeguard: Safeguard | None = None
    details: FreeText | None = Field(
        None, description="Adequacy decision, BCR approval, or the Art. 49 derogation relied on."
    )
    assessment: FreeText | None = Field(None, description=_TRANSFER_ASSESSMENT)


class Measure(Strict):
    category: MeasureCategory
    description: FreeText
    parties: list[PartyId] = Field(
        default_factory=list, description="Party ids taking this measure; empty: every processor."
    )


class Signature(Strict):
    place: Text | None = Field(
        None, description="Required when a contract is due; an internal study is not signed."
    )
    date: dt.date | None = Field(None, description="Left blank to date by hand.")
    electronic: bool = False
    copies: int = Field(2, ge=1, le=20)


class PastAmendment(Strict):
    """An amendment signed before the one being built."""

    number: int = Field(ge=1, le=99)
    date: dt.date = Field(description="Its signature date.")


class Amendment(Strict):
    """The amendment `build --against SIGNED.docx` writes beside the new version: the
    agreement's changes as articles to sign."""

    date: dt.date | None = Field(None, description="Its signature date; blank to date by hand.")
    effective: dt.date | None = Field(
        None, description="When its changes take effect; blank: on its signature."
    )
    agreement_date: dt.date | None = Field(
        None,
        description="The date of the agreement it amends, when that agreement's answers leave "
        "it blank (it was dated by hand).",
    )
    previous: list[PastAmendment] = Field(
        default_factory=list,
        description="The amendments already signed: this one's number follows theirs.",
    )

    @property
    def number(self) -> int:
        return max((a.number for a in self.previous), default=0) + 1


class HospitalTerms(Strict):
    """What a hospital expects of its vendor, each printed only where it applies."""

    reversibility_formats: list[FreeText] = Field(
        default_factory=list,
        description="Formats the data are exported in at the end, in the reversibility clause "
        "(printed when the processor or a sub-processor stores data). Empty: FHIR or CSV.",
    )
    reversibility_months: int = Field(
        6,
        ge=1,
        le=24,
        description="Outside a public contract, how long at most the processor keeps the "
        "services running after their end, at the controller's request and at the main "
        "agreement's prices, when the main agreement sets no reversibility period.",
    )
    insurance: bool = Field(
        True,
        description="The processor holds cyber-risk and professional liability insurance, "
        "certificate on request (liability clause).",
    )
    group_adhesion: bool = Field(
        False,
        description="Other establishments of the controller's hospital group (GHT, CSP "
        "L. 6132-1) may adhere to the agreement; only for a public-body controller.",
    )
    group_name: Text | None = Field(
        None, description="The GHT, e.g. 'GHT du Loiret'; asked when group_adhesion."
    )
    patient_app: bool = Field(
        False,
        description="Patients use an application of the processor: notice shown in the app, "
        "no trackers without consent (Loi 78-17 art. 82), identity through the INS.",
    )
    patient_notice: bool = Field(
        False,
        description="Build the hospital's notice to its patients about the service (GDPR "
        "Art. 13), besides the agreement.",
    )


class Options(Strict):
    breach_notice_hours: int = Field(24, ge=1, le=72)
    sub_processor_authorisation: SubProcessorAuthorisation = SubProcessorAuthorisation.GENERAL
    objection_period_days: int = Field(30, ge=1, le=180)
    audit_notice_days: int = Field(30, ge=1, le=180)
    audits_per_year: int = Field(1, ge=1, le=12)
    end_of_contract: EndOfContract = EndOfContract.RETURN_THEN_DELETE
    end_of_contract_days: int = Field(30, ge=1, le=365)
    backup_retention_days: int | None = Field(
        None,
        ge=1,
        le=365,
        description="Days each backup is kept before it is erased (the backup cycle). Given: "
        "the end-of-services clause has backups erased at the end of that cycle, at the latest "
        "that many days after the data are deleted, and Annex III states it. Empty: backups "
        "are deleted with the data, within end_of_contract_days.",
    )
    liability_caps: LiabilityCaps = Field(
        LiabilityCaps.EXCLUDED,
        description="excluded: the main agreement's limitations of liability do not apply to "
        "breaches of the DPA; main_agreement: they do; specific: the DPA's own cap, "
        "liability_cap. Never for gross negligence, wilful misconduct or data subjects' "
        "rights under GDPR Art. 82.",
    )
    liability_cap: FreeText | None = Field(
        None,
        description="The cap when liability_caps is specific, e.g. 'twice the fees paid "
        "under the Main Agreement in the twelve months before the event'.",
    )
    governing_law: Country = "FR"
    prevailing_language: Language = Field(
        Language.FR, description="The version that prevails in the bilingual edition."
    )
    courts: FreeText | None = Field(
        None,
        description="E.g. 'tribunal judiciaire de Paris'. Required when a contract is due "
        "(a DPA, a joint-controller arrangement); an internal study has none.",
    )
    hospital: HospitalTerms = Field(
        default_factory=HospitalTerms,
        description="What a hospital expects: reversibility, insurance, group adhesion, "
        "patient app.",
    )

    @model_validator(mode="after")
    def _cap_given(self) -> Options:
        if (self.liability_caps is LiabilityCaps.SPECIFIC) != (self.liability_cap is not None):
            raise _refuse("liability_cap")
        return self


class Investigator(Strict):
    name: FreeText
    title: FreeText | None = None
    centre: PartyId = Field(description="Party id of the investigator's centre.")


class CroTask(Strict):
    party: PartyId = Field(description="Party id of the contract research organisation.")
    tasks: list[FreeText] = Field(min_length=1, description="What it does for the sponsor.")


class ProviderTask(Strict):
    """A processor of the sponsor that is neither a CRO nor a centre (a central laboratory, a
    central reader, a host): what it does and, when it receives part of the study's data only,
    which — its DPA describes its own processing, not the study's (GDPR 28(3))."""

    party: PartyId = Field(description="Party id of the service provider.")
    tasks: list[FreeText] = Field(min_length=1, description="What it does for the sponsor.")
    data_categories: list[DataCategory] = Field(
        default_factory=list,
        description="The study's categories of data it receives; empty: all the study's.",
    )
    other_data_categories: list[FreeText] = Field(
        default_factory=list,
        description="The data it receives, in words; empty: the study's other categories.",
    )
    other_data_subjects: list[FreeText] = Field(
        default_factory=list,
        description="Persons other than the participants whose data it receives, e.g. the "
        "site staff signing its requisition forms; its own eCRF users are added when it "
        "enters its results in the eCRF.",
    )
    operations: list[Operation] = Field(
        default_factory=list,
        description="The operations it carries out; empty: collection, recording, storage, "
        "consultation, use, transmission and erasure — it receives, analyses, sends its results "
        "and destroys, and matches data with others only where this list says so.",
    )
    volume: FreeText | None = Field(
        None,
        description="How many participants' samples, recordings or data it receives, e.g. "
        "'about 100 discordant samples'; empty: its DPA names no figure.",
    )
    retention: FreeText | None = Field(
        None,
        description="How long it keeps its data, then what becomes of them; empty: until the "
        "database lock, then returned or destroyed under its DPA's end-of-services clause.",
    )
    health_establishment: bool = Field(
        False,
        description="A French health establishment (a hospital's laboratory or department): "
        "it reports its own security incidents (CSP L.1111-8-2) and holds the insurance of "
        "CSP L.1142-2, as a centre does.",
    )


class InternalStudy(Strict):
    """The three conditions of the internal-study exemption (Loi 78-17 art. 65)."""

    care_data: bool = Field(description="Data collected during the individual care of patients.")
    own_team: bool = Field(description="The study is done by the care team's own staff.")
    exclusive_use: bool = Field(description="Results and data are for the team's exclusive use.")


class DataFlow(Strict):
    source: PartyId = Field(description="Party id sending the data.")
    recipient: PartyId = Field(description="Party id receiving the data.")
    data: FreeText = Field(description="Which data.")
    pseudonymised: bool
    means: FlowMeans
    storage: FreeText = Field(description="Where the recipient stores them (system, host).")
    hds: bool = Field(description="Stored by a certified health-data host.")
    country: Country = "FR"
    safeguard: Safeguard | None = Field(
        None,
        description="Ground of the transfer when the recipient, or the storage, is outside "
        "the EEA (key-coded data stay personal data for the recipient).",
    )
    assessment: FreeText | None = Field(None, description=_TRANSFER_ASSESSMENT)


class Retention(Strict):
    active: FreeText = Field(description="How long in the active database.")
    archive: FreeText | None = Field(
        None,
        description="How long, and where, in intermediate archiving; empty: none, the data "
        "are deleted at the end of the active period.",
    )


class Research(Strict):
    """A research project: what decides the French formality and the roles."""

    title: FreeText
    acronym: Text | None = None
    lay_summary: FreeText | None = Field(
        None,
        description="What the research seeks, in one or two plain sentences, for participants: "
        "the information notice and poster open with it (GDPR Art. 12(1): plain language).",
    )
    sponsor: PartyId
    coordinating_investigator: Investigator
    cros: list[CroTask] = Field(default_factory=list)
    providers: list[ProviderTask] = Field(
        default_factory=list,
        description="The sponsor's other processors (central laboratory or reader, host) and "
        "their services.",
    )
    centres: list[PartyId] = Field(min_length=1, description="Investigating centres' party ids.")
    internal: InternalStudy
    involves_human_person: bool = Field(description="RIPH (Public Health Code L.1121-1).")
    riph_category: Literal[1, 2, 3] | None = None
    commercial: bool = Field(
        False,
        description="Industry-sponsored: the sponsor runs the research for commercial "
        "purposes (CSP L.1121-16-1).",
    )
    product: ResearchProduct | None = Field(
        None, description="The health product studied, whose EU regulation applies."
    )
    ivd_performance_study: bool = False
    reuses_existing_data_only: bool = False
    leftover_samples: bool = Field(
        False,
        description="The research uses samples left over from care (elements of the human "
        "body): used unless the person, informed beforehand, objects (CSP L.1211-2).",
    )
    genetic_testing: bool = False
    genetic_testing_optional: bool = Field(
        False,
        description="The genetic examination is optional: a participant may refuse it and "
        "still take part (the notice says so rather than leaving it to the research doctor).",
    )
    participation: Participation | None = Field(
        None, description="How participants agree to take part; not the GDPR lawful basis."
    )
    pmsi_data: bool = Field(
        False, description="Uses hospital discharge data (PMSI, emergency RPU) from ATIH."
    )
    snds_data: bool = Field(False, description="Uses data of the main SNDS database.")
    snds_linkage: bool = False
    nir_used: bool = False
    identifying_data_leave_centres: bool = False
    data_flows: list[DataFlow] = Field(default_factory=list)
    key_table_holder: PartyId | None = Field(
        None, description="Party id keeping the key table (code to identity); default: centres."
    )
    lawful_basis: LawfulBasis
    safety_reporting: bool = Field(
        False, description="Vigilance duties of Regulation 536/2014 rest on legal obligation."
    )
    article9_condition: Article9Condition = Article9Condition.RESEARCH
    retention: Retention
    protocol_drafted_by: ProtocolAuthors = ProtocolAuthors.SPONSOR
    intended_route: Route | None = Field(
        None, description="The formality the team plans; checked against the facts."
    )
    authorisation_reference: FreeText | None = Field(
        None, description="The CNIL decision, or the application while it is pending."
    )
    authorisation_granted: bool = Field(
        False,
        description="The CNIL has granted the authorisation; otherwise the reference is "
        "an application and the documents say so.",
    )
    dpia_reference: FreeText | None = None

    @model_validator(mode="after")
    def _category(self) -> Research:
        if self.involves_human_person and self.riph_category is None:
            raise _refuse("riph_category_missing")
        if not self.involves_human_person and self.riph_category is not None:
            raise _refuse("riph_category_needless")
        return self


class Answers(Strict):
    """Everything Clausier needs to know about one partnership."""

    format_version: Literal[1] = Field(description="Version of this answers format.")
    language: Language = Language.FR
    reference: Text | None = Field(None, description="The agreement's internal reference.")
    parties: list[Party] = Field(min_length=1)
    processing: Processing
    hosting: Hosting | None = Field(None, description="Absent when the processor stores nothing.")
    sub_processors: list[SubProcessor] = Field(default_factory=list)
    transfers: list[Transfer] = Field(
        default_factory=list, description="Transfers outside the EEA other than sub-processors'."
    )
    security_measures: list[Measure] = Field(min_length=1)
    # Defaults throughout: an internal study binds nobody and gives no contract terms.
    options: Options = Field(default_factory=Options)
    signature: Signature = Field(default_factory=Signature)
    research: Research | None = Field(None, description="Present for a research project.")
    amendment: Amendment | None = Field(
        None, description="The amendment built with `build --against`: its date, the previous."
    )

    @model_validator(mode="after")
    def _retention_given(self) -> Answers:
        """A study's retention is research.retention; any other processing states its own."""
        if self.research is None and self.processing.retention is None:
            required = PydanticCustomError(
                "value_error", "required outside a research project (research.retention)"
            )
            place = InitErrorDetails(type=required, loc=("processing", "retention"), input=None)
            raise ValidationError.from_exception_data(type(self).__name__, [place])
        return self

    @model_validator(mode="after")
    def _unique_party_ids(self) -> Answers:
        ids = [p.id for p in self.parties]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise _refuse("party_ids", ids=", ".join(duplicates))
        return self

    def party_references(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """Every party id the answers refer to, with the path of the field that names it."""
        for i, m in enumerate(self.security_measures):
            for j, party in enumerate(m.parties):
                yield ("security_measures", i, "parties", j), party
        for i, sub in enumerate(self.sub_processors):
            if sub.processor:
                yield ("sub_processors", i, "processor"), sub.processor
        for i, transfer in enumerate(self.transfers):
            if transfer.processor:
                yield ("transfers", i, "processor"), transfer.processor
        if self.hosting and self.hosting.processor:
            yield ("hosting", "processor"), self.hosting.processor
        r = self.research
        if r is None:
            return
        yield ("research", "sponsor"), r.sponsor
        yield (
            ("research", "coordinating_investigator", "centre"),
            r.coordinating_investigator.centre,
        )
        for i, centre in enumerate(r.centres):
            yield ("research", "centres", i), centre
        for i, cro in enumerate(r.cros):
            yield ("research", "cros", i, "party"), cro.party
        for i, provider in enumerate(r.providers):
            yield ("research", "providers", i, "party"), provider.party
        for i, flow in enumerate(r.data_flows):
            yield ("research", "data_flows", i, "source"), flow.source
            yield ("research", "data_flows", i, "recipient"), flow.recipient
        if r.key_table_holder:
            yield ("research", "key_table_holder"), r.key_table_holder

    def party(self, party_id: str) -> Party:
        return next(p for p in self.parties if p.id == party_id)

    def parties_with(self, role: Role) -> list[Party]:
        return [p for p in self.parties if role in p.roles]
