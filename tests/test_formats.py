"""Each new input format on files written for the tests, read and built into the expected tables."""

import random
from datetime import date, datetime, timezone
from email.message import EmailMessage

import pytest
from fpdf import FPDF

from data_pipeline.build import build_tables
from data_pipeline.pages import page_of
from data_pipeline.readers import SUFFIXES, read_file, read_inputs
from data_pipeline.formats import READERS
from tests.conftest import ROOT, assert_traceable

FORMATS = ROOT / "tests" / "formats"


def _pdf(pages: list[str], title: str | None = "Joint Statement of the Quad Senior Cyber Group") -> bytes:
    """A PDF with one page per text, drawn by fpdf2 with a text layer, as a ministry's statement would be."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    pdf.set_creation_date(datetime(2023, 10, 6, 9, 0, tzinfo=timezone.utc))
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


STATEMENT = [
    "Joint Statement of the Quad Senior Cyber Group\n\n"
    "New Delhi, October 6, 2023: The Quad Senior Cyber Group principals met in New Delhi on 5 October 2023. "
    "Australia's Ambassador for Cyber Affairs and Critical Technology, Brendan Dowling, attended the meeting.",
    "The principals agreed to strengthen the security of software supply chains in the Indo-Pacific.\n\n"
    "The next principals meeting will be hosted by Japan.",
]


def test_every_suffix_has_one_reader_and_text_formats_stay_in_readers():
    assert set(READERS) == set(SUFFIXES) - {".txt", ".md", ".json", ".jsonl"}


def test_saved_ministry_page_keeps_the_release_and_drops_banner_navigation_and_related_list():
    path = FORMATS / "ministry_media_release.html"
    (article,), problems, _ = read_file(path)
    assert problems == []
    assert article.title == "Quad Senior Cyber Group meets in Canberra"
    assert article.published == date(2024, 3, 6) and article.date_source == "metadata"
    assert article.source == "https://ministry.example.gov/news/media-release/quad-senior-cyber-group-canberra"
    assert article.text.startswith("Senior cyber officials of Australia, India, Japan and the United States met in Canberra")
    for boilerplate in ("cookies", "Skip to main content", "Trade and investment", "Related articles", "Horn of Africa", "Privacy"):
        assert boilerplate not in article.text
    tables = build_tables([path]).tables
    assert_traceable(tables)
    meeting = tables["meetings"].iloc[0]
    assert (meeting["start_date"], meeting["city"], meeting["kind"]) == ("2024-03-05", "Canberra", "principals meeting")
    assert "per-brendan-dowling" in set(tables["people"]["person_id"])
    assert {"supply-chain-security", "capacity-building", "cybercrime-ransomware"} <= set(tables["topic_mentions"]["topic_id"])


def test_saved_newspaper_page_drops_newsletter_box_most_read_and_more_on_this_story():
    (article,), problems, _ = read_file(FORMATS / "newspaper_wire_story.html")
    assert article.title == "Quad cyber officials back ransomware pact for ports"
    assert article.published == date(2024, 6, 14)
    assert article.source == "https://harbourtimes.example.com/world/asia/quad-ransomware-ports-2024-06-14/"
    assert article.text.startswith("TOKYO, June 14 - Senior cyber officials")
    assert article.text.endswith('"No single country can defend its ports alone," Moriyama said.')
    for boilerplate in ("Sign up", "Cricket", "port shutdown costs", "Accept All Cookies", "Subscribe"):
        assert boilerplate not in article.text


@pytest.mark.parametrize("content, reason", [
    ("<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><script>var x = 1;</script></body></html>",
     "no article text"),
    ("", "empty file"),
])
def test_a_page_without_an_article_is_refused_naming_the_file(write, content, reason):
    path = write("page.html", content)
    articles, problems, _ = read_file(path)
    assert articles == [] and len(problems) == 1 and problems[0].fatal
    assert problems[0].path == str(path) and reason in problems[0].message


def test_two_page_pdf_keeps_reading_order_metadata_and_pages(write):
    path = write("statement.pdf", _pdf(STATEMENT))
    (article,), problems, _ = read_file(path)
    assert problems == []
    assert article.title == "Joint Statement of the Quad Senior Cyber Group"
    assert article.published == date(2023, 10, 6) and article.date_source == "metadata"
    assert article.text.startswith("New Delhi, October 6, 2023: The Quad Senior Cyber Group principals met")
    assert article.text.index("Brendan Dowling") < article.text.index("software supply chains") < article.text.index("hosted by Japan")
    assert len(article.pages) == 2 and article.pages[0] == 0
    assert article.text[article.pages[1]:].startswith("The principals agreed to strengthen")

    tables = build_tables([path]).tables
    assert_traceable(tables)
    pages = tables["pages"]
    assert list(pages["page"]) == [1, 2]
    text = tables["articles"]["text"].iloc[0]
    assert text[pages["start"].iloc[1]:pages["end"].iloc[1]].endswith("hosted by Japan.")
    sentences = tables["sentences"]
    on_page = {row.text: page_of(list(pages["start"]), row.start) for row in sentences.itertuples()}
    assert on_page["The next principals meeting will be hosted by Japan."] == 2
    assert next(p for s, p in on_page.items() if s.startswith("New Delhi, October 6")) == 1
    meeting = tables["meetings"].iloc[0]
    assert (meeting["start_date"], meeting["city"]) == ("2023-10-05", "New Delhi")


def test_pdf_title_falls_back_to_its_first_line(write):
    (article,), _, _ = read_file(write("untitled.pdf", _pdf(STATEMENT, title=None)))
    assert article.title == "Joint Statement of the Quad Senior Cyber Group"
    assert article.text.startswith("New Delhi, October 6")


def test_scanned_pdf_without_text_layer_is_refused(write):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # a page with only a drawing: what a scan's text layer looks like
    path = write("scan.pdf", bytes(pdf.output()))
    articles, problems, _ = read_file(path)
    assert articles == [] and problems[0].fatal
    assert "no text layer" in problems[0].message and "OCR" in problems[0].message


@pytest.mark.parametrize("content, reason", [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage", "damaged PDF"),
    (b"<html>not a pdf</html>", "not a PDF"),
])
def test_broken_pdf_is_refused_with_a_message(write, content, reason):
    articles, problems, _ = read_file(write("broken.pdf", content))
    assert articles == [] and reason in problems[0].message


def test_rss_items_become_articles_once_and_an_item_without_text_is_a_warning():
    path = FORMATS / "ministry_feed.rss"
    articles, problems, _ = read_file(path)
    assert [(a.title, a.published, a.source) for a in articles] == [
        ("Quad Senior Cyber Group meets in New Delhi", date(2023, 10, 6), "https://mea.example.gov/press-releases/qscg-new-delhi-2023"),
        ("Visit of the Foreign Secretary to Colombo", date(2023, 10, 9), "https://mea.example.gov/press-releases/fs-colombo"),
    ]
    assert articles[0].text == (
        "The Quad Senior Cyber Group principals met in New Delhi on 5 October 2023, hosted by the National Security "
        "Council Secretariat.\n\nThe principals agreed to work together on secure software development and on "
        "capacity building for partners in the Indo-Pacific."
    )
    assert [(p.fatal, "gallery/reception" in p.message) for p in problems] == [(False, True)]
    tables = build_tables([path]).tables
    assert_traceable(tables)
    assert len(tables["articles"]) == 2
    assert list(tables["meetings"]["city"]) == ["New Delhi"]


def test_atom_entries_use_content_over_summary_and_fall_back_to_the_id():
    articles, problems, _ = read_file(FORMATS / "outlet_feed.atom")
    assert problems == []
    tokyo, heat = articles
    assert tokyo.source == "https://harbourtimes.example.com/world/quad-tokyo-ports"
    assert tokyo.published == date(2024, 6, 14)
    assert tokyo.text.endswith("Kenji Moriyama, Japan's Ambassador for Cyber Policy, chaired the session.")
    assert heat.source == "urn:uuid:3c1a7e2e-0000-4000-8000-000000000003" and heat.published == date(2024, 6, 13)


@pytest.mark.parametrize("name, content", [
    ("notes.xml", "<?xml version='1.0'?><config><setting>1</setting></config>"),
    ("broken.rss", "this is not xml at all <<<"),
])
def test_xml_that_is_not_a_feed_is_refused(write, name, content):
    articles, problems, _ = read_file(write(name, content))
    assert articles == [] and problems[0].fatal
    assert "not an RSS or Atom feed" in problems[0].message or "no items" in problems[0].message


def test_email_takes_subject_date_and_the_text_part():
    path = FORMATS / "press_release.eml"
    (article,), problems, _ = read_file(path)
    assert problems == []
    assert article.title == "Media release: Quad cyber principals meet in Sydney"
    assert article.published == date(2024, 11, 7) and article.date_source == "metadata"
    assert article.text.startswith("Sydney, 7 November 2024: The Quad Senior Cyber Group principals met in Sydney on 6 November 2024.")
    assert "Australia’s Ambassador" in article.text and "Unsubscribe" not in article.text
    tables = build_tables([path]).tables
    assert_traceable(tables)
    assert list(tables["meetings"]["start_date"]) == ["2024-11-06"]


def test_email_with_only_an_html_part_gives_that_part_s_text(write):
    message = EmailMessage()
    message["Subject"], message["From"], message["Date"] = "Quad note", "a@example.org", "Tue, 02 Jan 2024 10:00:00 +0000"
    message.set_content("<p>First paragraph.</p><p>Second &amp; last.</p><style>p{}</style>", subtype="html")
    (article,), _, _ = read_file(write("note.eml", message.as_bytes()))
    assert article.text == "First paragraph.\n\nSecond & last."


def test_bytes_that_are_no_email_are_refused(write):
    articles, problems, _ = read_file(write("junk.eml", "just a line of text with no headers at all\n"))
    assert articles == [] and "not an e-mail" in problems[0].message


def test_a_folder_of_every_format_reads_each_file_and_goes_on_past_broken_ones(write, tmp_path):
    for source in FORMATS.glob("*.*"):
        write(f"in/{source.name}", source.read_bytes())
    write("in/statement.pdf", _pdf(STATEMENT))
    write("in/broken.pdf", b"%PDF-1.4 nothing else")
    articles, problems, files = read_inputs([tmp_path / "in"])
    read = {f["path"].rsplit("/", 1)[-1]: f["status"] for f in files}
    assert read == {
        "broken.pdf": "refused", "ministry_feed.rss": "read", "ministry_media_release.html": "read",
        "newspaper_wire_story.html": "read", "outlet_feed.atom": "read", "press_release.eml": "read", "statement.pdf": "read",
    }
    assert len(articles) == 8
    assert [p.path.rsplit("/", 1)[-1] for p in problems if p.fatal] == ["broken.pdf"]


def test_uploads_of_every_format_are_kept_or_refused_and_a_rebuild_keeps_pages_and_stories(tmp_path):
    from data_pipeline import store
    from data_pipeline.update import ADDED, REFUSED, Upload, update

    folder = tmp_path / "data"
    uploads = [Upload(p.name.upper(), p.read_bytes()) for p in sorted(FORMATS.glob("*.*"))]
    *wire, last = [Upload(p.name, p.read_bytes()) for p in sorted((FORMATS / "wire").glob("outlet_*.txt"))]
    uploads += [*wire, Upload("statement.pdf", _pdf(STATEMENT)), Upload("scan.pdf", b"%PDF-1.4 broken"), Upload("page.htm", b"<html></html>")]
    result = update(folder, uploads)
    status = {o.name: o.status for o in result.outcomes}
    assert status.pop("scan.pdf") == REFUSED and status.pop("page.htm") == REFUSED
    assert set(status.values()) == {ADDED}
    assert sorted(p.name for p in store.inbox(folder).iterdir())[:3] == ["MINISTRY_FEED.rss", "MINISTRY_MEDIA_RELEASE.html", "NEWSPAPER_WIRE_STORY.html"]
    result = update(folder, [last])  # incremental: every other extraction, the PDF's among them, is reused
    assert result.build.extracted == 1
    built = store.read_tables(folder)
    assert_traceable(built)
    assert len(built["articles"]) == 11 and built["stories"]["story_id"].nunique() == 9  # three copies of one wire story
    assert list(built["pages"]["page"]) == [1, 2]
    update(folder, full=True)
    full = store.read_tables(folder)
    for name in ("articles", "stories", "pages", "meetings"):
        assert full[name].equals(built[name]), name


def _mutations(data: bytes, seed: int, count: int) -> list[bytes]:
    """Broken copies of a good file: bytes overwritten, cut short, or replaced by noise behind the right magic."""
    rng = random.Random(seed)
    found = []
    for _ in range(count):
        copy = bytearray(data)
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 40)):
                copy[rng.randrange(len(copy))] = rng.randrange(256)
        else:
            copy = copy[: rng.randrange(1, len(copy))]
        found.append(bytes(copy))
    found.append(data[:8] + bytes(rng.randrange(256) for _ in range(300)))
    return found


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_broken_files_of_every_format_are_read_or_refused_never_raised(write, suffix):
    good = {".pdf": _pdf(STATEMENT)}.get(suffix) or next(
        p.read_bytes() for p in sorted(FORMATS.glob("*.*")) if p.suffix in ({".xml": ".rss", ".htm": ".html"}.get(suffix, suffix),))
    for index, data in enumerate(_mutations(good, seed=len(suffix) * 7919, count=40)):
        path = write(f"broken-{index}{suffix}", data)
        articles, problems, _ = read_file(path)  # never raises
        assert articles or any(p.fatal for p in problems)
        assert all(p.path == str(path) for p in problems)
        assert all(a.text and a.text == a.text.strip() for a in articles)


def test_a_feed_item_without_text_is_said_once_on_the_command_line(tmp_path, capsys):
    from data_pipeline import cli

    assert cli.main(["build", str(FORMATS / "ministry_feed.rss"), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 0
    assert capsys.readouterr().err.count("gallery/reception has no text") == 1
