"""Readers for the formats analysts receive besides plain text and JSON: saved web pages, PDFs, feeds, e-mails.

One module per format. Each reader takes the file's bytes (these formats carry
their own encodings and binary layouts, so they are not decoded as UTF-8 text
first) and how the file is named, and returns its articles; a problem with the
whole file raises the readers' refusal, a problem with one feed item is returned
in its place (an `InputProblem`) so the other items are still read.
"""

from __future__ import annotations

from . import feed, mail, pdf, webpage

READERS = {
    ".html": webpage.read,
    ".htm": webpage.read,
    ".pdf": pdf.read,
    ".xml": feed.read,
    ".rss": feed.read,
    ".atom": feed.read,
    ".eml": mail.read,
}
