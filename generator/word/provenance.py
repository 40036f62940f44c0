"""Proof of how a document was made, inside the document: the Clausier version, each clause
used with a hash of its text, and the answers themselves with their hash.

It is a custom XML part, which Word keeps through editing, so `clausier answers SIGNED.docx`
gives back the answers years later and the agreement can be rebuilt or amended.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from lxml import etree

from .. import __version__
from ..answers.model import Answers
from ..answers.yamlfile import dump_yaml
from ..errors import InputError

NAMESPACE = "urn:clausier:provenance:1"
PART_NAME = "/customXml/clausier-provenance.xml"
_CUSTOM_XML = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/customXml"


def answers_text(answers: Answers) -> str:
    """The answers as a canonical YAML file: equal answers give the same text."""
    data = answers.model_dump(mode="json", exclude_defaults=True)
    return dump_yaml({"format_version": answers.format_version, **data}, width=100)


def provenance_xml(
    answers: Answers, clauses: list[tuple[str, str]], kind: str, edition: str
) -> bytes:
    """The part: the version, the document's kind and edition ("fr", "en", "bilingual"), each
    clause with its digest in the order of the articles, and the answers."""
    text = answers_text(answers)
    root = etree.Element(f"{{{NAMESPACE}}}provenance", nsmap={"clausier": NAMESPACE})
    root.set("version", __version__)
    root.set("kind", kind)
    root.set("edition", edition)
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


@dataclass(frozen=True)
class Provenance:
    answers: str  # the answers file's text
    clause_ids: tuple[str, ...]  # in the order of the articles
    kind: str | None  # None: built before Clausier recorded it
    edition: str | None


def read_provenance(path: Path) -> Provenance:
    """How a document built by Clausier was made; one line refusing any other document."""
    try:
        with zipfile.ZipFile(path) as package:
            blob = package.read(PART_NAME.lstrip("/"))
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(path, None, None, f"not a readable .docx ({exc})") from None
    except KeyError:
        raise InputError(
            path, None, None, "no Clausier provenance in this document (not built by Clausier)"
        ) from None
    root = etree.fromstring(blob)
    answers = root.find(f"{{{NAMESPACE}}}answers")
    if answers is None or not answers.text:
        raise InputError(path, None, None, "the provenance holds no answers")
    return Provenance(
        answers.text,
        tuple(c.get("id", "") for c in root.iter(f"{{{NAMESPACE}}}clause")),
        root.get("kind"),
        root.get("edition"),
    )


def read_answers(path: Path) -> str:
    """The answers embedded in a document built by Clausier."""
    return read_provenance(path).answers


class _FixedTimeZip:
    """python-docx's zip writer, with the same date on every member: equal documents are
    equal bytes, and the package is compressed once (rewriting a saved zip took 10 ms)."""

    def __init__(self, file: BytesIO):
        self._zip = zipfile.ZipFile(file, "w")

    def write(self, pack_uri, blob: bytes) -> None:
        member = zipfile.ZipInfo(pack_uri.membername, date_time=(1980, 1, 1, 0, 0, 0))
        # A picture is compressed already: stored as it is.
        media = pack_uri.membername.startswith("word/media/")
        member.compress_type = zipfile.ZIP_STORED if media else zipfile.ZIP_DEFLATED
        member.external_attr = 0o644 << 16
        self._zip.writestr(member, blob)

    def close(self) -> None:
        self._zip.close()


def package_bytes(document) -> bytes:
    """The .docx of a python-docx document, byte for byte the same for the same content.

    Document.save() stamps every zip member with the current time; this is its body
    (OpcPackage.save, PackageWriter.write) with a fixed-time writer (python-docx is pinned
    below 2).
    """
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    out = BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()
