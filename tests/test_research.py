"""Research: the route and its reasoning, the roles, the documents due, the contradictions."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import AGREEMENTS, ALL_DOCUMENTS, ROOT, Case, answers_with, docx_text, run_cli

from generator.answers.model import Answers, Language, Route
from generator.legal.assessment import DocumentKind, Severity, assess
from generator.legal.findings import Finding
from generator.library.load import default_library
from generator.library.messages import Messages
from generator.library.plan import slug

STUDY = """\
format_version: 1
language: fr
parties:
  - id: chu
    name: CHU de Test
    legal_form: établissement public de santé
    address: 1 rue de la Santé, 37000 Tours
    signatory: {name: Marie Durand, title: Directrice générale}
    dpo: {name: Jean Petit, email: dpo@chu-test.fr}
    roles: [sponsor, investigating_centre]
  - id: ch-nord
    name: Centre hospitalier du Nord
    legal_form: établissement public de santé
    address: 2 rue du Nord, 59000 Lille
    signatory: {name: Paul Nord, title: Directeur}
    dpo: {name: Anne Nord, email: dpo@ch-nord.fr}
    roles: [investigating_centre]
  - id: cro
    name: Data CRO
    legal_form: SAS
    address: 3 rue des Études, 75010 Paris
    signatory: {name: Luc Martin, title: Président}
    dpo: {name: Eva CRO, email: dpo@datacro.fr}
    roles: [cro]
processing:
  subject_matter: gestion des données de l'étude OBSERVA
  purposes: [évaluer le parcours de soins des patients insuffisants cardiaques]
  operations: [collection, recording, storage, consultation]
  data_subjects: [research_participants]
  data_categories: [health]
  duration: durée de l'étude
  retention: deux ans après la dernière publication, puis archivage
security_measures:
  - {category: encryption, description: Chiffrement AES-256}
  - {category: authentication, description: Authentification à deux facteurs}
options:
  courts: tribunal administratif d'Orléans
signature:
  place: Tours
research:
  title: Parcours de soins dans l'insuffisance cardiaque
  acronym: OBSERVA
  sponsor: chu
  coordinating_investigator: {name: Pr Claire Martin, centre: chu}
  cros:
    - party: cro
      tasks: [data management, analyses statistiques]
  centres: [chu, ch-nord]
  internal: {care_data: true, own_team: false, exclusive_use: false}
  involves_human_person: true
  riph_category: 3
  participation: non_opposition
  data_flows:
    - source: ch-nord
      recipient: cro
      data: données cliniques codées
      pseudonymised: true
      means: ecrf
      storage: eCRF hébergé chez un hébergeur certifié
      hds: true
  lawful_basis: public_interest
  retention:
    active: jusqu'à deux ans après la dernière publication
    archive: vingt ans en archivage intermédiaire
  intended_route: MR-003
  dpia_reference: AIPD-2027-04
"""


def _study(**changes: Any) -> Answers:
    return answers_with(STUDY, **changes)


def _codes(answers: Answers) -> dict[str, Severity]:
    return {f.code: f.severity for f in assess(answers).findings}


def test_observational_study_takes_mr_003() -> None:
    result = assess(_study())
    assert result.research_route == "MR-003"
    assert not result.blockers
    codes = {f.code for f in result.findings}
    assert {"METHODOLOGY", "RIPH_CPP", "PARTICIPATION"} <= codes
    methodology = next(f for f in result.findings if f.code == "METHODOLOGY")
    assert methodology.values["route"] is Route.MR_003
    assert "Loi 78-17 art. 73" in methodology.articles


def test_roles_follow_who_wrote_the_protocol() -> None:
    roles = assess(_study()).roles
    assert roles["chu"] == ("sponsor", "investigating_centre", "controller")
    assert roles["ch-nord"] == ("investigating_centre", "processor")
    assert roles["cro"] == ("cro", "processor")
    joint = assess(_study(research__protocol_drafted_by="sponsor_and_centres")).roles
    assert "joint_controller" in joint["chu"] and "joint_controller" in joint["ch-nord"]
    assert joint["cro"] == ("cro", "processor")


def test_documents_due_follow_the_roles() -> None:
    sponsor_alone = assess(_study()).documents
    # The pack of a non-objection study: the sponsor's notice and poster, the record entries
    # of the sponsor and of each of its processors, the DPIA outline.
    pack = [
        (DocumentKind.INFORMATION_NOTICE, ("chu",)),
        (DocumentKind.INFORMATION_POSTER, ("chu",)),
    ]
    assert [(d.kind, d.parties) for d in sponsor_alone] == [
        (DocumentKind.PROTOCOL_ANNEX, ("chu",)),
        (DocumentKind.DPA, ("chu", "cro")),
        (DocumentKind.DPA, ("chu", "ch-nord")),
        *pack,
        (DocumentKind.PROCESSING_RECORD, ("chu",)),
        (DocumentKind.DPIA, ("chu",)),
    ]
    assert assess(_study()).processors == ("cro", "ch-nord")  # the record's entries
    together = assess(_study(research__protocol_drafted_by="sponsor_and_centres")).documents
    assert [(d.kind, d.parties) for d in together] == [
        (DocumentKind.PROTOCOL_ANNEX, ("chu",)),
        (DocumentKind.JOINT_CONTROLLERS, ("chu", "ch-nord")),
        (DocumentKind.DPA, ("chu", "cro")),
        *pack,
        (DocumentKind.PROCESSING_RECORD, ("chu",)),
        (DocumentKind.DPIA, ("chu",)),
    ]
    # The centre is no processor now: the record holds no entry of it.
    assert assess(_study(research__protocol_drafted_by="sponsor_and_centres")).processors == (
        "cro",
    )


@pytest.mark.parametrize(
    ("changes", "route"),
    [
        (
            {
                "research__riph_category": 1,
                "research__participation": "written_consent",
                "research__intended_route": None,
            },
            "MR-001",
        ),
        (
            {
                "research__riph_category": 3,
                "research__genetic_testing": True,
                "research__participation": "express_consent",
                "research__intended_route": None,
            },
            "MR-001",
        ),
        (
            {
                "research__involves_human_person": False,
                "research__riph_category": None,
                "research__ivd_performance_study": True,
                "research__participation": None,
                "research__intended_route": None,
            },
            "MR-002",
        ),
        (
            {
                "research__involves_human_person": False,
                "research__riph_category": None,
                "research__reuses_existing_data_only": True,
                "research__participation": None,
                "research__intended_route": None,
            },
            "MR-004",
        ),
        ({"research__snds_linkage": True, "research__intended_route": None}, "authorisation"),
        ({"research__nir_used": True, "research__intended_route": None}, "authorisation"),
        (
            {"research__identifying_data_leave_centres": True, "research__intended_route": None},
            "authorisation",
        ),
    ],
)
def test_route_follows_the_facts(changes: dict[str, Any], route: str) -> None:
    result = assess(_study(**changes))
    assert result.research_route == route
    assert not result.blockers, [_words(f) for f in result.blockers]


def test_mr_004_adds_the_health_data_hub_directory_cautiously() -> None:
    result = assess(
        _study(
            research__involves_human_person=False,
            research__riph_category=None,
            research__reuses_existing_data_only=True,
            research__participation=None,
            research__intended_route="MR-004",
        )
    )
    finding = next(f for f in result.findings if f.code == "HDH_DIRECTORY")
    assert finding.severity is Severity.INFO and "à confirmer" in _words(finding)


def test_authorisation_goes_through_cpp_or_cesrees() -> None:
    riph = assess(_study(research__snds_linkage=True, research__intended_route="authorisation"))
    assert "AUTHORISATION_RIPH" in {f.code for f in riph.findings}
    not_riph = assess(
        _study(
            research__snds_linkage=True,
            research__intended_route=None,
            research__involves_human_person=False,
            research__riph_category=None,
            research__reuses_existing_data_only=True,
            research__participation=None,
        )
    )
    finding = next(f for f in not_riph.findings if f.code == "AUTHORISATION_CESREES")
    assert "Health Data Hub" in _words(finding)
    beyond = next(f for f in not_riph.findings if f.code == "BEYOND_METHODOLOGY")
    assert "SNDS" in _words(beyond)


def test_internal_study() -> None:
    data = yaml.safe_load(STUDY)
    data["parties"] = data["parties"][:1]
    data["research"].update(
        cros=[],
        centres=["chu"],
        data_flows=[],
        involves_human_person=False,
        riph_category=None,
        participation=None,
        reuses_existing_data_only=True,
        intended_route="internal",
        internal={"care_data": True, "own_team": True, "exclusive_use": True},
    )
    result = assess(Answers.model_validate(data))
    assert result.research_route == "internal"
    assert not result.blockers
    assert [d.kind for d in result.documents] == [
        DocumentKind.PROTOCOL_ANNEX,
        DocumentKind.INFORMATION_NOTICE,
        DocumentKind.INFORMATION_POSTER,
        DocumentKind.PROCESSING_RECORD,
        # No DPIA outline: research participants, not patients (research.internal_dpia_required).
    ]
    assert "INTERNAL_STUDY" in {f.code for f in result.findings}


def test_internal_study_whose_data_leave_is_refused() -> None:
    answers = _study(
        research__internal={"care_data": True, "own_team": True, "exclusive_use": True},
        research__intended_route="internal",
    )
    result = assess(answers)
    refused = next(f for f in result.blockers if f.code == "NOT_INTERNAL")
    assert "Data CRO" in _words(refused) and "Centre hospitalier du Nord" in _words(refused)
    assert result.research_route == "MR-003"
    mismatch = next(f for f in result.blockers if f.code == "ROUTE_MISMATCH")
    assert "internal" in _words(mismatch) and "MR-003" in _words(mismatch)


@pytest.mark.parametrize(
    ("changes", "code", "words"),
    [
        (
            {"research__riph_category": 1, "research__participation": "written_consent"},
            "ROUTE_MISMATCH",
            "MR-003 ne couvre pas",
        ),
        (
            {
                "research__riph_category": 3,
                "research__genetic_testing": True,
                "research__intended_route": "MR-001",
            },
            "ROUTE_MISMATCH",
            "consentement",
        ),
        ({"research__snds_linkage": True}, "ROUTE_MISMATCH", "SNDS"),
        (
            {"research__identifying_data_leave_centres": True},
            "ROUTE_MISMATCH",
            "directement identifiantes",
        ),
        (
            {"research__riph_category": 1, "research__intended_route": "MR-001"},
            "PARTICIPATION_MISMATCH",
            "consentement libre, éclairé et écrit",
        ),
    ],
)
def test_contradictions_are_refused_with_a_clear_message(
    changes: dict[str, Any], code: str, words: str
) -> None:
    result = assess(_study(**changes))
    finding = next(f for f in result.blockers if f.code == code)
    assert words in _words(finding), _words(finding)


def test_participation_consent_is_kept_apart_from_the_lawful_basis() -> None:
    finding = next(f for f in assess(_study()).findings if f.code == "PARTICIPATION")
    assert "ne constitue pas la base légale" in _words(finding)
    assert "mission d'intérêt public" in _words(finding)


def test_missing_dpia_is_a_warning() -> None:
    assert _codes(_study(research__dpia_reference=None))["DPIA_REQUIRED"] is Severity.WARNING


def test_flow_to_a_third_country_is_a_transfer() -> None:
    data = yaml.safe_load(STUDY)
    data["research"]["data_flows"][0]["country"] = "US"
    assert _codes(Answers.model_validate(data))["TRANSFER_NO_SAFEGUARD"] is Severity.BLOCKER


def test_unknown_party_id_is_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "study.yaml"
    file.write_text(STUDY.replace("centres: [chu, ch-nord]", "centres: [chu, ch-sud]"), "utf-8")
    assert run_cli("assess", file, "--lang", "en") == 2
    err = capsys.readouterr().err
    line = STUDY.splitlines().index("  centres: [chu, ch-nord]") + 1
    assert f"study.yaml:{line}: research.centres[1]: no party has the id 'ch-sud'" in err


def test_assess_json_gives_the_route(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "study.yaml"
    file.write_text(STUDY, "utf-8")
    assert run_cli("assess", file, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["research_route"] == "MR-003"
    pack = ["information-notice", "information-poster", "processing-record", "dpia"]
    assert result["documents"] == ["protocol-annex", "dpa", *pack]
    assert [d["parties"] for d in result["document_set"]] == [
        ["chu"],
        ["chu", "cro"],
        ["chu", "ch-nord"],
        ["chu"],
        ["chu"],
        ["chu"],  # the record: the sponsor's entries, its processors' among them
        ["chu"],
    ]
    assert result["roles"]["cro"] == ["cro", "processor"]
    assert all(f["articles"] for f in result["findings"])


def test_research_file_builds_every_document(tmp_path: Path) -> None:
    data = yaml.safe_load(STUDY)
    data = copy.deepcopy(data)
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out") == 0
    names = sorted(p.name for p in (tmp_path / "out").glob("*.docx"))  # exports aside
    assert names == [
        "accord-sous-traitance-centre-hospitalier-du-nord-fr.docx",
        "accord-sous-traitance-data-cro-fr.docx",
        "affiche-information-observa-fr.docx",
        "analyse-impact-observa-fr.docx",
        "annexe-rgpd-protocole-observa-fr.docx",
        "note-information-observa-fr.docx",
        "registre-traitements-observa-fr.docx",
    ]


RESEARCH_DOCUMENTS = [d for d in ALL_DOCUMENTS if d.answers.research is not None]


@pytest.mark.parametrize("case", RESEARCH_DOCUMENTS, ids=lambda c: c.name)
def test_research_documents_read_back(demo_dir: Path, case: Case) -> None:
    answers, language, due, name = case.answers, case.language, case.due, case.name
    text = docx_text(demo_dir / name)
    flat = " ".join(text.split())
    route = assess(answers).research_route
    labels = default_library().labels
    if due.kind is DocumentKind.PROTOCOL_ANNEX:
        for clause in default_library().documents["protocol-annex"].clauses:
            if clause.spec.when is None:
                assert clause.spec.title.in_(language) in text, clause.spec.id
        assert labels["Route"][route][language.value] in flat or route in flat
        for flow in answers.research.data_flows:
            assert " ".join(flow.data.split()) in flat
            assert answers.party(flow.recipient).name in flat
        for party_id in {answers.research.sponsor, *answers.research.centres}:
            assert answers.party(party_id).name in flat
    elif due.kind is DocumentKind.JOINT_CONTROLLERS:
        titles = [
            c.spec.title.in_(language)
            for c in default_library().documents["joint-controllers"].clauses
            if c.spec.when is None
        ]
        for title in titles:
            assert title in text
        assert ("26" in flat) and " ".join(answers.research.title.split()) in flat
    elif due.kind is DocumentKind.CONVENTION_UNIQUE:
        for clause in default_library().documents[due.kind.value].clauses:
            if clause.spec.when is None:
                assert clause.spec.title.in_(language) in text, clause.spec.id
        establishment = due.parties[1]
        others = set(answers.research.centres) - {establishment}
        for flow in answers.research.data_flows:  # its own flows, never another centre's
            theirs = {flow.source, flow.recipient} & others
            if theirs:
                assert all(answers.party(c).name not in flat for c in theirs)
            else:
                assert " ".join(flow.data.split()) in flat
        assert answers.party(establishment).name in flat
    else:
        assert " ".join(answers.research.title.split()) in flat


def test_joint_study_with_a_cro_builds_its_arrangement_and_dpa(tmp_path: Path) -> None:
    file = tmp_path / "study.yaml"
    file.write_text(
        STUDY.replace(
            "intended_route: MR-003",
            "intended_route: MR-003\n  protocol_drafted_by: sponsor_and_centres",
        ),
        "utf-8",
    )
    args = ("--out", tmp_path / "out", "--lang", "en", "--only", AGREEMENTS)
    assert run_cli("build", file, *args) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [
        "data-processing-agreement-data-cro-en.docx",
        "joint-controller-arrangement-observa-en.docx",
        "protocol-gdpr-annex-observa-en.docx",
    ]
    dpa = docx_text(tmp_path / "out" / names[0])
    assert '(the "Controller")' in dpa and '(the "Processor")' in dpa


def _words(finding: Finding) -> str:
    """A finding's message as a French build prints it."""
    return Messages(default_library(), Language.FR).text(finding)


def test_a_centre_listed_twice_is_not_a_joint_controller(tmp_path: Path) -> None:
    """The joint-controller rule lives once, in the assessment: the annex reads its result.
    An internal study listing its own hospital twice, with a protocol 'drafted by the sponsor
    and the centres', has one controller; the annex must not speak of joint controllers."""
    data = yaml.safe_load((ROOT / "examples/research-internal-study.yaml").read_text("utf-8"))
    sponsor = data["research"]["sponsor"]
    data["research"]["centres"] = [sponsor, sponsor]
    data["research"]["protocol_drafted_by"] = "sponsor_and_centres"
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    result = assess(Answers.model_validate(data))
    assert result.roles[sponsor] == ("sponsor", "investigating_centre", "controller")
    assert result.joint_controllers == ()
    assert result.documents[0].kind == DocumentKind.PROTOCOL_ANNEX
    assert DocumentKind.JOINT_CONTROLLERS not in [d.kind for d in result.documents]
    for language in ("fr", "en"):
        folder = tmp_path / language
        assert (
            run_cli(
                "build", answers, "--out", folder, "--lang", language, "--only", "protocol-annex"
            )
            == 0
        )
        (document,) = folder.glob("*.docx")
        text = docx_text(document).lower()
        assert "conjoint" not in text and "joint" not in text, document.name


def _example(name: str) -> dict[str, Any]:
    return yaml.safe_load((ROOT / "examples" / f"{name}.yaml").read_text("utf-8"))


def test_the_interview_asks_the_authorisation_reference_when_the_facts_lead_there() -> None:
    """The route is the legal layer's: the question follows the derived route, not only the
    route the user intends."""
    from generator.interview.questions import SPECS

    spec, path = SPECS["research.authorisation_reference"], ("research", "authorisation_reference")
    data = _example("research-snds-authorisation")
    del data["research"]["intended_route"]
    assert spec.applies(data, path)
    data["research"]["authorisation_reference"] = ""  # a question left blank is no answer
    assert spec.applies(data, path)
    observational = _example("research-observational-cro")
    assert not spec.applies(observational, path)
    observational["research"]["intended_route"] = "authorisation"
    assert spec.applies(observational, path)


def test_an_internal_study_of_patients_health_data_requires_its_dpia(tmp_path: Path) -> None:
    """Sensitive data of vulnerable persons: the annex says the DPIA is required (and the
    assessment warns), where it said "recommended"."""
    example = ROOT / "examples" / "research-internal-study.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", "fr") == 0
    (annex,) = tmp_path.glob("annexe-*.docx")
    text = " ".join(docx_text(annex).split())
    assert "relative à la protection des données (« AIPD ») est requise" in text
    assert "est recommandée" not in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_finding_without_a_reason_prints_none(tmp_path: Path, lang: str) -> None:
    """ROUTE_MISMATCH with no particular reason: the message ends with its sentence, with no
    empty reason before the articles (it read "MR-004.  (")."""
    data = yaml.safe_load((ROOT / "examples" / "research-observational-cro.yaml").read_text())
    data["research"]["intended_route"] = "MR-004"
    answers = Answers.model_validate(data)
    findings = [f for f in assess(answers).findings if f.code == "ROUTE_MISMATCH"]
    assert findings and findings[0].values["reason"] is None
    line = Messages(default_library(), Language(lang)).line(findings[0])
    law = " (loi n° 78-17" if lang == "fr" else " (Law 78-17"
    assert "  " not in line.strip() and law in line and ". (" in line


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_sites_dpa_is_a_sites(tmp_path: Path, lang: str) -> None:
    """Issue 13 item 1: a centre codes and keeps the key table and source documents; identities
    never leave it; it answers medical-record requests alone; at the end it archives and
    deletes working copies, returning nothing. The CRO's DPA keeps return and deletion."""
    example = ROOT / "examples" / "research-observational-cro.yaml"
    # English alone is refused with the public hospitals: read as a draft.
    assert run_cli("build", example, "--out", tmp_path, "--lang", lang, "--draft") == 0
    prefix = "accord-sous-traitance" if lang == "fr" else "data-processing-agreement"
    site = " ".join(
        docx_text(tmp_path / f"{prefix}-centre-hospitalier-de-blois-sologne-{lang}.docx").split()
    )
    cro = " ".join(docx_text(tmp_path / f"{prefix}-cliniqa-recherche-{lang}.docx").split())
    expected = {
        "fr": (
            "Codage des données des participants",
            "ne quitte le Sous-traitant",
            "la table de correspondance entre le code et l'identité de chaque participant",
            "dont il est seul responsable du traitement. Il y répond seul",
            "ne lui restitue ni l'identité des participants, ni la table de correspondance",
            "les copies de travail des Données qui ne sont pas nécessaires à cet archivage",
            "sous ce seul code, sans aucune donnée permettant d'identifier le participant",
        ),
        "en": (
            "Coding of participants' data",
            "leaves the Processor",
            "the key table linking each participant's code to their identity",
            "of which it alone is the controller. The Processor answers them alone",
            "returns to it neither the participants' identities, nor the key table",
            "the working copies of the Personal Data that are not needed for that archiving",
            "under that code alone, without any data that would identify the participant",
        ),
    }[lang]
    forwarded = {
        "fr": "Pour une telle demande, le Sous-traitant la transmet au Responsable du traitement",
        "en": "For such a request, the Processor shall forward it to the Controller",
    }[lang]
    returned = {
        "fr": "le Sous-traitant restitue l'ensemble des Données",
        "en": "the Processor shall return all the Personal Data",
    }[lang]
    for provision in expected:
        assert provision in site, provision
        assert provision not in cro, provision
    # A CRO holds no medical record either: no L. 1111-7 duty in its DPA.
    assert forwarded not in site and forwarded not in cro
    dpia = {
        "fr": "La recherche requiert une AIPD, qu'exige la méthodologie de référence MR-003",
        "en": "The research requires a DPIA, which reference methodology MR-003 requires",
    }[lang]
    assert dpia in site and dpia in cro
    care = {"fr": "continuité des soins", "en": "continuity of care"}[lang]
    assert care not in site and care not in cro
    assert returned not in site and returned in cro


def test_a_transfer_belongs_to_its_processor_and_annex_i_to_the_two_parties(
    tmp_path: Path,
) -> None:
    """Issue 13 items 2-3: the CRO's transfer to the United Kingdom is authorised in the CRO's
    DPA only; a site's Annex I lists the sponsor and that site, not the other sites."""
    data = yaml.safe_load((ROOT / "examples" / "research-observational-cro.yaml").read_text())
    cro = data["research"]["cros"][0]["party"]
    data["transfers"] = [
        {
            "processor": cro,
            "recipient": "Statwell Analytics Ltd",
            "country": "GB",
            "purpose": "analyse statistique",
            "safeguard": "adequacy",
        }
    ]
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out", "--lang", "fr") == 0
    texts = {p.name: docx_text(p) for p in (tmp_path / "out").glob("accord-*.docx")}
    with_transfer = [name for name, text in texts.items() if "Statwell Analytics Ltd" in text]
    assert with_transfer == [f"accord-sous-traitance-{slug(data['parties'][4]['name'])}-fr.docx"]
    site = texts["accord-sous-traitance-centre-hospitalier-de-blois-sologne-fr.docx"]
    annex_i = site[site.rindex("Annexe I – Liste des Parties") : site.rindex("Annexe II – ")]
    assert "Centre hospitalier de Blois-Sologne" in annex_i
    assert data["parties"][0]["name"] in annex_i  # the sponsor
    for other in ("Hôpitaux de Chartres-Beauce", "Groupe hospitalier Berry-Val de Cher"):
        assert other not in annex_i


def test_each_processors_dpa_states_its_own_subject_matter(tmp_path: Path) -> None:
    """Issue 13 item 2: a site's DPA does not describe the CRO's work, nor the CRO's the
    sites'; a partnership DPA keeps the answers' subject-matter."""
    example = ROOT / "examples" / "research-observational-cro.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", "fr") == 0
    name = "accord-sous-traitance-centre-hospitalier-de-blois-sologne-fr.docx"
    site = " ".join(docx_text(tmp_path / name).split())
    cro = " ".join(docx_text(tmp_path / "accord-sous-traitance-cliniqa-recherche-fr.docx").split())
    study_wide = "pour la CRO, le paramétrage et l'exploitation de l'eCRF"
    assert study_wide not in site and study_wide not in cro
    assert "a pour objet : l'information des personnes que le Sous-traitant inclut" in site
    assert "la conservation de la table de correspondance et des documents propres à la" in site
    assert "des tâches suivantes : monitoring des centres" in cro
    assert "des tâches suivantes" not in site


def test_a_host_acting_for_the_sponsor_gets_its_dpa(tmp_path: Path) -> None:
    """Issue 13 item 8: a party that is neither CRO nor centre but processes for the sponsor (a
    host) has its DPA, instead of being dropped silently."""
    data = yaml.safe_load((ROOT / "examples" / "research-observational-cro.yaml").read_text())
    host = {
        **data["parties"][4],
        "id": "datahost",
        "name": "Datahost Santé",
        "roles": ["processor"],
    }
    data["parties"].append(host)
    answers = Answers.model_validate(data)
    result = assess(answers)
    assert (DocumentKind.DPA, ("chu-val-de-loire", "datahost")) in [
        (d.kind, d.parties) for d in result.documents
    ]
    assert "PARTY_IN_NO_DOCUMENT" not in {f.code for f in result.findings}
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out", "--lang", "fr") == 0
    assert (tmp_path / "out" / "accord-sous-traitance-datahost-sante-fr.docx").exists()


def test_a_sites_dpa_keeps_the_hospitals_own_duties(tmp_path: Path) -> None:
    """The research expert's read of a site's DPA: the medical record stays outside it; the
    site relays an objection at once and stops collecting; it reports its own incidents
    (L. 1111-8-2) itself; it proves the liability insurance the law requires of it, not a
    vendor's cyber cover."""
    example = ROOT / "examples" / "research-observational-cro.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", "fr") == 0
    name = "accord-sous-traitance-centre-hospitalier-de-blois-sologne-fr.docx"
    site = " ".join(docx_text(tmp_path / name).split())
    for provision in (
        "Le dossier médical du participant, y compris les documents sources qui y sont versés, "
        "ne relève pas de l'Accord",
        "le Sous-traitant l'enregistre sans délai et cesse le recueil de ses Données",
        "Le Sous-traitant effectue toutefois lui-même les signalements que l'article L. 1111-8-2",
        "de l'assurance de responsabilité civile prévue à l'article L. 1142-2",
        # The clauses' « Contrat principal » is defined: the study's convention with the site.
        "« Contrat principal » : la convention conclue entre les Parties pour la conduite de la "
        "recherche",
        # Its own information-system and archive providers, under a general authorisation
        # notified beforehand, which the specific-authorisation rule yields to.
        "aux prestataires de son système d'information et de ses services d'archives",
        "l'informe par écrit, préalablement, de tout ajout ou remplacement envisagé",
        "Sous réserve de l'autorisation générale qui précède, le Sous-traitant ne fait appel",
        # Encryption and logging bind its electronic systems; paper is kept under lock.
        "s'appliquent aux Données conservées sous forme électronique dans ses systèmes",
        "le sont sous clé, dans un local à accès restreint",
        # A non-objection study: the participant objects to taking part.
        "s'oppose à sa participation ou au traitement de ses données",
    ):
        assert provision in site, provision
    for vendor in ("assurance couvrant les risques cyber", "quinze ans en archivage intermédiaire"):
        assert vendor not in site, vendor


def test_a_sponsor_outside_the_eu_is_named_with_its_representative(tmp_path: Path) -> None:
    """Issue 13 item 6: a US sponsor raises SPONSOR_REPRESENTATIVE_MISSING until its EU
    representative is given; then the protocol annex and each DPA's Annex I name it."""
    data = yaml.safe_load((ROOT / "examples" / "research-drug-trial.yaml").read_text())
    data["parties"][0]["country"] = "US"
    codes = {f.code for f in assess(Answers.model_validate(data)).findings}
    assert "SPONSOR_REPRESENTATIVE_MISSING" in codes
    data["parties"][0]["eu_representative"] = "Orvénia Europe BV, Leiden (Pays-Bas)"
    codes = {f.code for f in assess(Answers.model_validate(data)).findings}
    assert "SPONSOR_REPRESENTATIVE_MISSING" not in codes
    # The flows to a sponsor in the United States are transfers: each needs its ground.
    assert "TRANSFER_NO_SAFEGUARD" in codes
    for flow in data["research"]["data_flows"]:
        if flow["recipient"] == data["parties"][0]["id"]:
            flow.update(safeguard="scc_2021_914", assessment="droit des États-Unis évalué")
    file = tmp_path / "trial.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out", "--lang", "fr") == 0
    annex = next((tmp_path / "out").glob("annexe-*.docx"))
    assert "représenté dans l'Union par Orvénia Europe BV" in docx_text(annex)
    for dpa in (tmp_path / "out").glob("accord-*.docx"):
        assert "Orvénia Europe BV, Leiden (Pays-Bas)" in docx_text(dpa), dpa.name


@pytest.mark.parametrize(
    ("granted", "expected"),
    [
        (False, "Une demande d'autorisation a été présentée à la CNIL"),
        (True, "La CNIL a autorisé ces traitements"),
    ],
)
def test_an_authorisation_not_granted_is_worded_as_an_application(
    tmp_path: Path, granted: bool, expected: str
) -> None:
    """Issue 13 item 7: the SNDS study's reference is an application; the annex must not say
    the CNIL has authorised it until the answers say it has."""
    data = yaml.safe_load((ROOT / "examples" / "research-snds-authorisation.yaml").read_text())
    data["research"]["authorisation_granted"] = granted
    file = tmp_path / "study.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run_cli("build", file, "--out", tmp_path / "out", "--lang", "fr") == 0
    annex = " ".join(docx_text(next((tmp_path / "out").glob("annexe-*.docx"))).split())
    assert expected in annex
    other = "La CNIL a autorisé ces traitements" if not granted else "Une demande d'autorisation a"
    assert other not in annex


def test_leftover_samples_are_used_unless_the_informed_person_objects(tmp_path: Path) -> None:
    """Issue 13 item 9: the IVD study's residual samples: information by posters or letters and
    non-objection (L. 1211-2), not "individual information from the investigator"."""
    example = ROOT / "examples" / "research-ivd-performance.yaml"
    assert run_cli("build", example, "--out", tmp_path, "--lang", "fr") == 0
    annex = " ".join(docx_text(next(tmp_path.glob("annexe-*.docx"))).split())
    assert "par voie d'affichage dans les services concernés ou par courrier" in annex
    assert "L. 1211-2" in annex
    assert "reçoit de l'investigateur une information individuelle" not in annex
