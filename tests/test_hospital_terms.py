"""What a hospital expects of its vendor (issue 12, item 9), read back from built documents:
reversibility and continuity of care where the processor or a sub-processor stores the data,
insurance, adhesion of the other establishments of a GHT (CSP L.6132-1) for a public
controller, and, for a patient-facing application, the notice in the app, trackers only with
consent (Loi 78-17 art. 82) and the INS (CSP L.1111-8-1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import MINIMAL, ROOT, built_text, run_cli, write

EXAMPLES = ROOT / "examples"
NAMES = ("chu-teleconsultation", "glucose-telemonitoring", "clinic-lab-results")

REVERSIBILITY_FR = "– Réversibilité et continuité des soins"
PLAN_FR = "un plan de réversibilité décrivant les étapes"
TEST_RETURN_FR = "procède à une restitution d'essai portant sur un jeu de Données représentatif"
RUNNING_FR = (
    "maintient les Prestations en fonctionnement, aux conditions, notamment financières, du "
    "Contrat principal, jusqu'à la bascule effective"
)
ASSISTANCE_FR = "l'assistance nécessaire à la reprise des Données"
INSURANCE_FR = (
    "d'une assurance de responsabilité civile professionnelle et d'une assurance couvrant les "
    "risques cyber"
)
CERTIFICATE_FR = "sur simple demande, une attestation d'assurance en cours de validité"
GHT_FR = "– Adhésion des établissements du groupement hospitalier de territoire"
ADHESION_FR = "en signant avec eux un bulletin d'adhésion"
APP_FR = "– Application destinée aux patients"
NOTICE_FR = "la notice d'information établie par le Responsable du traitement"
TRACKERS_FR = "article 82 de la loi n° 78-17 du 6 janvier 1978"
INS_FR = "à son identité nationale de santé (INS), telle que qualifiée et transmise"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The DPA of each example in French, and of the CHU side by side."""
    out = tmp_path_factory.mktemp("hospital")
    texts = {name: built_text(EXAMPLES / f"{name}.yaml", out / name, "fr") for name in NAMES}
    texts["chu-bilingual"] = built_text(
        EXAMPLES / "chu-teleconsultation.yaml", out / "bilingual", "bilingual"
    )
    return texts


def _variant(tmp_path: Path, hospital: dict[str, object], **changes: object) -> str:
    """The minimal answers with options.hospital set and some blocks changed, in French."""
    data = yaml.safe_load(MINIMAL)
    data["options"]["hospital"] = hospital
    for key, value in changes.items():
        data[key] = value
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    return built_text(answers, tmp_path / "out", "fr", "--draft")


def _number(text: str, title: str) -> str:
    """The article number the table of contents gives a clause title."""
    found = re.search(rf"Article (\d+) – {re.escape(title)}\n", text)
    assert found, title
    return found.group(1)


# (1) Reversibility --------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_reversibility_where_data_are_stored(built: dict[str, str], name: str) -> None:
    text = built[name]
    for provision in (REVERSIBILITY_FR, PLAN_FR, TEST_RETURN_FR, RUNNING_FR, ASSISTANCE_FR):
        assert provision in text, provision
    end = _number(text, "Fin des Prestations")
    assert _number(text, "Réversibilité et continuité des soins") == str(int(end) + 1)
    assert f"y compris au titre de l'Article {end} (« Fin des Prestations »)" in text
    assert f"au sens de l'Article {end} (« Fin des Prestations »)" in text


def test_reversibility_formats(built: dict[str, str]) -> None:
    assert (
        "dans un format ouvert, structuré et documenté, tel que FHIR ou CSV, ou dans tout autre"
        in (built["chu-teleconsultation"])
    )
    assert (
        "dans les formats suivants : HPRIM Santé, HL7 v2.5 et CSV, ou dans tout"
        in (built["clinic-lab-results"])
    )
    english = built["chu-bilingual"]
    assert "in an open, structured and documented format such as FHIR or CSV, or in any" in english
    assert "test return of a representative set of Personal Data" in english


def test_no_reversibility_when_nothing_is_stored(tmp_path: Path) -> None:
    text = _variant(tmp_path, {}, hosting=None)
    assert REVERSIBILITY_FR not in text
    assert PLAN_FR not in text


def test_reversibility_when_a_sub_processor_stores(tmp_path: Path) -> None:
    host = {
        "name": "Hébergeur HDS",
        "service": "hébergement",
        "address": "1 rue de Paris, 75001 Paris",
        "country": "FR",
        "hosts_data": True,
        "hosts_health_data": True,
        "hds_certified": True,
    }
    text = _variant(
        tmp_path, {"reversibility_formats": ["FHIR"]}, hosting=None, sub_processors=[host]
    )
    assert PLAN_FR in text
    assert "dans les formats suivants : FHIR, ou dans tout autre format" in text


# (2) Insurance ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_insurance_by_default(built: dict[str, str], name: str) -> None:
    assert INSURANCE_FR in built[name]
    assert CERTIFICATE_FR in built[name]


def test_insurance_in_english(built: dict[str, str]) -> None:
    english = built["chu-bilingual"]
    assert "professional liability insurance and cyber-risk insurance" in english
    assert "a current insurance certificate" in english


def test_no_insurance_when_not_agreed(tmp_path: Path) -> None:
    text = _variant(tmp_path, {"insurance": False})
    assert INSURANCE_FR not in text
    assert "attestation d'assurance" not in text


# (3) Adhesion of the GHT's establishments -----------------------------------------------------


def test_ght_adhesion_for_the_chu(built: dict[str, str]) -> None:
    text = built["chu-teleconsultation"]
    assert GHT_FR in text
    assert "groupement hospitalier de territoire « GHT du Loiret » auquel appartient" in text
    assert "article L. 6132-1 du Code de la santé publique" in text
    assert ADHESION_FR in text
    assert "L'adhésion ne produit aucun effet pour la période antérieure" in text
    english = built["chu-bilingual"]
    assert 'regional hospital group (groupement hospitalier de territoire) "GHT du Loiret"' in (
        english
    )
    assert "by signing an accession form" in english


@pytest.mark.parametrize("name", ["glucose-telemonitoring", "clinic-lab-results"])
def test_no_ght_adhesion_elsewhere(built: dict[str, str], name: str) -> None:
    assert GHT_FR not in built[name]
    assert ADHESION_FR not in built[name]
    assert "GHT" not in built[name]


def test_no_ght_adhesion_for_a_private_controller(tmp_path: Path) -> None:
    text = _variant(tmp_path, {"group_adhesion": True, "group_name": "GHT Test"})
    assert GHT_FR not in text
    assert "GHT Test" not in text


def test_ght_adhesion_without_a_name(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL)
    data["parties"][0]["public_body"] = True
    text = _variant(tmp_path, {"group_adhesion": True}, parties=data["parties"])
    assert "partie au groupement hospitalier de territoire auquel appartient" in text


# (4) Patient-facing application ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["chu-teleconsultation", "glucose-telemonitoring"])
def test_patient_app(built: dict[str, str], name: str) -> None:
    text = built[name]
    for provision in (APP_FR, NOTICE_FR, TRACKERS_FR, INS_FR):
        assert provision in text, provision


def test_patient_app_in_english(built: dict[str, str]) -> None:
    english = built["chu-bilingual"]
    assert "the information notice drawn up by the Controller" in english
    assert "Article 82 of French Law No. 78-17 of 6 January 1978" in english
    assert 'national health identity (identité nationale de santé, "INS")' in english


def test_no_patient_app_for_the_clinic(built: dict[str, str]) -> None:
    text = built["clinic-lab-results"]
    for provision in (APP_FR, NOTICE_FR, TRACKERS_FR, INS_FR):
        assert provision not in text, provision


def test_no_ins_where_patients_are_not_identified(tmp_path: Path) -> None:
    data = yaml.safe_load(MINIMAL)
    processing = {**data["processing"], "data_categories": ["health"]}
    text = _variant(tmp_path, {"patient_app": True}, processing=processing)
    assert NOTICE_FR in text
    assert INS_FR not in text


# Liability: the main agreement's caps, excluded by default, applied, or replaced -------------

EXCLUDED_FR = "les limitations et exclusions de responsabilité stipulées au Contrat principal ne"
APPLIED_FR = "Les limitations de responsabilité stipulées au Contrat principal s'appliquent"
SPECIFIC_FR = "est limitée, tous faits générateurs confondus, au montant suivant : 100 000 euros"
NEVER_FR = "ne limite ni n'exclut la responsabilité d'une Partie en cas de faute lourde ou dolosive"


@pytest.mark.parametrize(
    ("caps", "present", "absent"),
    [
        ({}, EXCLUDED_FR, (APPLIED_FR, SPECIFIC_FR)),
        ({"liability_caps": "main_agreement"}, APPLIED_FR, (EXCLUDED_FR, SPECIFIC_FR)),
        (
            {"liability_caps": "specific", "liability_cap": "100 000 euros"},
            SPECIFIC_FR,
            (APPLIED_FR,),
        ),
    ],
)
def test_the_liability_caps_are_the_answers_choice(
    tmp_path: Path, caps: dict[str, str], present: str, absent: tuple[str, ...]
) -> None:
    data = yaml.safe_load(MINIMAL)
    data["options"].update(caps)
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    text = built_text(answers, tmp_path / "out", "fr")
    assert present in text and NEVER_FR in text
    for other in absent:
        assert other not in text


@pytest.mark.parametrize(
    "options",
    [{"liability_caps": "specific"}, {"liability_cap": "100 000 euros"}],
)
def test_a_cap_is_given_exactly_when_specific(tmp_path: Path, options: dict[str, str]) -> None:
    data = yaml.safe_load(MINIMAL)
    data["options"].update(options)
    answers = write(tmp_path / "answers.yaml", yaml.safe_dump(data, allow_unicode=True))
    assert run_cli("build", answers, "--out", tmp_path / "out") == 2


def test_continuity_of_service_has_a_long_stop_outside_a_public_contract(tmp_path: Path) -> None:
    text = _variant(tmp_path, {"reversibility_months": 9})
    assert "ou, à défaut, pendant neuf (9) mois au plus à compter de la date" in text
    assert "sous réserve du paiement des sommes dues au titre de cette période" in text
    assert "au plus tard, au terme de cette période" in text


def test_inside_a_public_contract_continuity_stays_within_the_marche(
    built: dict[str, str],
) -> None:
    text = built["chu-teleconsultation"]
    assert "dans la limite de la période de réversibilité prévue par le marché et de la" in text
    assert "à défaut, pendant" not in text


def test_services_started_before_signature_are_authorised_from_their_start(
    built: dict[str, str],
) -> None:
    """The teleconsultation services started on 1 January, the deed is signed on the 12th:
    the sub-processors are authorised from the start, the reversibility plan is due within
    thirty days of signature (not "from the start", a breach on the day it is signed)."""
    text = built["chu-teleconsultation"]
    assert "autorise, depuis le début des Prestations le 1er janvier 2027, le recours" in text
    assert "dans les trente (30) jours de la signature de l'Accord, un plan de réversibilité" in (
        text
    )
    clinic = built["clinic-lab-results"]
    assert "autorise, à la date de signature, le recours" in clinic
    assert "dès le début des Prestations, un plan de réversibilité" in clinic


def test_sub_processor_contracts_older_than_the_deed_are_brought_into_line(
    built: dict[str, str],
) -> None:
    """Signed after the services started, the deed cannot have been in the sub-processors'
    contracts: they are brought into line within ninety days, and meanwhile are no breach."""
    text = built["chu-teleconsultation"]
    assert "sont mis en conformité avec l'Article 11 (« Sous-traitants ultérieurs »)" in text
    assert "dans un délai de quatre-vingt-dix (90) jours à compter de cette signature" in text
    assert "leur seul défaut de conformité à ces stipulations ne constitue pas" in text
    # What happened between the start and the signature is reported within five working days.
    # In Article 14's delay, restated nowhere: an amendment of that delay leaves this spent
    # one-off deadline alone (test_amendment.py).
    assert (
        "Sans préjudice de l'article 33, paragraphe 2, du RGPD, le Sous-traitant notifie au "
        "Responsable du traitement, dans le délai et les formes prévus à l'Article 14 "
        "(« Violation de données »), ce délai courant à compter de la signature de l'Accord"
    ) in text
    assert "sont mis en conformité" not in built["clinic-lab-results"]


def test_deletion_waits_for_a_return_the_controller_disputes(built: dict[str, str]) -> None:
    text = built["clinic-lab-results"]
    assert "le délai de suppression est suspendu jusqu'à ce que le Sous-traitant ait" in text
