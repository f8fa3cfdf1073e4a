"""Extraction of one article: the pure, per-article step that runs in worker processes."""

from __future__ import annotations

from .dateline import find_dateline
from .dates import find_dates
from .entities import find_entities
from .kb import KnowledgeBase
from .meetings import find_meetings
from .model import ArticleExtraction, Document, Entities, RawArticle
from .readers import InputProblem, failure
from .relevance import is_relevant
from .sentences import split_sentences
from .stories import signature
from .topics import find_topics


def extract_article(raw: RawArticle, kb: KnowledgeBase) -> ArticleExtraction:
    dateline = find_dateline(raw.text, kb, raw.published)
    published, date_source = raw.published, raw.date_source
    if published is None and dateline and dateline.date and dateline.date.precision == "day":
        published, date_source = dateline.date.start, "dateline"
    document = Document(raw.article_id, raw.title, raw.text, published, split_sentences(raw.text))
    if not is_relevant(raw.title, raw.text):  # unrelated news: kept, readable and grouped into stories, nothing looked for
        return ArticleExtraction(document, raw.source, date_source, dateline, Entities(), (), (), (), signature(raw.text), raw.pages)
    entities = find_entities(document, kb, dateline)
    dates = find_dates(document)
    meetings = find_meetings(document, kb, entities, dates, dateline)
    topics = find_topics(document, kb, meetings, entities)
    return ArticleExtraction(
        document=document,
        source=raw.source,
        date_source=date_source,
        dateline=dateline,
        entities=entities,
        dates=tuple(dates),
        meetings=tuple(meetings),
        topics=tuple(topics),
        signature=signature(raw.text),
        pages=raw.pages,
    )


def extract_one(raw: RawArticle, kb: KnowledgeBase) -> ArticleExtraction | InputProblem:
    """The article's extraction, or why it could not be extracted: one article's failure never sinks the others."""
    try:
        return extract_article(raw, kb)
    except Exception as error:  # the per-input boundary of extraction (readers.failure words it)
        return InputProblem(raw.source, failure(error), True)
