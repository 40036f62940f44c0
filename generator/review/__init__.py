"""`clausier review VENDOR.docx`: a DPA Clausier did not write, read element by element.

Layers (docs/design.md): `read` (the vendor's .docx or PDF as located passages), `match`
(pure: each element of clauses/review/ found, weak or missing, with its quoted passage),
`outputs` (the annotated copy and the one-page report, written atomically), `command` (the
command's run and exit code). The patterns' meaning is `library.review`'s, shared with
`clausier check`.
"""
