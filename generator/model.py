"""The answers model: the single input of every document Clausier builds.

An answers file (YAML) or the interview fills this model; everything downstream (assessment,
document plan, rendering) reads only from it. Field descriptions double as the JSON Schema's
documentation shown by editors (`clausier schema`).
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from .geography import is_country_code

FORMAT_VERSION = 1

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Country = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
]


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
    PERSONAL_LIFE = "personal_life"
    PROFESSIONAL = "professional"
    FINANCIAL = "financial"
    CONNECTION = "connection"
    LOCATION = "location"


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


class SubProcessorAuthorisation(StrEnum):
    GENERAL = "general"
    SPECIFIC = "specific"


class EndOfContract(StrEnum):
    RETURN_THEN_DELETE = "return_then_delete"
    DELETE = "delete"


class Strict(BaseModel):
    """Base of every section: unknown keys are errors, so a typo never goes unnoticed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_country(value: str | None) -> str | None:
    if value is not None and not is_country_code(value):
        raise ValueError(f"'{value}' is not an ISO 3166 two-letter country code (e.g. FR, DE, US)")
    return value


class Person(Strict):
    name: Text
    title: Text | None = Field(None, description="Position, e.g. Directeur général.")


class Contact(Strict):
    name: Text
    email: Email
    phone: Text | None = None
    address: Text | None = None


class Party(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,39}$")] = Field(
        description="Short identifier used to refer to the party, e.g. 'chu-bordeaux'."
    )
    name: Text
    legal_form: Text = Field(description="E.g. 'établissement public de santé', 'SAS'.")
    address: Text = Field(description="Registered office.")
    country: Country = "FR"
    registration_number: Text | None = Field(None, description="SIREN/RCS, FINESS, etc.")
    signatory: Person
    dpo: Contact | None = Field(None, description="Data protection officer (Art. 37-39).")
    contact: Contact | None = Field(None, description="Contact person for this agreement.")
    roles: list[Role] = Field(min_length=1)
    determines_purposes: bool = Field(
        False, description="The party decides why the data are processed."
    )
    determines_essential_means: bool = Field(
        False, description="The party decides the essential means (which data, how long, who)."
    )
    reuses_data_for_own_purposes: bool = False

    _country = field_validator("country")(_check_country)


class MainAgreement(Strict):
    title: Text = Field(description="E.g. 'Contrat de prestation de services de téléconsultation'.")
    date: dt.date | None = None


class Processing(Strict):
    subject_matter: Text = Field(description="What the processor does for the controller.")
    main_agreement: MainAgreement | None = None
    purposes: list[Text] = Field(min_length=1)
    operations: list[Operation] = Field(min_length=1)
    nature: Text | None = Field(None, description="How the processing is carried out.")
    data_subjects: list[DataSubject] = Field(default_factory=list)
    other_data_subjects: list[Text] = Field(default_factory=list)
    data_categories: list[DataCategory] = Field(min_length=1)
    other_data_categories: list[Text] = Field(default_factory=list)
    volume: Text | None = Field(None, description="Approximate number of data subjects.")
    duration: Text = Field(description="Duration of the service, e.g. the main agreement's term.")
    retention: Text = Field(description="How long the processor keeps the data, and why.")

    @model_validator(mode="after")
    def _some_data_subjects(self) -> Processing:
        if not self.data_subjects and not self.other_data_subjects:
            raise ValueError("name at least one category of data subjects")
        return self

    @property
    def health_data(self) -> bool:
        return DataCategory.HEALTH in self.data_categories

    @property
    def special_categories(self) -> bool:
        special = {DataCategory.HEALTH, DataCategory.GENETIC, DataCategory.BIOMETRIC}
        return bool(special & set(self.data_categories))


class Hosting(Strict):
    provider: Text = Field(description="Who hosts the data: the processor or a sub-processor.")
    hds_certified: bool = Field(description="Certified health-data host (CSP L.1111-8).")
    hds_certificate: Text | None = Field(None, description="Certificate number and activities.")
    storage_country: Country = "FR"
    backup_country: Country | None = None

    _countries = field_validator("storage_country", "backup_country")(_check_country)


class SubProcessor(Strict):
    name: Text
    service: Text = Field(description="What the sub-processor does.")
    address: Text
    contact: Text | None = Field(None, description="Contact e-mail or person.")
    country: Country = Field(description="Where it processes the data.")
    hosts_data: bool = Field(False, description="Stores personal data of this agreement.")
    hosts_health_data: bool = Field(
        False, description="Stores health data: it must then be a certified health-data host."
    )
    hds_certified: bool = False
    transfer_safeguard: Safeguard | None = Field(
        None, description="Ground for the transfer when the country is outside the EEA."
    )

    _country = field_validator("country")(_check_country)

    @model_validator(mode="after")
    def _health_data_is_data(self) -> SubProcessor:
        if self.hosts_health_data and not self.hosts_data:
            raise ValueError("hosts_health_data requires hosts_data: true")
        return self


class Transfer(Strict):
    recipient: Text
    country: Country
    purpose: Text
    safeguard: Safeguard | None = None
    details: Text | None = Field(
        None, description="Adequacy decision, BCR approval, or the Art. 49 derogation relied on."
    )

    _country = field_validator("country")(_check_country)


class Measure(Strict):
    category: MeasureCategory
    description: Text


class Signature(Strict):
    place: Text
    date: dt.date | None = Field(None, description="Left blank to date by hand.")
    electronic: bool = False
    copies: int = Field(2, ge=1, le=20)


class Options(Strict):
    breach_notice_hours: int = Field(24, ge=1, le=72)
    sub_processor_authorisation: SubProcessorAuthorisation = SubProcessorAuthorisation.GENERAL
    objection_period_days: int = Field(30, ge=1, le=180)
    audit_notice_days: int = Field(30, ge=1, le=180)
    audits_per_year: int = Field(1, ge=1, le=12)
    end_of_contract: EndOfContract = EndOfContract.RETURN_THEN_DELETE
    end_of_contract_days: int = Field(30, ge=1, le=365)
    governing_law: Country = "FR"
    courts: Text = Field(description="E.g. 'tribunal judiciaire de Paris'.")

    _law = field_validator("governing_law")(_check_country)


class Answers(Strict):
    """Everything Clausier needs to know about one partnership."""

    format_version: Literal[1] = Field(description="Version of this answers format.")
    language: Language = Language.FR
    reference: Text | None = Field(None, description="The agreement's internal reference.")
    parties: list[Party] = Field(min_length=2)
    processing: Processing
    hosting: Hosting | None = Field(None, description="Absent when the processor stores nothing.")
    sub_processors: list[SubProcessor] = Field(default_factory=list)
    transfers: list[Transfer] = Field(
        default_factory=list, description="Transfers outside the EEA other than sub-processors'."
    )
    security_measures: list[Measure] = Field(min_length=1)
    options: Options
    signature: Signature

    @model_validator(mode="after")
    def _unique_party_ids(self) -> Answers:
        ids = [p.id for p in self.parties]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"party ids must be unique: {', '.join(duplicates)}")
        return self

    def parties_with(self, role: Role) -> list[Party]:
        return [p for p in self.parties if role in p.roles]
