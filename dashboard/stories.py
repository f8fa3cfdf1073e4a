"""Stories, not copies: counting and naming the copies of one report, as pure functions of the tables.

A wire story republished by three outlets is three articles (each kept, with
its source) and one story (`stories` table). Counts an analyst compares, such
as articles per topic, count stories so a syndicated report weighs once.
"""

from __future__ import annotations

import pandas as pd

from dashboard import table_access

__all__ = ["story_of", "count", "copies"]


def story_of(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Article id → story id for the articles in `tables`; an article without a story row is its own story."""
    known = dict(zip(tables["stories"]["article_id"], tables["stories"]["story_id"]))
    articles = list(table_access.column(tables, "articles", "article_id"))
    return pd.Series([known.get(a, a) for a in articles], index=articles, dtype="string")


def count(tables: dict[str, pd.DataFrame]) -> int:
    """Distinct stories among the articles in `tables`."""
    return int(story_of(tables).nunique())


def copies(tables: dict[str, pd.DataFrame], article_id: str) -> pd.DataFrame:
    """The other articles of the article's story (its source, title, date), earliest first."""
    stories = tables["stories"]
    story = stories.loc[stories["article_id"] == article_id, "story_id"]
    if story.empty:
        return table_access.rows(tables, "articles", "article_id", [])[["article_id", "source", "title", "published"]]
    others = stories.loc[(stories["story_id"] == story.iloc[0]) & (stories["article_id"] != article_id), "article_id"]
    found = table_access.rows(tables, "articles", "article_id", others)
    return found[["article_id", "source", "title", "published"]].sort_values(["published", "source"], na_position="last", ignore_index=True)
