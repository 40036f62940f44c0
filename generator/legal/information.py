"""What a notice tells the persons it informs (GDPR Arts 12 to 14): about their own data only."""

from __future__ import annotations

from ..answers.model import Answers, DataCategory, DataSubject

# The persons a processing may record besides the patients or participants a notice informs:
# those working on it (a site's staff holding eCRF accounts, the care team, a tool's users).
_WORKERS = frozenset({DataSubject.STAFF, DataSubject.HEALTH_PROFESSIONALS, DataSubject.USERS})

# Categories that, where such persons are recorded, are theirs: their position and
# qualifications, their log-ins to the eCRF or the professional tool.
_WORKERS_CATEGORIES = frozenset({DataCategory.PROFESSIONAL, DataCategory.CONNECTION})


def notice_categories(answers: Answers) -> list[DataCategory]:
    """The categories of data about the patients or participants themselves, which their
    notice lists (Arts 13(1), 14(1)(d): the person's own data, in plain words). A study's
    other data subjects are the persons working on it (its sites' staff), as are a care
    service's professionals; the patients' own connection data remain where the service gives
    them an application."""
    processing = answers.processing
    workers = bool(_WORKERS & set(processing.data_subjects)) or bool(
        answers.research and processing.other_data_subjects
    )
    patients_connect = answers.research is None and answers.options.hospital.patient_app
    return [
        c
        for c in processing.data_categories
        if not workers
        or c not in _WORKERS_CATEGORIES
        or (c is DataCategory.CONNECTION and patients_connect)
    ]


def storage_countries(answers: Answers) -> list[str]:
    """Where a study's data are kept: its host's country, then each flow's recipient storage
    (a safety database abroad, a reader's platform), each once — a notice names every place,
    not the main host alone (Art. 13(1)(e)-(f) read with Art. 12(1))."""
    r = answers.research
    if r is None:
        return []
    hosting = [answers.hosting.storage_country] if answers.hosting else []
    return list(dict.fromkeys([*hosting, *(f.country for f in r.data_flows)]))
