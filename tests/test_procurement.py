"""Public procurement (issue 12, item 3) and the termination grounds of Decision 2021/915
clause 10(b) (issue 12, item 8).

When the main agreement is a public contract (marché public), the DPA is one of its documents,
refers to its CCAG (CCAG-TIC by default) for termination, penalties and claims, and has no
termination or settlement terms of its own that contradict it. Without one (the clinic), the
DPA's own termination and amicable-settlement terms stay. Either way, the controller may
terminate on the three grounds of 2021/915 clause 10(b).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, built_text, write

CHU = ROOT / "examples" / "chu-teleconsultation.yaml"
CLINIC = ROOT / "examples" / "clinic-lab-results.yaml"

GROUNDS = {
    "fr": [
        "dans un délai raisonnable et, en tout état de cause, dans un délai d'un (1) mois à "
        "compter de la suspension",
        "manque de manière substantielle ou persistante à l'Accord ou aux obligations que le "
        "RGPD met à sa charge",
        "ne se conforme pas à une décision contraignante d'une juridiction compétente ou de "
        "l'autorité de contrôle compétente",
        # Refusing an unlawful instruction is no fault (clause 6), whatever the contract.
        "ce refus ne constitue pas une faute et ne donne lieu à aucune pénalité",
    ],
    "en": [
        "within a reasonable time and, in any event, within one (1) month of the suspension",
        "substantial or persistent breach of this Agreement or of its obligations under the GDPR",
        "fails to comply with a binding decision of a competent court or of the competent "
        "supervisory authority",
        "such a refusal is not a fault and gives rise to no penalty",
    ],
}
PUBLIC = {
    "fr": [
        # Signed after the marché was concluded: it is an amendment of it (an avenant).
        "L'Accord constitue un avenant à ce marché, intitulé « Marché public de "
        "services n° 2026-DNSI-045",
        "valant avenant au marché « Marché public de services n° 2026-DNSI-045",
        "des marchés publics de techniques de l'information et de la communication (CCAG-TIC), "
        "approuvé par l'arrêté du 30 mars 2021",
        "L'Accord ne déroge pas au CCAG.",
        "résiliation du Contrat principal pour faute du titulaire",
        "mémoire en réclamation",
        "tribunal administratif d'Orléans",
        # As an avenant, it prevails over the CCAP and the CCTP for data protection.
        "Le marché ayant été conclu le 16 novembre 2026, l'Accord vaut avenant au marché.",
        "Il prévaut sur le cahier des clauses administratives particulières (CCAP), le cahier des "
        "clauses techniques particulières (CCTP) et les autres pièces du marché",
        # A GDPR authorisation is no acceptance of a subcontractor under the CCP.
        "ne vaut pas acceptation d'un sous-traitant ni agrément de ses conditions de paiement",
        # Termination after a refused instruction or an objection: in the public interest.
        "pour la résiliation pour motif d'intérêt général",
        # A document of a public contract is signed with at least an advanced signature.
        "au moins avancée et reposant sur un certificat qualifié",
    ],
    "en": [
        "This Agreement is an amendment (avenant) to that public contract",
        "this Agreement constitutes an amendment (avenant) to it. It prevails over the particular "
        "administrative terms",
        "CCAG-TIC) approved by the order (arrêté) of 30 March 2021",
        "This Agreement does not derogate from the CCAG.",
        "terminate the Main Agreement for the contractor's default",
        "statement of claim (mémoire en réclamation)",
    ],
}
# The DPA's own terms, which a public contract's CCAG replaces.
PRIVATE = {
    "fr": [
        "le Responsable du traitement peut résilier de plein droit",
        "avec effet immédiat et sans mise en demeure préalable",
        "Les Parties recherchent alors une solution amiable pendant un délai de trente (30) jours",
        "La résiliation ne prive pas le Responsable du traitement de son droit à réparation",
    ],
    "en": [
        "the Controller may terminate, without recourse to the courts",
        "The Parties shall then seek an amicable settlement for a period of thirty (30) days",
        "Termination shall be without prejudice to the Controller's right to compensation",
    ],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], str]:
    cases = [(CHU, "fr"), (CHU, "bilingual"), (CLINIC, "fr"), (CLINIC, "en")]
    return {
        (example.stem, lang): built_text(example, tmp_path_factory.mktemp(example.stem), lang)
        for example, lang in cases
    }


@pytest.mark.parametrize(("lang", "languages"), [("fr", ["fr"]), ("bilingual", ["fr", "en"])])
def test_a_public_contract_is_followed(
    built: dict[tuple[str, str], str], lang: str, languages: list[str]
) -> None:
    text = built[(CHU.stem, lang)]
    for language in languages:
        for expected in PUBLIC[language] + GROUNDS[language]:
            assert expected in text, (lang, expected)
        for own_term in PRIVATE[language]:
            assert own_term not in text, (lang, own_term)
    assert "décision définitive" not in text
    assert "final decision" not in text


@pytest.mark.parametrize("lang", ["fr", "bilingual"])
def test_a_public_contract_has_no_indemnity_waiver_of_our_own(
    built: dict[tuple[str, str], str], lang: str
) -> None:
    text = built[(CHU.stem, lang)]
    assert "sans qu'aucune indemnité" not in text
    assert "without any compensation being owed" not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_without_a_public_contract_the_agreement_keeps_its_own_terms(
    built: dict[tuple[str, str], str], lang: str
) -> None:
    text = built[(CLINIC.stem, lang)]
    for expected in PRIVATE[lang] + GROUNDS[lang]:
        assert expected in text, (lang, expected)
    for public in ["CCAG", "pièce contractuelle", "mémoire en réclamation", "faute du titulaire"]:
        assert public not in text, (lang, public)
    assert "décision définitive" not in text
    assert "final decision" not in text


def test_a_dpa_signed_with_its_public_contract_takes_the_rank_the_ccap_gives(
    tmp_path: Path,
) -> None:
    """No date for the marché: the DPA is one of its documents, signed with it, ranked by the
    CCAP; it is an avenant only once the marché was concluded before it."""
    data = yaml.safe_load(CHU.read_text("utf-8"))
    data["processing"]["main_agreement"]["date"] = None
    answers = write(tmp_path / "a.yaml", yaml.safe_dump(data, allow_unicode=True))
    text = built_text(answers, tmp_path / "out", "fr")
    assert "L'Accord constitue une pièce contractuelle de ce marché" in text
    assert "au rang que lui assigne le cahier des clauses administratives particulières" in text
    assert "avenant au marché" not in text
