"""Proof of how a document was made, inside the document: the Clausier version, each clause
used with a hash of its text, and the answers themselves with their hash.

It is a custom XML part, which Word keeps through editing, so `clausier answers SIGNED.docx`
gives back the answers years later and the agreement can be rebuilt or amended.
"""

from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

from . import __version__
from .model import Answers
from .yamlfile import InputError, dump_yaml

NAMESPACE = "urn:clausier:provenance:1"
PART_NAME = "/customXml/clausier-provenance.xml"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"


def answers_text(answers: Answers) -> str:
    """The answers as a canonical YAML file: equal answers give the same text."""
    data = answers.model_dump(mode="json", exclude_defaults=True)
    return dump_yaml({"format_version": answers.format_version, **data}, width=100)


def provenance_xml(answers: Answers, clauses: list[tuple[str, str]]) -> bytes:
    text = answers_text(answers)
    root = etree.Element(f"{{{NAMESPACE}}}provenance", nsmap={"clausier": NAMESPACE})
    root.set("version", __version__)
    root.set("answers-sha256", hashlib.sha256(text.encode()).hexdigest())
    for clause_id, digest in clauses:
        etree.SubElement(root, f"{{{NAMESPACE}}}clause", id=clause_id, sha256=digest)
    etree.SubElement(root, f"{{{NAMESPACE}}}answers").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def embed(document, blob: bytes) -> None:
    """Attach the provenance part to a python-docx document."""
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    part = Part(PackURI(PART_NAME), "application/xml", blob, document.part.package)
    document.part.relate_to(part, _CUSTOM_XML)


def read_answers(path: Path) -> str:
    """The answers embedded in a document built by Clausier."""
    try:
        with zipfile.ZipFile(path) as package:
            blob = package.read(PART_NAME.lstrip("/"))
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(path, None, None, f"not a readable .docx ({exc})") from None
    except KeyError:
        raise InputError(path, None, None, "no Clausier provenance in this document") from None
    answers = etree.fromstring(blob).find(f"{{{NAMESPACE}}}answers")
    if answers is None or not answers.text:
        raise InputError(path, None, None, "the provenance holds no answers")
    return answers.text


def deterministic_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps, so equal documents are equal bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
