"""Issue 13 item 8: every party of a study has a place — a funder, a host or secure environment
processing for the sponsor, a recipient controlling data for its own purposes, a trial's central
laboratory or reader — and a party no document binds or describes is a warning naming it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AGREEMENTS, ROOT, docx_text, run_cli

from generator.answers.model import Answers, DataCategory
from generator.legal.assessment import assess
from generator.legal.research import data_categories_of, other_data_categories_of

EXAMPLE = ROOT / "examples" / "research-funded-reuse.yaml"
SPONSOR, CENTRE, HOST, FUNDER = "chu-armor-vilaine", "chr-cornouaille", "securis", "velmora"


def _data() -> dict[str, Any]:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def _codes(data: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for f in assess(Answers.model_validate(data)).findings:
        found.setdefault(f.code, []).append(f.values)
    return found


def _flat(path: Path) -> str:
    return " ".join(docx_text(path).replace("\u00a0", " ").replace("\u202f", " ").split())


def _build(data: dict[str, Any], out: Path, lang: str) -> Path:
    file = out.parent / f"{out.name}.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # English alone is refused with the public hospitals: read as a draft.
    args = ("--out", out, "--lang", lang, "--draft", "--force", "--only", AGREEMENTS)
    assert run_cli("build", file, *args) == 0
    return out


def test_the_host_has_its_dpa_and_the_funder_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_cli("assess", EXAMPLE, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert [(d["kind"], d["parties"]) for d in result["document_set"]] == [
        ("protocol-annex", [SPONSOR]),
        ("dpa", [SPONSOR, CENTRE]),
        ("dpa", [SPONSOR, HOST]),
        # The pack: the funder, a separate controller of what it receives, has no entry in the
        # sponsor's record either.
        ("information-notice", [SPONSOR]),
        ("information-poster", [SPONSOR]),
        ("processing-record", [SPONSOR]),
        ("dpia", [SPONSOR]),
    ]
    assert result["roles"][HOST] == ["processor"]
    assert result["roles"][FUNDER] == ["funder", "controller"]
    codes = {f["code"] for f in result["findings"]}
    assert "RECIPIENT_CONTROLLER" in codes
    assert not codes & {"PARTY_IN_NO_DOCUMENT", "RECIPIENT_WITHOUT_ROLE", "FLOW_NOT_HDS"}


def test_a_party_placed_nowhere_is_named() -> None:
    data = _data()
    data["parties"].append({**data["parties"][2], "id": "stray", "name": "Stray Conseil"})
    data["parties"][-1]["roles"] = ["sub_processor"]
    assert _codes(data)["PARTY_IN_NO_DOCUMENT"] == [{"party": "Stray Conseil"}]
    # A controller of nothing the study sends it has no place either.
    data = _data()
    data["parties"][3]["roles"] = ["controller"]
    data["research"]["data_flows"] = data["research"]["data_flows"][:2]
    assert _codes(data)["PARTY_IN_NO_DOCUMENT"] == [{"party": "Velmora Pharma France"}]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_annex_places_the_funder_as_a_separate_controller(tmp_path: Path, lang: str) -> None:
    out = _build(_data(), tmp_path / "out", lang)
    annex = _flat(next(out.glob("*-jak-vie-*.docx")))
    expected = {
        "fr": (
            # Table 1: the funder's row with its roles, after its address.
            "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) financeur de"
            " la recherche et responsable du traitement, pour ses propres finalités, des Données"
            " qu'il reçoit",
            "Securis Data Santé, 7 rue des Forges, 44200 Nantes (France) sous-traitant ",
            "Ce financement ne confère à Velmora Pharma France aucun pouvoir de décision",
            "Velmora Pharma France reçoit les Données indiquées au Tableau 2 – Flux de données"
            " en qualité de responsable du traitement distinct, pour ses propres finalités",
            "ces Données ne font l'objet d'aucun contrat de sous-traitance avec le Promoteur",
            "Securis Data Santé agit en qualité de sous-traitant du Promoteur",
            # Table 3: the host is not a centre, the funder not the sponsor.
            "Securis Data Santé Sous-traitant du promoteur : traite les données uniquement sur"
            " ses instructions documentées et pour les seules prestations que décrit son contrat",
            "Velmora Pharma France Responsable du traitement distinct des données de la"
            " recherche qu'il reçoit",
        ),
        "en": (
            "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) funder of the"
            " research and controller, for its own purposes, of the Research Data it receives",
            "Securis Data Santé, 7 rue des Forges, 44200 Nantes (France) processor ",
            "That funding gives Velmora Pharma France no power to decide",
            "Velmora Pharma France receives the Research Data stated in Table 2 – Data flows as"
            " a separate controller, for its own purposes",
            "those data are not subject to any processing agreement with the Sponsor",
            "Securis Data Santé acts as the Sponsor's processor",
            "Securis Data Santé Processor of the sponsor: processes the data only on its"
            " documented instructions and only for the services its contract describes",
            "Velmora Pharma France Separate controller of the research data it receives",
        ),
    }[lang]
    for text in expected:
        assert text in annex, text
    centre_duties = {
        "fr": "des dossiers des personnes qu'il inclut",
        "en": "records of the persons it includes",
    }
    assert annex.count(centre_duties[lang]) == 1  # the centre's, not the host's
    no_data = {"fr": "Aucune Donnée ne lui est communiquée", "en": "No Research Data are disclosed"}
    assert no_data[lang] not in annex
    # No DPA for the funder; the host's states its own services, neither a site's nor a CRO's.
    assert not [p for p in out.glob("*velmora*")]
    host = _flat(next(out.glob("*-securis-data-sante-*.docx")))
    own = {
        "fr": "prestations suivantes : la mise à disposition et l'exploitation, pour le compte"
        " du promoteur, d'un espace d'analyse sécurisé certifié HDS",
        "en": "services: the provision and operation, on the sponsor's behalf, of an"
        " HDS-certified secure analysis environment",
    }[lang]
    assert own in host
    for other in {
        "fr": ("Codage des données des participants", "des tâches suivantes", "Velmora"),
        "en": ("Coding of participants' data", "of the following tasks", "Velmora"),
    }[lang]:
        assert other not in host, other


def test_a_funder_receiving_aggregated_results_only(tmp_path: Path) -> None:
    data = _data()
    data["parties"][3]["roles"] = ["funder"]
    data["research"]["data_flows"] = data["research"]["data_flows"][:2]
    codes = _codes(data)
    assert not codes.keys() & {"PARTY_IN_NO_DOCUMENT", "RECIPIENT_CONTROLLER"}
    annex = _flat(next(_build(data, tmp_path / "out", "fr").glob("annexe-*.docx")))
    assert (
        "Velmora Pharma France, 41 quai de Dion-Bouton, 92800 Puteaux (France) financeur de la"
        " recherche Mme Laetitia Vasseur"
    ) in annex
    assert "Aucune Donnée ne lui est communiquée : seuls lui sont remis les résultats agrégés" in (
        annex
    )
    assert "responsable du traitement distinct" not in annex


def test_a_recipient_without_a_role_is_asked_for_one() -> None:
    data = _data()
    data["parties"][3]["roles"] = ["funder"]
    assert _codes(data)["RECIPIENT_WITHOUT_ROLE"] == [{"party": "Velmora Pharma France"}]


# Parties a sponsor meets in real studies, added to two examples: the IVD study's reference
# laboratory (a university hospital's national reference centre) and the industry study's own
# certified host. Each is the sponsor's processor, with its DPA and its rows in the annex.
IVD = ROOT / "examples" / "research-ivd-performance.yaml"
CU = ROOT / "examples" / "research-convention-unique.yaml"
REFERENCE_LAB = "Centre hospitalier universitaire de Lyon-Confluence"


@pytest.mark.parametrize(
    ("example", "sponsor", "party"),
    [(IVD, "serenia", "chu-lyon-confluence"), (CU, "heliance", "santelia")],
)
def test_the_new_party_is_the_sponsors_processor_with_its_dpa(
    capsys: pytest.CaptureFixture[str], example: Path, sponsor: str, party: str
) -> None:
    assert run_cli("assess", example, "--json", "--lang", "fr") == 0
    result = json.loads(capsys.readouterr().out)
    assert {"kind": "dpa", "parties": [sponsor, party]} in result["document_set"]
    assert result["roles"][party] == ["processor"]
    assert [f["code"] for f in result["findings"] if f["severity"] != "info"] == []


@pytest.fixture(scope="module")
def new_parties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("new-parties")
    for example in (IVD, CU):
        for edition in ("fr", "bilingual"):
            target = out / f"{example.stem}-{edition}"
            assert run_cli("build", example, "--out", target, "--lang", edition) == 0
    return out


def test_the_reference_laboratory_has_its_place(new_parties: Path) -> None:
    out = new_parties / "research-ivd-performance-fr"
    annex = _flat(next(out.glob("annexe-*.docx")))
    # Table 1: its row; Table 2: the coded aliquots it receives and the results it returns.
    assert f"{REFERENCE_LAB}, 18 quai Rambaud, 69002 Lyon (France) sous-traitant " in annex
    aliquots = (
        f"Centre hospitalier régional Loire-Océan {REFERENCE_LAB} envoi des aliquotes codées"
        " des échantillons discordants, avec un bordereau papier"
    )
    assert aliquots in annex
    assert f"{REFERENCE_LAB} Biostatim Data Services résultats codés de la méthode de" in annex
    assert f"{REFERENCE_LAB} agit en qualité de sous-traitant du Promoteur" in annex
    # The study's host hosts the data except as Table 2 says (the laboratory's own host).
    assert "Sauf indication contraire au Tableau 2 – Flux de données, les Données sont" in annex
    dpa = _flat(next(out.glob("*-lyon-confluence-fr.docx")))
    assert "des tâches suivantes : réception et enregistrement, sous leur seul code" in dpa
    assert "Codage des données des participants" not in dpa  # not a site's
    # Annex I: its two parties only; Annex IV: its certified host.
    annex_i = dpa[dpa.index("Annexe I – Liste des Parties") : dpa.index("Annexe II –")]
    assert "Sérénia Diagnostics" in annex_i and REFERENCE_LAB in annex_i
    assert "Biostatim" not in annex_i and "Bretagne-Ouest" not in annex_i
    assert "Rhodanis Santé, 27 rue Garibaldi, 69003 Lyon" in dpa
    assert "Certifié HDS" in dpa


def test_the_sponsors_host_has_its_place(new_parties: Path) -> None:
    out = new_parties / "research-convention-unique-fr"
    annex = _flat(next(out.glob("annexe-*.docx")))
    assert "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant " in annex
    assert "Clinactis Santélia Cloud jeux de données codés de la recherche" in annex
    dpa = _flat(next(out.glob("*-santelia-cloud-fr.docx")))
    # A provider of the sponsor: its own tasks, its own operations, volume and retention.
    assert "des tâches suivantes, que celui-ci lui confie pour la recherche : l'hébergement" in dpa
    assert "au moins vingt-cinq ans après la fin de l'essai. Au terme des Prestations" in dpa
    # Its DPA is its hosting contract: the certificate, every activity its own.
    assert "Les Données de santé sont hébergées par Santélia Cloud, hébergeur de données" in dpa
    assert "(activité 1) : le Sous-traitant" in dpa
    assert "tient lieu de contrat d'hébergement des Données de santé" in dpa
    assert "Aucun Sous-traitant ultérieur n'est autorisé à la date de signature" in dpa
    assert "Comptes eCRF individuels" not in dpa  # the sites' and the CRO's measure
    annex_i = dpa[dpa.index("Annexe I – Liste des Parties") : dpa.index("Annexe II –")]
    assert "Laboratoires Héliance" in annex_i and "Clinactis" not in annex_i
    # The CRO still engages it as the eCRF's host, under the CRO's own contract.
    cro = _flat(next(out.glob("*-clinactis-fr.docx")))
    assert "Le contrat d'hébergement conclu par le Sous-traitant avec Santélia Cloud" in cro
    # The CHU's description: the host is among the structures, and the sponsor processes
    # what its host receives for it.
    description = _flat(next(out.glob("description-*.docx")))
    structures = description[description.index("Tableau 1 – Structures") :]
    assert (
        "Laboratoires Héliance, 24 avenue Jean-Jaurès, 69007 Lyon (France) promoteur et"
        " responsable du traitement déclarations d'événements indésirables graves et"
        " informations de suivi, codées ; et jeux de données codés de la recherche"
    ) in structures
    assert "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant" in structures
    assert "aucune Donnée ne lui est transmise" not in structures


@pytest.mark.parametrize(
    ("example", "file", "sponsor_name"),
    [
        ("research-ivd-performance", "*-lyon-confluence-fr-en.docx", "Sérénia Diagnostics"),
        ("research-convention-unique", "*-santelia-cloud-fr-en.docx", "Laboratoires Héliance"),
    ],
)
def test_the_new_dpas_read_in_english_too(
    new_parties: Path, example: str, file: str, sponsor_name: str
) -> None:
    dpa = _flat(next((new_parties / f"{example}-bilingual").glob(file)))
    assert "The Controller has engaged the Processor to provide the following services: the" in dpa
    assert sponsor_name in dpa
    # The reference laboratory and the sponsor's host are providers with their own tasks.
    assert "of the following tasks" in dpa


def test_the_new_processors_receive_coded_data_only(tmp_path: Path) -> None:
    """Were the study's data to hold identities (kept at the sites), the reference laboratory,
    which receives coded aliquots only, would still receive none: only its categories."""
    data = yaml.safe_load(IVD.read_text(encoding="utf-8"))
    data["processing"]["data_categories"] += ["identification", "contact"]
    out = _build(data, tmp_path / "ivd", "fr")
    lab = _flat(next(out.glob("*-lyon-confluence-fr.docx")))
    site = _flat(next(out.glob("*-bretagne-ouest-fr.docx")))
    for label in ("données d'identification", "coordonnées"):
        assert label in site, label
        assert label not in lab.split("Annexe II – Description du traitement")[1], label
    assert "données concernant la santé" in lab


# --- a trial's providers: central laboratory, central reader, Holter core laboratory --------

DRUG = ROOT / "examples" / "research-drug-trial.yaml"
DEVICE = ROOT / "examples" / "research-device-investigation.yaml"
# Each provider: its example, its sponsor, its CRO, its id, its name and the start of its first
# task, as its DPA states its services.
PROVIDERS = {
    "centralys": (
        DRUG,
        "orvenia",
        "Medrion Clinical",
        "Centralys Biologie Clinique",
        {
            "fr": "fourniture aux centres des kits de prélèvement",
            "en": "supply to the sites of sample collection kits",
        },
    ),
    "endoread": (
        DRUG,
        "orvenia",
        "Medrion Clinical",
        "EndoRead Europe",
        {
            "fr": "mise à disposition des centres d'une plateforme sécurisée de dépôt des vidéos",
            "en": "provision to the sites of a secure platform for uploading the coded",
        },
    ),
    "rythmia": (
        DEVICE,
        "vectoris",
        "Clinivia Recherche",
        "Rythmia Core Lab",
        {
            "fr": "mise à disposition des centres d'une plateforme sécurisée de dépôt des"
            " enregistrements Holter",
            "en": "provision to the sites of a secure platform for uploading the coded seven-day"
            " Holter recordings",
        },
    ),
}
SITES = {
    DRUG: (
        "Centre hospitalier universitaire de Picardie-Somme",
        "Groupe hospitalier Saint-Aubert",
        "Centre hospitalier universitaire de l'Adour",
    ),
    DEVICE: ("Centre hospitalier universitaire Alpes-Dauphiné", "Hospices civils de la Saône"),
}
DPA = {"fr": "accord-sous-traitance-", "en": "data-processing-agreement-"}
# Article 4's sentence listing the categories of data, up to the next one.
CATEGORIES = {
    "fr": ("Les Données relèvent des catégories suivantes :", "Ces Données comprennent"),
    "en": ("The Personal Data fall within the following categories:", "The Personal Data include"),
}
# Annex II's nature of the operations, up to the next row.
NATURE = {
    "fr": ("Nature des opérations", "Personnes concernées"),
    "en": ("Nature of the operations", "Data subjects"),
}
# The CRO keeping the case report form hands each site its copy: a CRO's duty, no provider's.
CRF_COPY = {
    "fr": "Avant toute suppression, le Sous-traitant remet à chaque centre investigateur",
    "en": "Before any deletion, the Processor shall deliver to each investigational site",
}


@pytest.fixture(scope="module")
def trials(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[Path, str], dict[str, str]]:
    """The drug trial and the device investigation, built in French and English (English as a
    draft: their public hospitals contract in French), each document read flat by file name."""
    out = tmp_path_factory.mktemp("providers")
    built = {}
    for example in (DRUG, DEVICE):
        for lang in ("fr", "en"):
            folder = out / f"{example.stem}-{lang}"
            assert run_cli("build", example, "--out", folder, "--lang", lang, "--draft") == 0
            built[example, lang] = {p.name: _flat(p) for p in folder.glob("*.docx")}
    return built


def _document(texts: dict[str, str], prefix: str) -> str:
    (name,) = [n for n in texts if n.startswith(prefix)]
    return texts[name]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_each_provider_is_a_processor_with_its_dpa(
    capsys: pytest.CaptureFixture[str], provider: str
) -> None:
    example, sponsor, *_ = PROVIDERS[provider]
    run_cli("assess", example, "--json")  # the drug trial's English edition is blocked
    result = json.loads(capsys.readouterr().out)
    assert ["dpa", [sponsor, provider]] in [
        [d["kind"], d["parties"]] for d in result["document_set"]
    ]
    assert result["roles"][provider] == ["processor"]
    severe = {f["code"] for f in result["findings"] if f["severity"] != "info"}
    assert severe <= {"FRENCH_REQUIRED"}, severe


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_providers_dpa_describes_its_own_processing(
    trials: dict[tuple[Path, str], dict[str, str]], provider: str, lang: str
) -> None:
    example, _, cro, name, task = PROVIDERS[provider]
    texts = trials[example, lang]
    slug = name.lower().replace(" ", "-")
    dpa = _document(texts, DPA[lang] + slug)
    services = {"fr": "des tâches suivantes : ", "en": "of the following tasks: "}[lang]
    assert services + task[lang] in dpa
    # Its two parties only: neither the CRO, nor a site, nor another provider — but as the
    # senders and recipients of its flows, in Annex II's nature of the operations.
    nature, subjects = NATURE[lang]
    before, rest = dpa.split(nature, 1)
    outside_flows = before + rest.split(subjects, 1)[1]
    for other in (cro, *SITES[example], *(p[3] for p in PROVIDERS.values() if p[3] != name)):
        assert other not in outside_flows, other
    start, end = CATEGORIES[lang]
    categories = dpa.split(start, 1)[1].split(end, 1)[0]
    health = {"fr": "données concernant la santé", "en": "data concerning health"}[lang]
    assert health in categories
    coded_only = {
        "fr": ("données d'identification", "coordonnées", "NIR", "consommation de tabac"),
        "en": ("identification data", "contact details", "NIR", "smoking"),
    }[lang]
    genetic = {"fr": "données génétiques", "en": "genetic data"}[lang]
    for word in coded_only:
        assert word not in categories, word
    assert (genetic in categories) is (provider == "centralys")  # only the lab genotypes
    assert CRF_COPY[lang] not in dpa
    assert CRF_COPY[lang] in _document(texts, DPA[lang] + cro.lower().replace(" ", "-"))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_the_annex_places_each_provider(
    trials: dict[tuple[Path, str], dict[str, str]], provider: str, lang: str
) -> None:
    example, _, cro, name, _ = PROVIDERS[provider]
    annex = _document(trials[example, lang], {"fr": "annexe-rgpd", "en": "protocol-gdpr"}[lang])
    processor = {"fr": "sous-traitant", "en": "processor"}[lang]
    parties = {
        "centralys": "Centralys Biologie Clinique, 18 avenue Tony-Garnier, 69007 Lyon (France)",
        "endoread": {
            "fr": "EndoRead Europe, avenue Ariane 7, 1200 Bruxelles (Belgique)",
            "en": "EndoRead Europe, avenue Ariane 7, 1200 Bruxelles (Belgium)",
        }[lang],
        "rythmia": "Rythmia Core Lab, 33 avenue de la Marne, 33700 Mérignac (France)",
    }
    assert f"{parties[provider]} {processor} " in annex  # Table 1
    for site in SITES[example]:  # Table 2: each site sends it coded data...
        assert f"{site} {name} " in annex, site
    assert f"{name} {cro} " in annex  # ... and it sends its coded results to the CRO


def test_a_convention_describes_the_providers_operations(
    trials: dict[tuple[Path, str], dict[str, str]],
) -> None:
    description = _document(
        trials[DRUG, "fr"],
        "description-traitements-convention-unique-centre-hospitalier-"
        "universitaire-de-picardie-somme",
    )
    # Table 1 of the structures: the laboratory's data received and its own tasks.
    assert (
        "Centralys Biologie Clinique, 18 avenue Tony-Garnier, 69007 Lyon (France) sous-traitant"
        " échantillons sanguins et de selles codés"
    ) in description
    assert PROVIDERS["centralys"][4]["fr"] in description


def test_a_provider_given_no_data_receives_the_studys_coded_data() -> None:
    data = yaml.safe_load(DRUG.read_text(encoding="utf-8"))
    answers = Answers.model_validate(data)
    assert data_categories_of(answers, "endoread") == [
        DataCategory.HEALTH,
        DataCategory.PROFESSIONAL,
    ]
    data["processing"]["data_categories"].append("identification")
    for provider in data["research"]["providers"]:
        del provider["data_categories"], provider["other_data_categories"]
    answers = Answers.model_validate(data)
    # The study's categories but those naming a participant; its words, not the reader's own.
    assert data_categories_of(answers, "endoread") == [
        DataCategory.HEALTH,
        DataCategory.GENETIC,
        DataCategory.ETHNIC_ORIGIN,
        DataCategory.PERSONAL_LIFE,
        DataCategory.PROFESSIONAL,
    ]
    assert other_data_categories_of(answers, "endoread") == answers.processing.other_data_categories


# What a provider's DPA must not take from the study: its other purposes, the CRO's and the
# sites' work, the sites' eCRF users, matching of data.
STUDY_ONLY = {
    DRUG: {
        "fr": (
            "EudraVigilance",
            "Le personnel des centres saisit",
            "membres du personnel des centres utilisant l'eCRF",
            "rapprochement ou interconnexion",
        ),
        "en": (
            "EudraVigilance",
            "Site staff enter",
            "site staff using the eCRF",
            "alignment or combination",
        ),
    },
    DEVICE: {
        "fr": (
            "Le personnel des centres saisit",
            "rapprochement ou interconnexion",
            "investigateurs et personnel des centres investigateurs",
        ),
        "en": ("Site staff enter", "alignment or combination", "investigators and site staff"),
    },
}


# rv1 M2: each provider's own certified host, as its answers' sub-processor gives it.
HOSTS = {
    "centralys": ("Rhodanis Santé Hébergement", "HDS-2027-1187", {"fr": "France", "en": "France"}),
    "endoread": ("Nubelia Cloud", "HDS-2025-0263", {"fr": "Belgique", "en": "Belgium"}),
    "rythmia": ("Garonne Data Santé", "HDS-2025-0958", {"fr": "France", "en": "France"}),
}
CRO_HOSTS = ("Datavance Clinical", "Santéval Cloud")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_providers_purposes_nature_and_subjects_are_its_own(
    trials: dict[tuple[Path, str], dict[str, str]], provider: str, lang: str
) -> None:
    """rv1 M1: its tasks as purposes, its operations and the flows it receives or sends as
    nature, the participants (and the site staff it names) as data subjects."""
    example, _, cro, name, task = PROVIDERS[provider]
    dpa = _document(trials[example, lang], DPA[lang] + name.lower().replace(" ", "-"))
    for words in STUDY_ONLY[example][lang]:
        assert words not in dpa, words
    purposes = {
        "fr": "que celui-ci lui confie pour la recherche : ",
        "en": "which the Controller entrusts to it for the research: ",
    }[lang]
    assert purposes + task[lang] in dpa  # Article 4
    annex = {
        "fr": "Finalités la réalisation des tâches décrites à la rubrique « Objet des",
        "en": 'Purposes the performance of the tasks described under "Subject-matter of the',
    }[lang]
    assert annex in dpa
    flows = {
        "fr": "ne reçoit et n'adresse de Données que par les flux suivants",
        "en": "receives and sends Personal Data only through the following flows",
    }[lang]
    assert flows in dpa
    sent = {
        "fr": f"expéditeur : {name} ; destinataire : {cro}",
        "en": f"sender: {name}; recipient: {cro}",
    }[lang]
    assert sent in dpa
    sites = " et ".join(SITES[example]) if lang == "fr" else " and ".join(SITES[example])
    if len(SITES[example]) > 2:
        sites = (
            sites.replace(" et ", ", ", len(SITES[example]) - 2)
            if lang == "fr"
            else (sites.replace(" and ", ", ", len(SITES[example]) - 2))
        )
    assert sites in dpa  # the sites sending it data, named once
    participants = {
        "fr": "participants à la recherche et personnel des centres",
        "en": "research participants and site staff",
    }[lang]
    assert participants in dpa


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("example", "sponsor", "providers_data"),
    [
        (
            DRUG,
            "Laboratoires Orvénia",
            {"fr": ("échantillons sanguins",), "en": ("blood and stool samples",)},
        ),
        (
            DEVICE,
            "Vectoris Medical",
            {"fr": ("enregistrements Holter de sept jours",), "en": ("seven-day Holter",)},
        ),
    ],
)
def test_a_conventions_sponsor_row_lists_what_reaches_the_sponsor(
    trials: dict[tuple[Path, str], dict[str, str]],
    example: Path,
    sponsor: str,
    providers_data: dict[str, tuple[str, ...]],
    lang: str,
) -> None:
    """rv1 M3: what the sponsor's laboratory or reader receives from the sites (samples, raw
    recordings) is not the sponsor's; what they deliver to it at database lock is."""
    texts = trials[example, lang]
    prefix = {"fr": "description-traitements", "en": "convention-unique-processing"}[lang]
    descriptions = [t for n, t in texts.items() if n.startswith(prefix)]
    assert descriptions
    role = {"fr": "promoteur et responsable du traitement", "en": "sponsor and controller"}[lang]
    for description in descriptions:
        row = description.split(f" (France) {role} ", 1)[1]
        received = row.split({"fr": " détermine ", "en": " determines "}[lang], 1)[0]
        for words in providers_data[lang]:
            assert words not in received, (words, received)
        assert {"fr": "jeux de données", "en": "datasets"}[lang] in received


def test_the_reference_laboratory_is_a_health_establishment(new_parties: Path) -> None:
    """rv2 MAJOR 1 and 2: the CHU's laboratory describes its own processing, and is treated
    as the health establishment it is: its statutory insurance, its own incident reports,
    paper forms and the eCRF outside its charge, its information system's providers, deletion
    without return."""
    fr = _flat(
        next((new_parties / "research-ivd-performance-fr").glob("*-lyon-confluence-fr.docx"))
    )
    both = _flat(
        next((new_parties / "research-ivd-performance-bilingual").glob("*-lyon-confluence-*.docx"))
    )
    for dpa, lang in ((fr, "fr"), (both, "en")):
        expected = {
            "fr": (
                "patients et membres du personnel du Sous-traitant qui saisissent ses résultats",
                "une centaine d'échantillons discordants",
                "code d'étude, type d'échantillon et mois du prélèvement",
                "prévue à l'article L. 1142-2 du Code de la santé publique",
                "Le Sous-traitant effectue toutefois lui-même les signalements que l'article L."
                " 1111-8-2",
                "Les Données conservées sur support papier le sont sous clé",
                "ne restitue pas les Données : il les supprime",
                "opérations nécessaires à leur suppression dans les conditions",
                "aux prestataires de son système d'information et de ses services d'archives",
            ),
            "en": (
                "patients and members of the Processor's staff entering its results",
                "about a hundred discordant samples",
                "study code, sample type and month of sampling",
                "required by Article L. 1142-2 of the French Public Health Code",
                "The Processor shall nevertheless itself make the reports that Article L. 1111-8-2",
                "Personal Data held on paper are kept under lock",
                "shall not return the Personal Data: it shall delete them",
                "save for the operations needed to delete them under",
                "the providers of its information system and of its archive services",
            ),
        }[lang]
        for words in expected:
            assert words in dpa, words
        absent = {
            "fr": (
                "1 800",
                "tranche d'âge",
                "notoirement solvable",
                "format ouvert",
                "notamment la table de correspondance",
                "rapprochement ou interconnexion",
            ),
            "en": (
                "1,800",
                "age group",
                "reputable insurer",
                "open, commonly used and machine-readable",
                "in particular the key table",
                "alignment or combination",
            ),
        }[lang]
        for words in absent:
            assert words not in dpa, words


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_providers_dpa_describes_its_own_certified_host(
    trials: dict[tuple[Path, str], dict[str, str]], provider: str, lang: str
) -> None:
    example, _, _, name, _ = PROVIDERS[provider]
    dpa = _document(trials[example, lang], DPA[lang] + name.lower().replace(" ", "-"))
    host, certificate, country = HOSTS[provider]
    expected = {
        "fr": (
            "Article 10 – Hébergement des Données de santé",
            f"Les Données de santé sont hébergées par {host}, hébergeur de données de santé"
            f" certifié (certificat HDS n° {certificate}, valable jusqu'au",
            f"(activité 1) : {host} ;",
            f"(activité 6) : {host}.",
            f"Elles sont stockées dans le pays suivant : {country[lang]}.",
            "Aucun accès à distance de cette nature n'a lieu sans l'autorisation écrite",
            f"Le contrat d'hébergement conclu par le Sous-traitant avec {host} comporte les"
            " mentions exigées par l'article R. 1111-11",
            f"Hébergement {host}, hébergeur de données de santé certifié : certificat HDS n°"
            f" {certificate}",  # Annex II
        ),
        "en": (
            "10 Hosting of Health Data",
            f"The Health Data are hosted by {host}, a certified health-data host (HDS"
            f" certificate No. {certificate}, valid until",
            f"(activity 1): {host};",
            f"(activity 6): {host}.",
            f"They are stored in the following country: {country[lang]}.",
            "No such remote access shall take place without the Controller's prior written",
            f"The hosting contract between the Processor and {host} shall contain the"
            " particulars required by Article R. 1111-11",
            f"Hosting {host}, certified health-data host (HDS): HDS certificate No. {certificate}",
        ),
    }[lang]
    for text in expected:
        assert text in dpa, text
    hosted_by = {"fr": "Les Données de santé sont hébergées par", "en": "are hosted by"}[lang]
    for other in CRO_HOSTS:  # the CRO's host is not the provider's
        assert f"{hosted_by} {other}" not in dpa, other


def test_the_reference_laboratorys_dpa_describes_its_host(new_parties: Path) -> None:
    dpa = _flat(
        next((new_parties / "research-ivd-performance-fr").glob("*-lyon-confluence-fr.docx"))
    )
    assert (
        "Les Données de santé sont hébergées par Rhodanis Santé, hébergeur de données de santé"
        " certifié (certificat HDS n° HDS-2027-0876"
    ) in dpa
    assert "Le contrat d'hébergement conclu par le Sous-traitant avec Rhodanis Santé" in dpa
    assert "Biostatim Data Services, hébergeur" not in dpa  # the CRO's host


# rv1 M2 (end): a processor established in another member State answers to its authority too.
AUTHORITY = {
    "fr": (
        "Le Sous-traitant coopère avec la CNIL, autorité de contrôle chef de file du traitement"
        " mis en œuvre par le Responsable du traitement, ainsi qu'avec l'autorité de contrôle de"
        " l'État où il est établi, l'Autorité de protection des données"
        " (Gegevensbeschermingsautoriteit), autorité de contrôle concernée par ce traitement"
        " (article 4, point 22, et considérant 36 du RGPD), à la demande de chacune d'elles",
        "Le Sous-traitant coopère avec la CNIL, à la demande de celle-ci",
    ),
    "en": (
        "The Processor shall cooperate, on request, with the CNIL, lead supervisory authority"
        " for the processing carried out by the Controller, and with the supervisory authority"
        " of the State where the Processor is established, the Belgian Data Protection Authority"
        " (Autorité de protection des données), a supervisory authority concerned by that"
        " processing (Article 4(22) and Recital 36 of the GDPR) in the performance of their"
        " tasks",
        "The Processor shall cooperate, on request, with the CNIL in the performance of its tasks",
    ),
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_processor_in_belgium_cooperates_with_its_own_authority_too(
    trials: dict[tuple[Path, str], dict[str, str]], lang: str
) -> None:
    texts = trials[DRUG, lang]
    both, cnil_only = AUTHORITY[lang]
    endoread = _document(texts, DPA[lang] + "endoread-europe")
    assert both in endoread
    assert cnil_only not in endoread
    centralys = _document(texts, DPA[lang] + "centralys-biologie-clinique")  # in France
    assert cnil_only in centralys
    assert "Gegevensbeschermingsautoriteit" not in centralys


# rv2 MAJOR 4: the sponsor's host is also the CRO's sub-processor for the eCRF.
ECRF_HOSTING = {
    "fr": "hébergement de l'eCRF Clinactis EDC et de ses sauvegardes chiffrées dans deux"
    " centres de données situés en France",
    "en": "hosting of the Clinactis EDC eCRF and its encrypted backups in two data centres in"
    " France",
}


def test_the_sponsors_host_shows_both_its_roles(new_parties: Path) -> None:
    out = new_parties / "research-convention-unique-fr"
    ecrf = ECRF_HOSTING["fr"]
    annex = _flat(next(out.glob("annexe-*.docx")))
    assert (
        "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant du promoteur"
        f" et sous-traitant ultérieur de Clinactis ({ecrf})"
    ) in annex  # Table 1
    assert (
        f"correspondance. Sous-traitant ultérieur de Clinactis ({ecrf}) : agit à ce titre sur"
        " les seules instructions de Clinactis"
    ) in annex  # Table 3
    assert (
        "Santélia Cloud est en outre sous-traitant ultérieur de Clinactis pour la prestation"
        f" suivante : {ecrf} ; cette prestation relève du contrat qui les lie"
    ) in annex  # its section
    description = _flat(next(out.glob("description-*.docx")))
    structures = description[description.index("Tableau 1 – Structures") :]
    assert (
        "Santélia Cloud, 40 rue de la Villette, 69003 Lyon (France) sous-traitant du Promoteur"
        " et sous-traitant ultérieur de Clinactis"
    ) in structures
    assert (
        "pour le compte de Clinactis, en qualité de sous-traitant ultérieur : " + ecrf
    ) in structures
    # Its data: those it hosts for the CRO (the eCRF's), then those it keeps for the sponsor.
    assert (
        "sous-traitant ultérieur de Clinactis données codées de la recherche, réponses aux"
        " questionnaires de qualité de vie et événements indésirables ; et jeux de données codés"
    ) in structures
    assert (
        "Le Promoteur recourt également, en qualité de sous-traitants, aux prestataires"
        " suivants, en vertu de contrats conclus avec lui conformément à l'article 28 du RGPD,"
        " auxquels l'Établissement n'est pas partie : Santélia Cloud, sous-traitant du Promoteur"
        f" et sous-traitant ultérieur de Clinactis ({ecrf}) en vertu du contrat qui les lie"
    ) in description
    dpa = _flat(next(out.glob("*-santelia-cloud-fr.docx")))
    assert (
        f"Prestations hors de l'Accord {ecrf} : le Sous-traitant y procède en qualité de"
        " sous-traitant ultérieur de Clinactis ; cette prestation relève du contrat conclu avec"
        " Clinactis, et non de l'Accord"
    ) in dpa
    # The CRO's own DPA and its other processors show no such row.
    cro = _flat(next(out.glob("*-clinactis-fr.docx")))
    assert "Prestations hors de l'Accord" not in cro


def test_the_sponsors_host_shows_both_its_roles_in_english(new_parties: Path) -> None:
    out = new_parties / "research-convention-unique-bilingual"
    ecrf = ECRF_HOSTING["en"]
    annex = _flat(next(out.glob("annexe-*.docx")))
    assert f"processor of the sponsor and sub-processor of Clinactis ({ecrf})" in annex
    assert (
        f"Sub-processor of Clinactis ({ecrf}): acts in that capacity only on the instructions"
        " of Clinactis"
    ) in annex
    assert (
        f"It is also a sub-processor of Clinactis for the following service: {ecrf}; that"
        " service falls under the contract between them"
    ) in annex
    description = _flat(next(out.glob("description-*.docx")))
    assert "processor of the Sponsor and sub-processor of Clinactis" in description
    assert f"on behalf of Clinactis, as its sub-processor: {ecrf}" in description
    assert (
        f"Santélia Cloud, the Sponsor's processor and a sub-processor of Clinactis ({ecrf})"
        " under the contract between them"
    ) in description
    dpa = _flat(next(out.glob("*-santelia-cloud-fr-en.docx")))
    assert (
        f"{ecrf}: the Processor performs it as a sub-processor"
        " of Clinactis; that service falls under the contract made with Clinactis, not under"
        " this Agreement"
    ) in dpa
