"""Reading articles: formats, encodings, metadata sources and the failures users must see."""

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from geomap.articles import Article, ArticleUnreadable, published_from_text, read_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TR_NEWS = Path(__file__).resolve().parent.parent.parent / "shared/corpora/TR-News/TR-News.normalized.jsonl"
OCT_1 = dt.date(2020, 10, 1)


def write_file(folder: Path, name: str, content: str | bytes) -> Path:
    """Write one fixture file (text as UTF-8) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def write_jsonl(folder: Path, name: str, lines: list[dict | str]) -> Path:
    """Write a JSON lines file; strings are written as they are (to make bad lines)."""
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return write_file(folder, name, text + "\n")


def front_matter(fields: str, body: str) -> str:
    """A document with a YAML front matter block."""
    return f"---\n{fields}\n---\n{body}"


HTML_PAGE = """<!doctype html>
<html><head>
<title>Clashes resume - Example News</title>
<meta property="og:title" content="Clashes resume in the region">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2020-10-01T09:15:00+02:00">
<link rel="canonical" href="https://news.example/clashes">
<style>body { color: red }</style>
<script>var tracking = "do not read";</script>
</head><body>
<header>Site header menu</header>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Clashes resume</h1>
<p>Fighting resumed on <b>Sunday</b> near the front line.</p>
<script>alert("inline")</script>
<p>At least 20 people<br>were killed.</p>
<aside>Related: other stories</aside>
</article>
<footer>Copyright footer</footer>
</body></html>
"""


def test_txt_keeps_text_verbatim(tmp_path):
    text = "Line one.\r\n\r\n  Indented “quote” line.\n"
    path = write_file(tmp_path, "a.txt", text)
    [article] = read_articles(path)
    assert article == Article(id="a.txt", text=text, path=str(path))


def test_txt_cp1252_fallback_is_flagged(tmp_path):
    path = write_file(tmp_path, "old.txt", "Caf\u00e9 \u201cquoted\u201d \u2013 done".encode("cp1252"))
    [article] = read_articles(path)
    assert article.text == "Caf\u00e9 \u201cquoted\u201d \u2013 done"
    assert article.encoding_warning == "decoded as cp1252"


def test_utf8_byte_order_mark_is_dropped(tmp_path):
    path = write_file(tmp_path, "bom.txt", b"\xef\xbb\xbfHello Baku.")
    [article] = read_articles(path)
    assert (article.text, article.encoding_warning) == ("Hello Baku.", None)


@pytest.mark.parametrize("published_yaml", [
    "2020-10-01",
    "2020-10-01T08:30:00Z",
    "'2020-10-01 08:30'",
    "'October 1, 2020'",
    "'1 October 2020'",
])
def test_front_matter_published_forms(tmp_path, published_yaml):
    path = write_file(tmp_path, "a.md", front_matter(f"published: {published_yaml}", "Body."))
    [article] = read_articles(path)
    assert article.published == OCT_1


def test_front_matter_fields_and_body(tmp_path):
    fields = "title: Ceasefire call\nsource: Example Wire\nurl: https://news.example/a"
    path = write_file(tmp_path, "a.markdown", front_matter(fields, "Body starts here.\n"))
    [article] = read_articles(path)
    assert (article.title, article.source, article.url) == (
        "Ceasefire call", "Example Wire", "https://news.example/a")
    assert article.text == "Body starts here.\n"


def test_front_matter_in_txt_file(tmp_path):
    path = write_file(tmp_path, "a.txt", front_matter("title: In a text file", "Body."))
    [article] = read_articles(path)
    assert (article.title, article.text) == ("In a text file", "Body.")


def test_markdown_heading_is_the_title_without_front_matter(tmp_path):
    path = write_file(tmp_path, "a.md", "# Shelling in Ganja\n\nText of the article.")
    [article] = read_articles(path)
    assert article.title == "Shelling in Ganja"
    assert article.text == "# Shelling in Ganja\n\nText of the article."


@pytest.mark.parametrize("content, reason", [
    (front_matter("published: soon", "Body."), "cannot read 'soon' as a date"),
    (front_matter("title: [unclosed", "Body."), "invalid YAML front matter"),
    (front_matter("- a list", "Body."), "must be a mapping"),
    (front_matter("title: Only metadata", ""), "no article text"),
])
def test_bad_front_matter_names_the_file(tmp_path, content, reason):
    path = write_file(tmp_path, "bad.md", content)
    with pytest.raises(ArticleUnreadable, match=reason) as raised:
        read_articles(path)
    assert str(path) in str(raised.value)


def test_html_keeps_the_article_without_page_furniture(tmp_path):
    path = write_file(tmp_path, "page.html", HTML_PAGE)
    [article] = read_articles(path)
    assert article.text == ("Clashes resume\n\nFighting resumed on Sunday near the front line."
                            "\n\nAt least 20 people\nwere killed.")
    assert article.title == "Clashes resume in the region"
    assert article.source == "Example News"
    assert article.url == "https://news.example/clashes"
    assert article.published == OCT_1


def test_html_fallbacks_title_time_and_main(tmp_path):
    page = ("<html><head><title>Plain title</title></head><body><nav>Menu</nav>"
            "<div>Sidebar text</div><main><p>Main text on <time datetime='2020-10-05'>Monday"
            "</time>.</p></main></body></html>")
    [article] = read_articles(write_file(tmp_path, "page.htm", page))
    assert (article.title, article.published, article.text) == (
        "Plain title", dt.date(2020, 10, 5), "Main text on Monday.")


def test_jsonl_bad_line_is_reported_and_others_load(tmp_path):
    path = write_jsonl(tmp_path, "batch.jsonl", [
        {"doc_id": "d1", "text": "First text.", "title": "One", "published": "2020-10-01"},
        "{not json",
        {"text": "Third text.", "source": "Wire"},
        {"id": "d4", "title": "No text"},
    ])
    errors: list = []
    articles = read_articles(path, errors=errors)
    assert [(a.id, a.text, a.published, a.source) for a in articles] == [
        ("d1", "First text.", OCT_1, None),
        ("batch.jsonl#3", "Third text.", None, "Wire"),
    ]
    assert [(error.path, error.line) for error in errors] == [(str(path), 2), (str(path), 4)]
    assert str(errors[0]).startswith(f"{path}:2: invalid JSON")


def test_jsonl_bad_line_raises_without_errors_list(tmp_path):
    path = write_jsonl(tmp_path, "batch.ndjson", [{"text": "ok"}, "[1, 2]"])
    with pytest.raises(ArticleUnreadable, match=rf"{path.name}:2: each line must be a JSON object"):
        read_articles(path)


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n ", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("controls.txt", bytes(range(1, 32)) * 4, "binary file"),
    ("undecodable.txt", b"caf\xe9 \x81\x8d", "neither UTF-8 nor cp1252"),
    ("empty.jsonl", b"", "empty file"),
])
def test_unreadable_files_name_their_path(tmp_path, name, content, reason):
    path = write_file(tmp_path, name, content)
    with pytest.raises(ArticleUnreadable, match=reason) as raised:
        read_articles(path)
    assert raised.value.path == str(path)


def test_missing_path_is_unreadable(tmp_path):
    with pytest.raises(ArticleUnreadable, match="no such file") as raised:
        read_articles(tmp_path / "nowhere.txt")
    assert raised.value.path == str(tmp_path / "nowhere.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_permissions(tmp_path):
    path = write_file(tmp_path, "locked.txt", "secret")
    path.chmod(0)
    with pytest.raises(ArticleUnreadable, match="permission denied"):
        read_articles(path)


def test_directory_order_and_skipped_files(tmp_path):
    write_file(tmp_path, "b.txt", "B")
    write_file(tmp_path, "a/z.md", "AZ")
    write_file(tmp_path, "a/c.txt", "AC")
    write_file(tmp_path, "a.txt", "A")
    write_file(tmp_path, ".hidden.txt", "hidden")
    write_file(tmp_path, ".git/x.txt", "in a hidden folder")
    write_file(tmp_path, "README.md", "about this folder")
    write_file(tmp_path, "notes.json", "{}")
    write_file(tmp_path, "catalogue.yaml", "[]")
    assert [a.text for a in read_articles(tmp_path)] == ["AC", "AZ", "A", "B"]


def test_directory_mixing_good_and_bad_files(tmp_path):
    write_file(tmp_path, "1_good.txt", "Good one.")
    write_file(tmp_path, "2_empty.txt", "")
    write_file(tmp_path, "3_binary.html", b"<html>\x00\x01</html>")
    write_file(tmp_path, "4_good.md", "Good two.")
    errors: list = []
    articles = read_articles(tmp_path, errors=errors)
    assert [a.id for a in articles] == ["1_good.txt", "4_good.md"]
    assert [Path(error.path).name for error in errors] == ["2_empty.txt", "3_binary.html"]
    with pytest.raises(ArticleUnreadable, match="2_empty.txt: empty file"):
        read_articles(tmp_path)


def test_catalogue_fills_metadata_front_matter_wins(tmp_path):
    write_file(tmp_path, "catalogue.yaml", """
- file: a.txt
  title: Catalogue title A
  published: 2020-10-01
  source: Wire
- file: b.md
  title: Catalogue title B
  published: 2020-10-02
  url: https://news.example/b
""")
    write_file(tmp_path, "a.txt", "Text A.")
    write_file(tmp_path, "b.md", front_matter("title: Own title B", "Text B."))
    write_file(tmp_path, "c.txt", "Text C.")
    found = {a.id: (a.title, a.published, a.source, a.url) for a in read_articles(tmp_path)}
    assert found == {
        "a.txt": ("Catalogue title A", OCT_1, "Wire", None),
        "b.md": ("Own title B", dt.date(2020, 10, 2), None, "https://news.example/b"),
        "c.txt": (None, None, None, None),
    }
    # a file read on its own still finds its folder's catalogue
    assert read_articles(tmp_path / "a.txt")[0].title == "Catalogue title A"


def test_bad_catalogue_is_reported(tmp_path):
    write_file(tmp_path, "catalogue.yaml", "- file: a.txt\n  published: someday\n")
    write_file(tmp_path, "a.txt", "Text A.")
    errors: list = []
    articles = read_articles(tmp_path, errors=errors)
    assert [a.id for a in articles] == ["a.txt"]
    assert "catalogue.yaml:2: entry 1 (a.txt): published: cannot read 'someday'" in str(errors[0])


def test_published_default_applies_only_where_missing(tmp_path):
    write_file(tmp_path, "dated.md", front_matter("published: 2020-10-05", "Text."))
    write_file(tmp_path, "undated.txt", "Text.")
    found = {a.id: a.published for a in read_articles(tmp_path, published=OCT_1)}
    assert found == {"dated.md": dt.date(2020, 10, 5), "undated.txt": OCT_1}


def test_published_from_the_text_when_nothing_else(tmp_path):
    path = write_file(tmp_path, "a.txt", "Photo: Stepanakert, 4 October 2020. Text follows.")
    assert read_articles(path)[0].published == dt.date(2020, 10, 4)
    assert read_articles(path, published=OCT_1)[0].published == OCT_1


@pytest.mark.parametrize("text, expected", [
    ("Rocket fire in the region, October 1, 2020. -", OCT_1),
    ("Filed on 1 October 2020 in Baku", OCT_1),
    ("Dateline 2020-10-01: shelling", OCT_1),
    ("Sept. 27, 2020 and later 2020-10-01", dt.date(2020, 9, 27)),
    ("the 27th of September, 2020", dt.date(2020, 9, 27)),
    ("on February 30, 2020 and on March 2, 2020", dt.date(2020, 3, 2)),
    ("Only 'Thursday' and October 1", None),
    ("The Mayor 1, 2020 plan", None),
])
def test_published_from_text(text, expected):
    assert published_from_text(text) == expected


def test_seed_catalogue():
    articles = {a.id: a for a in read_articles(SEEDS)}
    assert {name: a.published for name, a in articles.items()} == {
        "000_35d328bcbf14c099.txt": dt.date(2020, 10, 1),
        "002_0160a945d90cc96f.txt": dt.date(2020, 10, 5),
    }
    assert [a.published.strftime("%A") for a in articles.values()] == ["Thursday", "Monday"]
    assert all(a.title and a.source is None for a in articles.values())
    assert articles["000_35d328bcbf14c099.txt"].text.startswith("Rocket fire in the Nagorno-Karabakh")


@pytest.mark.skipif(not TR_NEWS.exists(), reason="shared corpora not present")
def test_reads_corpus_jsonl():
    articles = read_articles(TR_NEWS)
    assert len(articles) == 118
    assert articles[0].id == "1040001"
    assert articles[0].title.startswith("Policeman shot dead")
