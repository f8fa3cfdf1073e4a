"""PDFs (`.pdf`): the text layer page by page, with where each page starts so evidence can say "page 2".

pypdf (BSD licence, pure Python, no system libraries) reads the text layer in
the order the page draws it, which for statements and media releases is
reading order. Pages are joined by a blank line; `RawArticle.pages` keeps the
offset at which each page starts, so a sentence's page is the last page that
starts at or before it. The title and date come from the document's metadata
when it has them. A PDF without a text layer (a scan) is refused: there is no
OCR here, and an empty article would only hide that the file was not read.
"""

from __future__ import annotations

import io
import logging
from datetime import date

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..ids import article_id
from ..model import RawArticle
from ..readers import _Refused
from .text import day, tidy

# pypdf logs each repair of a damaged file; a file it cannot read is refused with a message instead.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)


def _reader(data: bytes) -> PdfReader:
    if not data.lstrip().startswith(b"%PDF"):
        raise _Refused("not a PDF (the file does not start with %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _Refused("the PDF is password-protected; save an unprotected copy")
        return reader
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise _Refused(f"damaged PDF that cannot be read: {error}") from error


def page_texts(data: bytes) -> tuple[list[str], PdfReader]:
    """The tidied text of each page, in page order."""
    reader = _reader(data)
    try:
        return [tidy(page.extract_text() or "") for page in reader.pages], reader
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, NotImplementedError) as error:
        raise _Refused(f"damaged PDF whose text cannot be read: {error}") from error


def _properties(reader: PdfReader) -> tuple[str, date | None]:
    """Title and creation day from the document's properties; damaged or missing properties give none."""
    try:
        metadata = reader.metadata
        if not metadata:
            return "", None
        title = tidy(str(metadata.get("/Title") or ""))
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return "", None
    try:
        return title, day(metadata.creation_date)
    except (PyPdfError, ValueError, TypeError, AttributeError):  # a creation date pypdf cannot parse
        return title, None


def read(data: bytes, label: str) -> list[RawArticle]:
    pages, reader = page_texts(data)
    if not any(pages):
        raise _Refused(f"no text layer in its {len(pages)} page(s): a scanned PDF? Text recognition (OCR) is not "
                       "supported; give the text as a .txt file")
    title, created = _properties(reader)
    if not title:
        title = next(line for page in pages for line in page.split("\n") if line)[:120]
    if pages[0].split("\n", 1)[0] == title:
        pages[0] = pages[0].split("\n", 1)[1].lstrip("\n") if "\n" in pages[0] else ""
    starts, parts, offset = [], [], 0
    for text in pages:
        starts.append(offset)
        parts.append(text)
        offset += len(text) + (2 if text else 0)
    body = "\n\n".join(p for p in parts if p)
    if not body:
        raise _Refused("the PDF holds a title but no text")
    return [RawArticle(article_id(body), title, body, created, "metadata" if created else "unknown", label, tuple(starts))]
