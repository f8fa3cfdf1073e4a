from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_pipeline.dates import (
    find_dates,
    month_span,
    quotation_spans,
    resolve_month_day,
    resolve_weekdays,
    resolve_written_day,
    year_span,
)
from data_pipeline.model import DateSpan, Document
from data_pipeline.sentences import split_sentences

TUESDAY = date(2023, 1, 31)


def doc(text: str, published: date | None = TUESDAY) -> Document:
    return Document("art-test", "test", text, published, split_sentences(text))


def spans(text: str, published: date | None = TUESDAY) -> dict[str, DateSpan]:
    return {f.surface: f.span for f in find_dates(doc(text, published))}


def day(iso: str) -> DateSpan:
    d = date.fromisoformat(iso)
    return DateSpan(d, d, "day")


def days(first: str, last: str) -> DateSpan:
    return DateSpan(date.fromisoformat(first), date.fromisoformat(last), "day")


@pytest.mark.parametrize(
    "text, surface, expected",
    [
        ("The report is dated 2023-01-15.", "2023-01-15", day("2023-01-15")),
        ("They signed it on 31 January 2023 in Delhi.", "31 January 2023", day("2023-01-31")),
        ("They signed it on January 31, 2023 in Delhi.", "January 31, 2023", day("2023-01-31")),
        ("It was agreed on the 3rd of March, 2021.", "3rd of March, 2021", day("2021-03-03")),
        ("It was signed on Jan. 12 at noon.", "Jan. 12", day("2023-01-12")),
        # without a year, the closest such day on or before the article date
        ("It was signed on Dec 20 at noon.", "Dec 20", day("2022-12-20")),
        ("The talks ran on 3–4 March 2024.", "3–4 March 2024", days("2024-03-03", "2024-03-04")),
        ("The talks ran March 3-4, 2024.", "March 3-4, 2024", days("2024-03-03", "2024-03-04")),
        ("The talks ran from 3 to 5 March 2024.", "from 3 to 5 March 2024", days("2024-03-03", "2024-03-05")),
        ("The talks ran March 30 - April 2, 2024.", "March 30 - April 2, 2024", days("2024-03-30", "2024-04-02")),
        ("The talks ran 30 December to 2 January 2024.", "30 December to 2 January 2024", days("2023-12-30", "2024-01-02")),
        ("The plan was adopted in March 2021.", "March 2021", month_span(2021, 3)),
        ("The plan was adopted in 2022 by all four.", "2022", year_span(2022)),
        ("It has grown since early 2019.", "early 2019", year_span(2019)),
        ("The plan was adopted in October.", "October", month_span(2022, 10)),
        ("They met on Monday and Tuesday.", "Monday and Tuesday", days("2023-01-30", "2023-01-31")),
        ("They met from Wednesday to Friday.", "Wednesday to Friday", days("2023-01-25", "2023-01-27")),
        ("They met last Tuesday.", "last Tuesday", day("2023-01-24")),
        # a time of day after a weekday: the day itself, on the article's own day too
        ("A side meeting was held on Monday evening.", "Monday", day("2023-01-30")),
        ("A side meeting was held on Tuesday evening.", "Tuesday", day("2023-01-31")),
        ("The group met yesterday.", "yesterday", day("2023-01-30")),
        ("The group meets today.", "today", day("2023-01-31")),
        ("The group met last week.", "last week", days("2023-01-23", "2023-01-29")),
        ("The group met this week.", "this week", days("2023-01-30", "2023-02-05")),
        ("The group met earlier this month.", "earlier this month", DateSpan(date(2023, 1, 1), date(2023, 1, 30), "month")),
        ("The group met last month.", "last month", month_span(2022, 12)),
        ("The group met last year.", "last year", year_span(2022)),
        ("Last year the group met twice.", "Last year", year_span(2022)),
    ],
)
def test_resolves_written_and_relative_dates(text, surface, expected):
    assert spans(text)[surface] == expected


def test_future_sentence_resolves_forward():
    assert spans("The ministers will meet on March 3.")["March 3"] == day("2023-03-03")
    assert spans("The next round is scheduled for Thursday.")["Thursday"] == day("2023-02-02")
    assert spans("The ministers met on March 3.")["March 3"] == day("2022-03-03")


def test_only_the_future_before_a_date_in_its_clause_counts():
    found = spans("Officials met on Wednesday, agreeing to hold an exercise next year.", date(2024, 10, 10))
    assert found["Wednesday"] == day("2024-10-09")
    assert spans("On Friday, the ministers endorsed a plan to meet.", date(2023, 9, 23))["Friday"] == day("2023-09-22")


def test_precision_never_exceeds_the_text():
    found = find_dates(doc("In 2021 they met; in May 2022 they met; on 5 May 2022 they met again."))
    assert [(f.surface, f.span.precision) for f in found] == [("2021", "year"), ("May 2022", "month"), ("5 May 2022", "day")]


def test_relative_dates_need_the_article_date():
    text = "On Monday, the group met in Tokyo; on 4 March 2024 it met again. Last year it met in June 2022."
    assert list(spans(text, published=None)) == ["4 March 2024", "June 2022"]


def test_relative_dates_inside_quotes_are_not_resolved():
    text = 'The minister said: "We met this week and again on Friday, and will meet in June 2024." She met them yesterday.'
    found = spans(text)
    assert "this week" not in found and "Friday" not in found
    assert found["June 2024"] == month_span(2024, 6)
    assert found["yesterday"] == day("2023-01-30")


def test_quote_running_to_end_of_paragraph_still_counts_as_quote():
    text = '"Last week the group met in Tokyo, the official said\n\nThe group met yesterday.'
    assert list(spans(text)) == ["yesterday"]


def test_curly_quotes_and_sentence_ids():
    text = "The group met on Monday. “It met last week,” he said. It met on 2 May 2022."
    found = find_dates(doc(text))
    assert [(f.surface, f.sentence_id) for f in found] == [("Monday", 0), ("2 May 2022", 2)]


def test_impossible_days_and_lowercase_may_are_not_dates():
    assert spans("It may 5 times fail; the 31 April 2023 notice and 2023-02-30 are typos.") == {"April 2023": month_span(2023, 4)}


def test_quotation_spans_pairs_straight_quotes_per_paragraph():
    text = 'He said "yes" and "no".\n\n"Open quote runs on\n\nNew paragraph.'
    assert [text[a:b] for a, b in quotation_spans(text)] == ['"yes"', '"no"', '"Open quote runs on']


def test_resolve_written_day_for_datelines():
    assert resolve_written_day("March 3, 2024", None) == day("2024-03-03")
    assert resolve_written_day("Jan 31", date(2023, 2, 2)) == day("2023-01-31")
    assert resolve_written_day("Jan 31", None) is None
    assert resolve_written_day("Feb 30, 2024", None) is None


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(1, 12), st.integers(1, 31))
def test_month_day_is_the_closest_on_or_before(anchor, month, day_of_month):
    found = resolve_month_day(month, day_of_month, anchor)
    if found is None:
        with pytest.raises(ValueError):
            date(2024, month, day_of_month)  # only days that exist in no year (e.g. 31 April) are missing
        return
    assert (found.month, found.day) == (month, day_of_month)
    assert found <= anchor
    assert (anchor - found).days < (366 if (month, day_of_month) != (2, 29) else 366 * 8)


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.lists(st.integers(0, 6), min_size=1, max_size=3, unique=True))
def test_weekdays_end_on_or_before_the_anchor_within_a_fortnight(anchor, weekdays):
    weekdays = sorted(weekdays)
    span = resolve_weekdays(weekdays, anchor)
    assert span.end <= anchor < span.end + timedelta(days=7)
    assert span.start.weekday() == weekdays[0] and span.end.weekday() == weekdays[-1]
    assert (span.end - span.start).days < 7
    assert span.precision == "day"


@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.integers(0, 6))
def test_future_weekday_is_on_or_after_the_anchor(anchor, weekday):
    span = resolve_weekdays([weekday], anchor, future=True)
    assert anchor <= span.start < anchor + timedelta(days=7) and span.start.weekday() == weekday


@given(st.integers(1990, 2090), st.integers(1, 12))
def test_month_span_covers_exactly_the_month(year, month):
    span = month_span(year, month)
    assert span.start == date(year, month, 1)
    assert (span.end + timedelta(days=1)).day == 1 and span.end.month == month
    assert span.precision == "month"


def test_a_place_or_a_list_between_commas_does_not_end_the_future_clause():
    from data_pipeline.dates import _speaks_of_future

    for text in ("Biden will host the leaders of Australia, India and Japan in Wilmington, Delaware, on Saturday",
                 "Officials will meet in Tokyo, Japan, on Saturday"):
        assert _speaks_of_future(text, 0, text.index("on Saturday"))
    text = "Officials will meet in Tokyo, which hosted talks on Saturday"
    assert not _speaks_of_future(text, 0, text.index("on Saturday"))
