"""Health-law specifics of the DPA (issue 12, item 6), read back from built documents: requests
to read the medical record (CSP L. 1111-7), who performs each certified hosting activity and the
hosting contract's content (CSP R. 1111-9, R. 1111-11), and the processor's own processing as a
controller (a device manufacturer's vigilance)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, built_text, write

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The DPA text of each health example, in French, and of Glucose side by side."""
    out = tmp_path_factory.mktemp("health")
    texts = {
        name: built_text(EXAMPLES / f"{name}.yaml", out / name, "fr")
        for name in ("glucose-telemonitoring", "chu-teleconsultation", "clinic-lab-results")
    }
    texts["glucose-bilingual"] = built_text(
        EXAMPLES / "glucose-telemonitoring.yaml", out / "bilingual", "bilingual"
    )
    return texts


def _variant(tmp_path: Path, **changes: object) -> str:
    """The minimal answers with some top-level blocks changed, built in French (draft: only
    the text is read)."""
    data = yaml.safe_load(MINIMAL)
    for key, value in changes.items():
        section, _, field = key.partition("__")
        if field:
            data[section][field] = value
        else:
            data[section] = value
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    return built_text(answers, tmp_path / "out", "fr", "--draft")


# (a) Requests to read the medical record -------------------------------------------------

L1111_7_FR = (
    "le Sous-traitant la transmet au Responsable du traitement dans un délai de deux (2) jours "
    "ouvrés à compter de sa réception, et exécute les instructions du Responsable du traitement "
    "qui s'y rapportent"
)


@pytest.mark.parametrize(
    "name", ["glucose-telemonitoring", "chu-teleconsultation", "clinic-lab-results"]
)
def test_record_requests_take_two_working_days_each(built: dict[str, str], name: str) -> None:
    text = built[name]
    assert L1111_7_FR in text
    assert "dans les huit jours suivant la demande, ou dans les deux mois" in text
    assert "dans un délai de deux (2) jours ouvrés à compter de leur réception" in text
    # Other requests keep their own period; the record ones are no longer "on the same terms".
    assert "dans un délai de cinq (5) jours ouvrés à compter de sa réception" in text
    assert "traitées par le Sous-traitant dans les mêmes conditions" not in text


def test_record_requests_in_english(built: dict[str, str]) -> None:
    text = built["glucose-bilingual"]
    assert "the Processor shall forward it to the Controller within two (2) working days" in text
    assert "within two (2) working days of their receipt" in text


def test_no_record_requests_without_health_data(tmp_path: Path) -> None:
    text = _variant(tmp_path, processing__data_categories=["identification"])
    assert "L. 1111-7" not in text
    assert "deux (2) jours ouvrés" not in text
    assert "cinq (5) jours ouvrés" in text


# (b) HDS: who performs each activity; the hosting contract's content ----------------------

ACTIVITY_5 = "l'administration et l'exploitation du système d'information contenant les Données"


def test_glucose_vendor_administers_under_its_own_certificate(built: dict[str, str]) -> None:
    text = built["glucose-telemonitoring"]
    assert (
        "Le Sous-traitant est lui-même hébergeur de données de santé certifié "
        "(certificat HDS n° HDS-2026-0211" in text
    )
    assert f"{ACTIVITY_5} de santé (activité 5) : le Sous-traitant ;" in text
    assert "(activité 1) : Nordwerk Cloud GmbH ;" in text
    assert "la sauvegarde des Données de santé (activité 6) : Nordwerk Cloud GmbH." in text
    assert (
        "chaque hébergeur qui intervient dans l'hébergement des Données de santé, y compris "
        "lui-même et ses Sous-traitants ultérieurs le cas échéant, conserve sa certification"
    ) in text
    assert (
        "Le contrat d'hébergement conclu par le Sous-traitant avec Nordwerk Cloud GmbH et, pour "
        "les activités d'hébergement que le Sous-traitant exerce lui-même, le Contrat principal "
        "complété par l'Accord comportent les mentions exigées par l'article R. 1111-11"
    ) in text
    assert "les indicateurs de qualité et de performance" in text
    assert "lui communique celles du contrat conclu avec Nordwerk Cloud GmbH" in text
    assert (
        "avant d'avoir obtenu la certification d'hébergeur de données de santé pour chacune"
        not in text
    )


def test_glucose_hds_in_english(built: dict[str, str]) -> None:
    text = built["glucose-bilingual"]
    assert "The Processor is itself a certified health-data host" in text
    assert "holding the Health Data (activity 5): the Processor;" in text
    assert "the quality and performance indicators" in text


def test_chu_vendor_administers_under_its_own_certificate(built: dict[str, str]) -> None:
    text = built["chu-teleconsultation"]
    assert (
        "Le Sous-traitant est lui-même hébergeur de données de santé certifié "
        "(certificat HDS n° HDS-2026-0152" in text
    )
    assert f"{ACTIVITY_5} de santé (activité 5) : le Sous-traitant ;" in text
    assert "(activité 4) : Nuvéa Cloud Santé ;" in text


def test_clinic_hosts_itself_with_a_certified_site_provider(built: dict[str, str]) -> None:
    text = built["clinic-lab-results"]
    assert (
        "(activité 1) : un Sous-traitant ultérieur certifié pour cette activité "
        "et désigné à l'Annexe IV ;" in text
    )
    assert f"{ACTIVITY_5} de santé (activité 5) : le Sous-traitant ;" in text
    assert (
        "Le Contrat principal, complété par l'Accord, tient lieu de contrat d'hébergement" in text
    )
    # The host is the processor: its certificate is stated once, as the host's.
    assert "Le Sous-traitant est lui-même hébergeur" not in text
    assert "lui communique celles du contrat conclu avec" not in text


def test_vendor_hosting_itself_performs_all_six(tmp_path: Path) -> None:
    text = _variant(tmp_path)
    assert text.count(" : le Sous-traitant ;") == 5
    assert "la sauvegarde des Données de santé (activité 6) : le Sous-traitant." in text


def test_uncertified_vendor_may_not_perform_its_activities(tmp_path: Path) -> None:
    hosting = {
        "provider": "Hébergeur Certifié",
        "hds_certified": True,
        "storage_country": "FR",
        "processor_activities": ["administration_operation"],
    }
    subs = [
        {
            "name": "Hébergeur Certifié",
            "service": "hébergement",
            "address": "1 rue du Serveur, 59000 Lille",
            "country": "FR",
            "hosts_data": True,
            "hosts_health_data": True,
            "hds_certified": True,
        }
    ]
    text = _variant(tmp_path, hosting=hosting, sub_processors=subs)
    assert f"{ACTIVITY_5} de santé (activité 5) : le Sous-traitant ;" in text
    assert "(activité 1) : Hébergeur Certifié ;" in text
    assert (
        "Le Sous-traitant n'exerce lui-même aucune de ces activités à l'égard des Données de "
        "santé avant d'avoir obtenu la certification"
    ) in text


def test_no_hds_clause_without_health_data(tmp_path: Path) -> None:
    text = _variant(tmp_path, processing__data_categories=["identification"])
    assert "R. 1111-9" not in text
    assert "R. 1111-11" not in text


# (c) The processor's own processing as a controller ---------------------------------------


def test_glucose_vigilance_is_a_clause_of_the_body(built: dict[str, str]) -> None:
    text = built["glucose-telemonitoring"]
    assert (
        "Traitements effectués par le Sous-traitant en qualité de responsable du traitement" in text
    )
    assert (
        "en dehors de l'Article 6 (« Instructions documentées et limitation des finalités »)"
        in text
    )
    # A host may not use hosted data for its own ends (L. 1111-8): the hospital discloses them.
    assert "le Sous-traitant ne prélève pas de lui-même ces données parmi les Données" in text
    assert "articles 78 à 87 du règlement (UE) 2017/746" in text
    assert "articles 83 à 92 du règlement (UE) 2017/745" in text
    # The hospital answers a reasoned request in time for the manufacturer's own deadlines.
    assert "au plus tard dans les deux (2) jours ouvrés de sa réception" in text
    assert "ni de donner l'instruction d'extraction périodique" in " ".join(text.split())
    assert (
        "le Sous-traitant agit en qualité de responsable du traitement, "
        "sous sa propre responsabilité" in text
    )
    assert "article 6, paragraphe 1, point c), du RGPD" in text
    assert "article 9, paragraphe 2, point i), du RGPD" in text
    assert "Il les pseudonymise chaque fois que cette finalité le permet" in text
    # No longer a line of Annex II that the instructions clause contradicts.
    assert "are not governed by this Agreement" not in text


def test_glucose_vigilance_in_english(built: dict[str, str]) -> None:
    text = built["glucose-bilingual"]
    assert "Processing by the Processor as a controller" in text
    # (The side-by-side edition numbers clauses as the French text does: "Clause Article 6".)
    assert "the Processor processes, outside Clause " in text
    assert "through the Controller's medical-device vigilance channel" in text
    assert "For that processing, the Processor acts as a controller" in text


@pytest.mark.parametrize("name", ["chu-teleconsultation", "clinic-lab-results"])
def test_no_own_processing_clause_where_none(built: dict[str, str], name: str) -> None:
    text = built[name]
    assert "en qualité de responsable du traitement, sous sa propre responsabilité" not in text
    assert "Traitements effectués par le Sous-traitant" not in text
