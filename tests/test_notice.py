"""The participants' notice, the collective-information poster and the care notice: built for
every example that has them, in French and English, saying what Arts 13 and 14 require for
the facts the assessment decided, in short sentences a patient reads."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
import yaml
from conftest import EXAMPLES, REQUIRE_LIBREOFFICE, ROOT, docx_text, missing_tool
from pydantic import BaseModel

from generator.answers.languages import in_language
from generator.answers.load import load_answers
from generator.answers.model import Answers, DataCategory, Language, Translations
from generator.legal.assessment import DocumentKind, assess
from generator.legal.information import notice_categories
from generator.legal.research import collective_information
from generator.library.checks import ART13_14_ELEMENTS, check_library, check_loaded
from generator.library.load import default_library
from generator.library.plan import plan_document
from generator.word.bilingual import plan_bilingual
from generator.word.pdf import to_pdf
from generator.word.render import render

KINDS = (DocumentKind.INFORMATION_NOTICE, DocumentKind.INFORMATION_POSTER)
RESEARCH = [e for e in EXAMPLES if load_answers(e).research]
# Sentences of the body: headings, the title block and the one-line references left out.
_NOT_BODY = {"Title", "Subtitle", "Title Block", "Heading 1", "Heading EN"}
_REFERENCES = re.compile(r"(Références|References) ?:")
MAX_WORDS, MEAN_WORDS = 35, 20


def _build(answers: Answers, kind: DocumentKind, out: Path, edition: str) -> Path | None:
    """The document of that kind (if due) in one edition, whatever the contracts' findings:
    a notice is no contract, so the French a public party signs in does not bind it."""
    assessment = assess(answers)
    due = next((d for d in assessment.documents if d.kind is kind), None)
    if due is None:
        return None
    library = default_library()
    if edition == "bilingual":
        plan = plan_bilingual(due, answers, assessment, library)
    else:
        plan = plan_document(due, answers, assessment, library, Language(edition))
    path = out / plan.filename
    path.write_bytes(render(plan, answers))
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    """(example stem, kind, language) -> the document, for every example and both languages."""
    out = tmp_path_factory.mktemp("notices")
    found = {}
    for example in EXAMPLES:
        answers = load_answers(example)
        for kind in KINDS:
            for language in ("fr", "en"):
                path = _build(answers, kind, out, language)
                if path:
                    found[example.stem, kind.value, language] = path
    return found


def _text(path: Path) -> str:
    return docx_text(path).replace("\u00a0", " ").replace("\u202f", " ")


def _study(example: str, out: Path, language: str = "fr", **changes: object) -> str:
    """The notice of an example, some research answers changed, as text."""
    data = yaml.safe_load((ROOT / "examples" / f"{example}.yaml").read_text("utf-8"))
    data["research"].update(changes)
    path = _build(Answers.model_validate(data), DocumentKind.INFORMATION_NOTICE, out, language)
    assert path is not None
    return _text(path)


def test_every_research_example_builds_its_notice_in_both_languages(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for example in RESEARCH:
        answers = load_answers(example)
        research = answers.research
        assert research is not None
        sponsor = answers.party(research.sponsor).name
        for language, heading in (("fr", "Qui est responsable"), ("en", "Who is responsible")):
            text = _text(built[example.stem, "information-notice", language])
            assert sponsor in text and heading in text
            assert "{{" not in text and "None" not in text and "**" not in text


def test_the_bilingual_notice_sets_both_languages_side_by_side(tmp_path: Path) -> None:
    answers = load_answers(ROOT / "examples" / "research-us-sponsor.yaml")
    path = _build(answers, DocumentKind.INFORMATION_NOTICE, tmp_path, "bilingual")
    assert path is not None
    text = _text(path)
    assert "Quels sont vos droits ?" in text and "What are your rights?" in text
    assert "Que faire si vous n'êtes pas satisfait ?" in text


def _free_texts(answers: Answers, language: Language) -> Iterator[str]:
    """Every free text of the answers as the edition prints it: the protocol's own words."""

    def walk(value: object) -> Iterator[str]:
        if isinstance(value, Translations):
            yield from (t for t in (value.in_(language),) if t)
        elif isinstance(value, str) and len(value.split()) > 3:
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                yield from walk(item)
        elif isinstance(value, BaseModel):
            for name in type(value).model_fields:
                yield from walk(getattr(value, name))

    yield from walk(in_language(answers, language))


def _sentence_lengths(path: Path, quoted: list[str]) -> list[tuple[int, str]]:
    """Words in each sentence of the body (split on . ? ! ;), the answers' own texts counted
    as one word each: their length is the protocol's, which every document of the set quotes
    the same (one set, one story); what is measured is how the library writes."""
    document = docx.Document(str(path))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    lengths = []
    for p in paragraphs:
        text = p.text.replace("\u00a0", " ").replace("\u202f", " ").strip()
        if not text or p.style.name in _NOT_BODY or _REFERENCES.match(text):
            continue
        for quote in sorted(quoted, key=len, reverse=True):
            text = text.replace(quote.replace("\u00a0", " "), "QUOTE")
        for sentence in re.split(r"[.?!;]+(?:\s|$)", text):
            words = re.findall(r"[\w@'’-]+", sentence)
            if words:
                lengths.append((len(words), sentence))
    return lengths


def test_sentences_are_short_in_both_languages(built: dict[tuple[str, str, str], Path]) -> None:
    for (stem, _, language), path in built.items():
        answers = load_answers(ROOT / "examples" / f"{stem}.yaml")
        quoted = list(_free_texts(answers, Language(language)))
        lengths = _sentence_lengths(path, quoted)
        longest = max(lengths)
        assert longest[0] <= MAX_WORDS, f"{path.name}: {longest}"
        mean = sum(n for n, _ in lengths) / len(lengths)
        assert mean <= MEAN_WORDS, f"{path.name}: {mean:.1f} words a sentence"


def test_a_clinical_trial_keeps_the_data_collected_before_withdrawal(
    built: dict[tuple[str, str, str], Path],
) -> None:
    trial = _text(built["research-drug-trial", "information-notice", "fr"])
    assert "Les données recueillies avant votre retrait restent utilisées pour l'essai" in trial
    assert "règlement (UE) n° 536/2014, art. 28, paragraphe 3" in trial
    assert "au moins 25 ans" in trial
    english = _text(built["research-drug-trial", "information-notice", "en"])
    assert "The data collected before you leave are still used for the trial" in english
    observational = _text(built["research-observational-cro", "information-notice", "fr"])
    assert "restent utilisées pour l'essai" not in observational


def test_an_objection_stops_the_use_in_non_objection_research(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for stem in ("research-observational-cro", "research-funded-reuse"):
        text = _text(built[stem, "information-notice", "fr"])
        assert "vos données ne sont pas utilisées, ou cessent de l'être" in text
        assert "vous opposer à l'utilisation de vos données pour la recherche, à tout" in text
    trial = _text(built["research-drug-trial", "information-notice", "fr"])
    assert "cessent de l'être" not in trial


def test_consent_as_the_basis_can_be_withdrawn_and_brings_portability(
    built: dict[tuple[str, str, str], Path], tmp_path: Path
) -> None:
    consent = _study("research-observational-cro", tmp_path, lawful_basis="consent")
    assert "Vous pouvez aussi retirer votre consentement à l'utilisation de vos données" in consent
    assert "droit à la portabilité" in consent
    # On a public-interest task, neither portability nor consent to withdraw.
    public = _text(built["research-observational-cro", "information-notice", "fr"])
    assert "portabilité" not in public and "retirer votre consentement" not in public
    assert "mission d'intérêt public" in public


def test_joint_controllers_tell_the_essence_of_their_arrangement(
    built: dict[tuple[str, str, str], Path],
) -> None:
    joint = _text(built["research-joint-reuse", "information-notice", "fr"])
    assert "Voici l'essentiel de cet accord pour vous" in joint
    assert "vous pouvez exercer vos droits auprès de chacun d'eux" in joint
    assert "responsables conjoints du traitement" in joint
    alone = _text(built["research-observational-cro", "information-notice", "fr"])
    assert "l'essentiel de cet accord" not in alone


def test_a_transfer_outside_the_eea_names_its_safeguard(
    built: dict[tuple[str, str, str], Path],
) -> None:
    text = _text(built["research-us-sponsor", "information-notice", "fr"])
    assert "Norwell Therapeutics, Inc. (États-Unis)" in text
    assert "clauses types de protection des données adoptées par la Commission européenne" in text
    english = _text(built["research-us-sponsor", "information-notice", "en"])
    assert "standard data protection clauses adopted by the European Commission" in english
    inside = _text(built["research-joint-reuse", "information-notice", "fr"])
    assert "Non. Vos données restent dans l'Espace économique européen" in inside


def test_the_overall_results_are_promised_only_in_research_on_persons(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for example in RESEARCH:
        research = load_answers(example).research
        assert research is not None
        text = _text(built[example.stem, "information-notice", "fr"])
        promised = "être informé de ses résultats globaux" in text
        assert promised is research.involves_human_person, example.stem
        assert ("L. 1122-1." in text) is research.involves_human_person


def test_published_information_where_nobody_is_contacted(
    built: dict[tuple[str, str, str], Path],
) -> None:
    snds = _text(built["research-snds-methodology", "information-notice", "fr"])
    assert "Ce document est l'information que publie" in snds
    assert "ne peut donc pas vous écrire personnellement" in snds
    assert "médecin de la recherche" not in snds
    trial = _text(built["research-drug-trial", "information-notice", "fr"])
    assert "vous remet ce document" in trial
    assert "sous votre code, sans donner votre nom" in trial


def test_the_poster_is_built_for_collective_information_only(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for example in EXAMPLES:
        research = load_answers(example).research
        expected = bool(research and collective_information(research))
        for language in ("fr", "en"):
            assert ((example.stem, "information-poster", language) in built) is expected
    poster = _text(built["research-observational-cro", "information-poster", "fr"])
    assert "Vous pouvez refuser" in poster and "CNIL" in poster
    assert "note d'information complète" in poster


def test_the_poster_fits_one_printed_page(
    built: dict[tuple[str, str, str], Path], tmp_path: Path
) -> None:
    pdftotext = shutil.which("pdftotext")
    if not (shutil.which("soffice") or shutil.which("libreoffice")) or not pdftotext:
        missing_tool(REQUIRE_LIBREOFFICE, "LibreOffice (soffice) and pdftotext are needed")
    posters = []
    for (_, kind, _), path in built.items():
        if kind == "information-poster":
            posters.append(tmp_path / path.name)
            shutil.copy(path, posters[-1])
    # The side-by-side edition too: French and English columns on one sheet.
    for example in RESEARCH:
        path = _build(load_answers(example), DocumentKind.INFORMATION_POSTER, tmp_path, "bilingual")
        if path:
            posters.append(path)
    assert any(p.stem.endswith("fr-en") for p in posters)
    conversion = to_pdf(posters, processes=2)
    assert not conversion.failures
    for pdf in conversion.pdfs:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert text.rstrip("\f").count("\f") == 0, f"{pdf.name} runs over one page"


def test_the_care_notice_is_the_hospitals(built: dict[tuple[str, str, str], Path]) -> None:
    answers = load_answers(ROOT / "examples" / "glucose-telemonitoring.yaml")
    assert answers.options.hospital.patient_notice
    text = _text(built["glucose-telemonitoring", "information-notice", "fr"])
    assert "Centre hospitalier intercommunal Saône-Dombes" in text
    assert "dpo@ch-saone-dombes.fr" in text
    assert "Glycéo, qui fournit le service à l'établissement" in text
    assert "Nordwerk Cloud GmbH, qui héberge les données" in text
    assert "certification HDS" in text and "CNIL" in text
    assert "promoteur" not in text and "recherche" not in text
    english = _text(built["glucose-telemonitoring", "information-notice", "en"])
    assert "the hospital may continue the use needed for your care" in english
    # Care partnerships that do not ask for it get none.
    assert ("chu-teleconsultation", "information-notice", "fr") not in built


def test_check_complains_when_an_element_of_articles_13_and_14_is_uncovered(
    tmp_path: Path,
) -> None:
    library = tmp_path / "clauses"
    shutil.copytree(ROOT / "clauses", library)
    file = library / "information-notice" / "150-complaint.yaml"
    text = file.read_text("utf-8")
    file.write_text(text.replace('covers: ["13(2)(d)"]', "covers: []"), "utf-8")
    problems = check_library(library)
    assert any("13(2)(d)" in p and "no clause covers" in p for p in problems), problems

    loaded = default_library()
    notice = loaded.documents["information-notice"]
    without = dataclasses.replace(
        notice, clauses=tuple(c for c in notice.clauses if c.spec.id != "information-notice.joint")
    )
    documents = {**loaded.documents, "information-notice": without}
    problems = check_loaded(dataclasses.replace(loaded, documents=documents))
    assert [p for p in problems if "no clause covers" in p] == [
        f"{notice.folder}: no clause covers 26(2) ({ART13_14_ELEMENTS['26(2)']})"
    ]


def test_the_notice_lists_the_persons_own_data_only(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """The sites' staff's eCRF accounts and the care team's identification are theirs: no
    notice or poster shows them as the patient's, nor sends the patient to the protocol."""
    for (stem, _, language), path in built.items():
        text = _text(path)
        for staff in ("vie professionnelle", "professional life", "équipe soignante (nom"):
            assert staff not in text, (stem, language, staff)
        assert (
            "figure dans le protocole" not in text
            and "set out in the research protocol" not in text
        )
    trial = load_answers(ROOT / "examples" / "research-drug-trial.yaml")
    assert DataCategory.PROFESSIONAL in trial.processing.data_categories
    assert DataCategory.PROFESSIONAL not in notice_categories(trial)
    # A care service whose patients use its application: their log-ins are theirs.
    glucose = load_answers(ROOT / "examples" / "glucose-telemonitoring.yaml")
    assert DataCategory.CONNECTION in notice_categories(glucose)
    lab = load_answers(ROOT / "examples" / "clinic-lab-results.yaml")
    assert not lab.options.hospital.patient_app
    assert not {DataCategory.PROFESSIONAL, DataCategory.CONNECTION} & set(notice_categories(lab))


def test_the_lay_summary_opens_the_poster_and_the_notices_purposes(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for example in RESEARCH:
        answers = load_answers(example)
        assert answers.research is not None and answers.research.lay_summary, example.stem
        for language in ("fr", "en"):
            summary = answers.research.lay_summary.in_(Language(language))
            assert summary and not re.search(r"\w- \w", summary), summary  # a folded hyphen
            notice = _text(built[example.stem, "information-notice", language])
            assert summary in notice
            poster = built.get((example.stem, "information-poster", language))
            if poster is None:
                continue
            body = [
                p.text
                for p in docx.Document(str(poster)).paragraphs
                if p.text.strip() and p.style.name not in _NOT_BODY
            ]
            assert body[0] == summary, (example.stem, body[:2])
            # The protocol's purposes stay out of the poster.
            purposes = in_language(answers, Language(language)).processing.purposes
            assert not any(p in _text(poster) for p in purposes)


def test_no_drafting_caveat_reaches_a_patient(built: dict[tuple[str, str, str], Path]) -> None:
    for (stem, _, language), path in built.items():
        text = _text(path).lower()
        assert "à confirmer" not in text and "to be confirmed" not in text, (stem, language)


def test_the_retention_is_not_contradicted(built: dict[tuple[str, str, str], Path]) -> None:
    """The archive period is the protocol's, end included; without archive, destruction."""
    for example in RESEARCH:
        research = load_answers(example).research
        assert research is not None
        text = _text(built[example.stem, "information-notice", "fr"])
        assert "rendues définitivement anonymes" not in text and "sous clé" not in text
        assert ("Durée de l'archivage :" in text) is bool(research.retention.archive)
        assert ("vos données sont détruites, sans archivage" in text) is (
            not research.retention.archive
        )


def test_the_processor_controlling_its_own_purposes_is_named_with_its_dpo(
    built: dict[tuple[str, str, str], Path],
) -> None:
    text = _text(built["glucose-telemonitoring", "information-notice", "fr"])
    assert "La loi impose au prestataire du service, Glycéo, des obligations propres" in text
    assert "il en est alors le responsable" in text
    assert "auprès de Glycéo, en écrivant à son délégué à la protection des données" in text
    assert "privacy@glyceo.fr" in text and "autorités de santé" in text
    assert "sauf pour ses obligations propres décrites plus haut" in text
    english = _text(built["glucose-telemonitoring", "information-notice", "en"])
    assert "it is then their controller" in english


def test_going_through_the_centre_keeps_the_name_from_the_sponsor(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for stem in ("research-drug-trial", "research-us-sponsor", "research-ivd-performance"):
        text = _text(built[stem, "information-notice", "fr"])
        assert "Le promoteur connaît alors votre nom" in text, stem
        assert "plus que nécessaire" not in text
    english = _text(built["research-drug-trial", "information-notice", "en"])
    assert "If you go through your centre, your name is not given to it" in english


def test_snds_extracts_alone_cannot_be_found_by_the_sponsor(
    built: dict[tuple[str, str, str], Path],
) -> None:
    text = _text(built["research-snds-methodology", "information-notice", "fr"])
    assert "Il ne peut donc pas retrouver vos données" in text
    assert "RGPD, art. 11, 12 et 15 à 21" in text
    assert "ne peut vous identifier" not in text
    rights = text[text.index("Quels sont vos droits ?") :]
    assert rights.index("caisse d'assurance maladie") < rights.index("délégué à la protection")


def test_a_study_with_sites_abroad_informs_the_french_centres(
    built: dict[tuple[str, str, str], Path],
) -> None:
    notice = _text(built["research-observational-cro", "information-notice", "fr"])
    assert "Ce document concerne les personnes suivies dans les centres situés en France" in notice
    poster = _text(built["research-observational-cro", "information-poster", "fr"])
    assert "centres situés en France" in poster
    assert "j.albrecht@ukl-rheinhessen.de" not in poster
    assert "centres situés en France" not in _text(
        built["research-drug-trial", "information-notice", "fr"]
    )


def test_research_on_persons_completes_the_information_sheet(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for example in RESEARCH:
        research = load_answers(example).research
        assert research is not None
        notice = _text(built[example.stem, "information-notice", "fr"])
        completes = "Il complète la note d'information sur la recherche elle-même" in notice
        assert completes is research.involves_human_person, example.stem
    poster = _text(built["research-observational-cro", "information-poster", "fr"])
    assert "Cette affiche complète la note d'information que vous remet" in poster


def test_parents_are_addressed_where_patients_are_children(
    built: dict[tuple[str, str, str], Path],
) -> None:
    for stem in ("research-ivd-performance", "glucose-telemonitoring"):
        assert load_answers(ROOT / "examples" / f"{stem}.yaml").processing.minors
        text = _text(built[stem, "information-notice", "fr"])
        assert (
            "ce document s'adresse à ses parents (les titulaires de l'autorité parentale)" in text
        )
    ivd = _text(built["research-ivd-performance", "information-notice", "fr"])
    assert "Ce sont eux qui exercent ses droits, notamment celui de s'opposer" in ivd
    poster = _text(built["research-ivd-performance", "information-poster", "en"])
    assert "For a child, the parents object." in poster
    adults = _text(built["research-drug-trial", "information-notice", "fr"])
    assert "autorité parentale" not in adults


def test_every_country_where_study_data_are_kept_is_named(
    built: dict[tuple[str, str, str], Path],
) -> None:
    trial = _text(built["research-drug-trial", "information-notice", "fr"])
    assert (
        "Pays où les données de la recherche sont conservées : France, Irlande, Belgique." in trial
    )
    one = _text(built["research-observational-cro", "information-notice", "fr"])
    assert "Pays où les données de la recherche sont conservées" not in one
    # Without a host, the flows' storage tells where the data are.
    unhosted = _text(built["research-joint-reuse", "information-notice", "fr"])
    assert "Pays où les données de la recherche sont conservées : France." in unhosted


def test_references_fit_the_facts(built: dict[tuple[str, str, str], Path]) -> None:
    """No Art. 28 without a processor; Art. 14(2)(g) where nobody is contacted; the joint
    controllers' basis is all of theirs; the directory entry precedes the start."""
    joint = _text(built["research-joint-reuse", "information-notice", "fr"])
    assert "RGPD, art. 14 et 29." in joint
    assert "RGPD, art. 14, paragraphe 2, point g), et art. 22." in joint
    assert "Le promoteur et les centres responsables avec lui utilisent vos données" in joint
    assert "Avant son démarrage, le promoteur s'engage à inscrire la recherche" in joint
    trial = _text(built["research-drug-trial", "information-notice", "fr"])
    assert "RGPD, art. 13, 28 et 29" in trial
    assert "art. 13, paragraphe 2, points e) et f)" in trial


def test_references_are_gathered_at_the_end(built: dict[tuple[str, str, str], Path]) -> None:
    """One last short section holds the legal references, one line for each part: none
    interrupts the text a patient reads."""
    for example in RESEARCH:
        research = load_answers(example).research
        assert research is not None
        text = _text(built[example.stem, "information-notice", "fr"])
        assert "Références :" not in text, example.stem
        tail = text[text.rindex("Références") :]
        assert "Conservation : RGPD, art. 5, paragraphe 1, point e)" in tail
        article = 13 if research.involves_human_person else 14
        assert f"Transferts : RGPD, art. {article}, paragraphe 1, point f)" in tail


def test_an_internal_study_keeps_the_data_and_results_within_the_department(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """The team that studies its own patients is the sponsor: no sponsor's staff apart, no
    request passed on to it, no publication beyond the department (Loi 78-17 art. 65)."""
    text = _text(built["research-internal-study", "information-notice", "fr"])
    assert "l'équipe de la recherche du service qui vous a soigné, et elle seule" in text
    assert "présentés au sein du service seulement" in text
    assert "personnel autorisé du promoteur" not in text
    assert "sont publiés" not in text and "au promoteur sous votre code" not in text
    english = _text(built["research-internal-study", "information-notice", "en"])
    assert "presented within the department only" in english
    assert "the sponsor under your code" not in english
    poster = _text(built["research-internal-study", "information-poster", "fr"])
    assert "Demandez-la à l'équipe de la recherche ou au délégué" in poster
    other = _text(built["research-funded-reuse", "information-notice", "fr"])
    assert "personnel autorisé du promoteur" in other and "sont publiés" in other


def test_the_lay_summary_replaces_the_protocols_aims(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """A patient follows the summary, not the protocol's technical aims (Art. 12(1))."""
    for stem, fr, en in (
        ("research-drug-trial", "Le médecin de la recherche", "The research doctor"),
        (
            "research-ivd-performance",
            "L'équipe de la recherche de votre centre",
            "The research team at your centre",
        ),
    ):
        answers = load_answers(ROOT / "examples" / f"{stem}.yaml")
        for language, who in (("fr", fr), ("en", en)):
            said = (
                f"{who} peut vous les expliquer."
                if language == "fr"
                else f"{who} can explain them to you."
            )
            text = _text(built[stem, "information-notice", language])
            assert said in text, stem
            purposes = in_language(answers, Language(language)).processing.purposes
            assert not any(p in text for p in purposes), stem


def test_the_poster_names_every_joint_controller(built: dict[tuple[str, str, str], Path]) -> None:
    """Each joint controller is responsible for the data (Art. 26(2)): the poster names them all."""
    answers = load_answers(ROOT / "examples" / "research-joint-reuse.yaml")
    names = [answers.party(p).name for p in assess(answers).joint_controllers]
    assert len(names) == 3
    for language, said in (("fr", "Responsables de vos données, ensemble"), ("en", "Jointly")):
        text = _text(built["research-joint-reuse", "information-poster", language])
        assert said in text and all(n in text for n in names)


def test_an_objection_to_snds_extracts_does_not_promise_an_erasure(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """The sponsor of an SNDS-only study cannot pick out a person's extracted data: the
    objection stops future extractions, in the fund's words (Art. 11(2))."""
    notice = _text(built["research-snds-methodology", "information-notice", "fr"])
    assert "plus extraites du SNDS pour les études à venir" in notice
    assert "ne peut donc pas les retrouver pour les écarter" in notice
    poster = _text(built["research-snds-methodology", "information-poster", "fr"])
    english = _text(built["research-snds-methodology", "information-notice", "en"])
    assert "no longer extracted from the SNDS for future studies" in english
    for text in (notice, poster, english):
        assert "cessent de l'être" not in text and "déjà analysées" not in text
        assert "intégrées à des analyses" not in text and "stop being used" not in text


def test_the_care_notice_speaks_the_patients_words(built: dict[tuple[str, str, str], Path]) -> None:
    """The contract's text stays in the contract: the care notice describes the service, its
    retention and the maker's own use in plain words, and names the GP among the recipients
    (Arts 12(1), 13(1)(e), 13(2)(a))."""
    fr = _text(built["glucose-telemonitoring", "information-notice", "fr"])
    en = _text(built["glucose-telemonitoring", "information-notice", "en"])
    assert "L'établissement vous propose la télésurveillance de votre diabète" in fr
    assert "The hospital offers you remote monitoring of your diabetes" in en
    assert "votre médecin traitant, qui reçoit les comptes rendus" in fr
    assert "your general practitioner, who receives the remote monitoring reports" in en
    assert "aussi longtemps que la loi qui les lui impose l'exige" in fr
    assert "for as long as the law imposing them requires" in en
    for text in (fr, en):
        for contract in ("Sous-traitant", "Processor", "2017/746", "mode hébergé", "base active"):
            assert contract not in text, contract
        assert "in hosted mode" not in text and "active database" not in text


def test_an_optional_genetic_examination_is_said_to_be_optional(tmp_path: Path) -> None:
    """A known fact is stated, not left to the research doctor (Art. 13(2)(e))."""
    text = _study("research-drug-trial", tmp_path)
    assert "Cet examen est facultatif : le refuser ne vous empêche pas de participer." in text
    assert "vous dit si" not in text
    english = _study("research-drug-trial", tmp_path, "en")
    assert "This examination is optional: refusing it does not prevent you" in english
    required = _study("research-drug-trial", tmp_path, genetic_testing_optional=False)
    assert "consentement écrit, demandé à part" in required and "facultatif" not in required


def test_a_sponsor_among_the_centres_learns_the_other_centres_patients_names(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """A sponsor holding its own patients' key table still learns the name of another
    centre's patient who writes to it (Art. 13(2)(b), data minimisation)."""
    for stem in ("research-joint-reuse", "research-observational-cro"):
        text = _text(built[stem, "information-notice", "fr"])
        assert (
            "Si votre centre n'est pas le promoteur, le promoteur connaît alors votre nom." in text
        )
        english = _text(built[stem, "information-notice", "en"])
        assert "If your centre is not the sponsor, the sponsor then learns your name." in english
    alone = _text(built["research-internal-study", "information-notice", "fr"])
    assert "connaît alors votre nom" not in alone


def test_the_posters_reference_fits_where_the_data_come_from(
    built: dict[tuple[str, str, str], Path],
) -> None:
    """Data collected from the person: Art. 13; existing data: Art. 14."""
    for (stem, kind, language), path in built.items():
        if kind != "information-poster" or language != "fr":
            continue
        answers = load_answers(ROOT / "examples" / f"{stem}.yaml")
        assert answers.research is not None
        article = "13" if answers.research.involves_human_person else "14"
        assert f"Références : RGPD, art. {article} et 21" in _text(path), stem


def test_the_second_reading_wording(built: dict[tuple[str, str, str], Path]) -> None:
    """Wording a reviewer flagged: an undertaking whose timing is to be confirmed, a
    sentence that starts with a name, French set phrases, English false friends."""
    fr = _text(built["research-joint-reuse", "information-notice", "fr"])
    assert "le promoteur s'engage à inscrire la recherche" in fr
    internal = _text(built["research-internal-study", "information-notice", "fr"])
    assert "Elle est détenue par Centre hospitalier Rhône-Vivarais seulement." in internal
    assert "Seul Centre" not in internal and "durée suivante : jusqu'à" not in internal
    for (_, _, language), path in built.items():
        if language == "en":
            text = _text(path)
            for odd in ("It completes", "poster completes", "persons studied", "cases provided"):
                assert odd not in text, odd
