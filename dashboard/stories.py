"""Stories, not copies: counting and naming the copies of one report, as pure functions of the tables.

A wire story republished by three outlets is three articles (each kept, with
its source) and one story (`stories` table). Counts an analyst compares, such
as articles per topic, count stories so a syndicated report weighs once.
"""

from __future__ import annotations

import pandas as pd

from dashboard import table_access

__all__ = ["STORY_OF", "story_of", "count", "copies"]


# Article id → story id for the articles in the tables, as SQL for `table_access.sql` (to join into a count): an
# article without a story row is its own story.
STORY_OF = ("SELECT a.article_id, coalesce(s.story_id, a.article_id) AS story_id "
            "FROM {articles} a LEFT JOIN {stories} s ON s.article_id = a.article_id")


def story_of(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Article id → story id for the articles in `tables` (`STORY_OF`)."""
    found = table_access.sql(tables, STORY_OF)
    return pd.Series(found["story_id"].to_numpy(), index=found["article_id"].to_numpy(), dtype="string")


def count(tables: dict[str, pd.DataFrame]) -> int:
    """Distinct stories among the articles in `tables`, counted by DuckDB (103,371 articles at 100,000)."""
    return int(table_access.sql(tables, f"SELECT count(DISTINCT story_id) AS n FROM ({STORY_OF})")["n"].iloc[0])


def copies(tables: dict[str, pd.DataFrame], article_id: str) -> pd.DataFrame:
    """The other articles of the article's story (its source, title, date), earliest first."""
    story = table_access.rows(tables, "stories", "article_id", [article_id])["story_id"]  # not 103,371 rows at 100,000 articles
    if story.empty:
        return table_access.rows(tables, "articles", "article_id", [])[["article_id", "source", "title", "published"]]
    stories = table_access.rows(tables, "stories", "story_id", [story.iloc[0]])
    others = stories.loc[stories["article_id"] != article_id, "article_id"]
    found = table_access.rows(tables, "articles", "article_id", others)
    return found[["article_id", "source", "title", "published"]].sort_values(["published", "source"], na_position="last", ignore_index=True)
