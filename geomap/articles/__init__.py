"""Article; the only reader of article files (.txt, .md, .html, .jsonl, folders, catalogues).

Text is kept exactly as decoded, because mention offsets point into it; only HTML is
converted to text. Metadata comes, first to last: the file itself (front matter, HTML meta
tags, JSON fields), the directory's catalogue.yaml, the caller's ``published`` default, and
last the first full date written in the text.

Input is untrusted: files come from the open web and from folders nobody inspected. So YAML
is read as plain data (no anchors or aliases, bounded depth and size, scalars kept as text),
each JSON line through one bounded reader, dates only within the years the date grammar reads,
and only regular files inside the folder being read; anything else is an ArticleUnreadable
naming the file (and line), and the other articles are still read.

    article.py   Article, ArticleUnreadable, the limits, parse_published (the one date constructor)
    reading.py   folders, files, encodings, front matter, catalogues, JSON lines, standard input
    webpage.py   HTML pages: the main text and the meta tags, in one pass over the page
    yamldata.py  YAML as plain data (load_yaml), for front matter and catalogues
"""

from geomap import lazy_exports

# public name -> the module that defines it, imported when the name is first used
_EXPORTS = {
    **dict.fromkeys([
        "ARTICLE_SUFFIXES", "CATALOGUE_NAMES", "FIRST_PUBLISHED", "HTML_SUFFIXES",
        "JSONL_SUFFIXES", "LAST_PUBLISHED", "MARKDOWN_SUFFIXES", "MAX_ARTICLE_BYTES",
        "MAX_ARTICLE_CHARS", "MAX_CATALOGUE_BYTES", "MAX_FRONT_MATTER_CHARS",
        "MAX_JSON_INT_DIGITS", "MAX_YAML_DEPTH", "METADATA_FIELDS", "NOT_ARTICLE_STEMS",
        "TEXT_SUFFIXES", "Article", "ArticleUnreadable", "BadField", "parse_published",
        "read_metadata",
    ], "geomap.articles.article"),
    **dict.fromkeys([
        "article_files", "article_from_json_line", "article_from_record", "read_articles",
        "read_json_line", "read_stdin",
    ], "geomap.articles.reading"),
    **dict.fromkeys(["HTML_BLOCK_TAGS", "HTML_DROP_TAGS"], "geomap.articles.webpage"),
    **dict.fromkeys(["YamlList", "YamlMapping", "YamlRefused", "load_yaml"], "geomap.articles.yamldata"),
    **dict.fromkeys(["published_from_text"], "geomap.calendar"),
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "ARTICLE_SUFFIXES", "CATALOGUE_NAMES", "FIRST_PUBLISHED", "HTML_BLOCK_TAGS", "HTML_DROP_TAGS",
    "HTML_SUFFIXES", "JSONL_SUFFIXES", "LAST_PUBLISHED", "MARKDOWN_SUFFIXES", "MAX_ARTICLE_BYTES",
    "MAX_ARTICLE_CHARS",
    "MAX_CATALOGUE_BYTES", "MAX_FRONT_MATTER_CHARS", "MAX_JSON_INT_DIGITS", "MAX_YAML_DEPTH",
    "METADATA_FIELDS", "NOT_ARTICLE_STEMS", "TEXT_SUFFIXES", "Article", "ArticleUnreadable",
    "BadField", "YamlList", "YamlMapping", "YamlRefused", "article_files", "article_from_json_line",
    "article_from_record",
    "load_yaml", "parse_published", "published_from_text", "read_articles", "read_json_line",
    "read_metadata", "read_stdin",
]
