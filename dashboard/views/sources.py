"""Sources: the articles, and a reader that marks who, what, where and when in the text itself."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import sources, state, stories, table_access
from dashboard.url_settings import Setting, bind

SEARCH_KEY = state.key("sources", "search")
ARTICLE_KEY = state.key("sources", "article")
MAX_HITS = 25


def _on_pick() -> None:
    state.set_reader(st.session_state.get(ARTICLE_KEY), None)


def _choices(listing: pd.DataFrame, query: str, with_hits: set[str]) -> pd.DataFrame:
    """Articles whose title contains the query (case-insensitive) or that have a sentence that does."""
    if not query.strip():
        return listing
    needle = query.strip().casefold()
    return listing[listing["title"].str.casefold().str.contains(needle, regex=False) | listing["article_id"].isin(with_hits)]


def _hits(hits: pd.DataFrame, query: str) -> None:
    """The sentences that contain the query, the words marked (escaped), each with a link to read it in place."""
    if hits.empty:
        st.caption("No sentence contains it.")
        return
    with st.expander(f"{len(hits)} sentence(s) contain “{sources.literal(query)}”" + (f"; the newest {MAX_HITS}" if len(hits) > MAX_HITS else ""), expanded=True):
        for row in hits.head(MAX_HITS).itertuples(index=False):
            st.html(sources.quote_html(row.sentence, row.title, None if pd.isna(row.published) else row.published, hit=query))
            state.sentence_link(row.article_id, int(row.sentence_id))


def _reader(tables: dict[str, pd.DataFrame], article_id: str, sentence_id: int | None) -> None:
    article = table_access.rows(tables, "articles", "article_id", [article_id]).set_index("article_id").loc[article_id]
    st.subheader(sources.literal(article["title"]))
    facts = [
        f"Published {article['published']}" if pd.notna(article["published"]) else "Publication date unknown",
        f"dateline “{sources.literal(article['dateline'])}”" if pd.notna(article["dateline"]) else None,
        f"source {sources.literal(article['source'])}",
        f"{sources.page_count(tables, article_id)} pages" if sources.page_count(tables, article_id) else None,
    ]
    st.caption(" · ".join(f for f in facts if f))
    copies = stories.copies(tables, article_id)
    if not copies.empty:
        st.caption("Also published by: " + "; ".join(sources.literal(s) for s in copies["source"])
                   + " (the same story with small edits; counted once)")
    sentences = tables["sentences"][tables["sentences"]["article_id"] == article_id]
    if sentence_id is not None and sentence_id not in set(sentences["sentence_id"]):
        st.warning(f"This article has no sentence {sentence_id}; showing the whole article.")
        sentence_id = None
    if sentence_id is not None:
        quoted = sentences.loc[sentences["sentence_id"] == sentence_id, "text"].iloc[0]
        page = sources.sentence_page(tables, article_id, sentence_id)
        st.markdown(f"**The sentence you came from**{f' (page {page})' if page else ''}, emphasised in the text below:")
        st.html(sources.quote_html(quoted, article["title"], None if pd.isna(article["published"]) else article["published"]))
    st.html(sources.legend_html())
    st.html(
        sources.highlight_html(
            article["text"],
            sentences,
            sources.mention_spans(tables, article_id),
            topics=sources.topic_sentences(tables, article_id),
            selected=sentence_id,
        )
    )
    mentions = tables["mentions"][tables["mentions"]["article_id"] == article_id]
    with st.expander(f"{len(mentions)} mention(s) found in this article"):
        st.dataframe(sources.mention_table(tables, article_id), hide_index=True, key=state.key("sources", "mentions"))


def main() -> None:
    st.title("Sources")
    state.linked_notice()
    tables = state.filtered_tables()
    everything = state.dataset().tables
    article_id, sentence_id = state.reader()
    listing = sources.article_list(tables)
    outside = (article_id is not None and article_id not in set(listing["article_id"])
               and not state.dataset().query("SELECT 1 FROM articles WHERE article_id = $id", {"id": article_id}).empty)
    if listing.empty and not outside:
        st.info(state.NOTHING_MATCHES)
        return
    if len(listing) > sources.LISTED:
        st.caption(f"The newest {sources.LISTED:,} of {len(listing):,} articles; the sidebar filters and the search below narrow the list.")
    st.dataframe(
        listing.head(sources.LISTED),
        column_config={"article_id": None, "published": "Published", "title": "Title", "source": "Source", "meetings": "Meetings", "mentions": "Mentions"},
        hide_index=True,
        key=state.key("sources", "list"),
    )
    bind(SEARCH_KEY, Setting("q", ""))
    query = st.text_input("Search the articles", key=SEARCH_KEY, placeholder="a name, a phrase or an organisation, e.g. Home Affairs",
                          help="Titles and every sentence, ignoring case. Matching sentences are listed with a link to read them in place.")
    hits = sources.search_sentences(tables, query)
    if query.strip():
        _hits(hits, query.strip())
    choices = _choices(listing, query, set(hits["article_id"]))
    choices = pd.concat([choices.head(sources.LISTED), choices[choices["article_id"] == article_id]]).drop_duplicates("article_id")
    if outside:
        st.info("A link opened an article outside the current filters; it is shown from the unfiltered data.")
        tables = everything
        choices = pd.concat([sources.article_list(everything).query("article_id == @article_id"), choices])
    labels = dict(zip(choices["article_id"], choices["published"].fillna("undated") + " · " + choices["title"]))
    if not labels:
        st.info("No article contains that text.")
        return
    # With no article asked for, open the first one listed: a reader is what the page is for.
    st.session_state[ARTICLE_KEY] = article_id if article_id in labels else next(iter(labels))
    picked = st.selectbox(
        "Article", list(labels), format_func=labels.get, index=None, placeholder="Choose an article to read",
        key=ARTICLE_KEY, on_change=_on_pick,
    )
    if picked:
        sentence_id = sentence_id if picked == article_id else None
        state.set_reader(picked, sentence_id)  # keeps the reader in the URL after a click in the page menu
        _reader(tables.of_article(picked), picked, sentence_id)  # only this article's sentences and mentions are read


main()
