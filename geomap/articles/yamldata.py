"""YAML as plain data, for front matter and catalogues: the one YAML loader of the package."""

from __future__ import annotations

from geomap.articles.article import LONE_SURROGATE, MAX_YAML_DEPTH, SURROGATE_RE

class YamlRefused(ValueError):
    """YAML that geomap does not read: invalid, too large or deep, or using anchors and aliases."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


class YamlMapping(dict):
    """A mapping read by load_yaml; `lines` gives the line of each key."""

    lines: dict[str, int]


class YamlList(list):
    """A list read by load_yaml; `lines` gives the line of each item."""

    lines: list[int]


_YAML_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


def load_yaml(text: str, *, max_chars: int, first_line: int = 1):
    """Return one YAML document as YamlMapping, YamlList, str and None; raise YamlRefused.

    The document is composed here from the parser's events, never by PyYAML's constructors:
    every value stays text (no dates, numbers or booleans are made: "0000-00-00" and a
    5,000-digit integer are strings here, and no tag can call anything), anchors and aliases
    are refused before anything is expanded (an alias bomb of 400 bytes expands to gigabytes
    when used), nesting is bounded by MAX_YAML_DEPTH and the text by max_chars. `first_line`
    is the text's first line in its file, so that errors and `lines` give file lines.
    """
    import yaml  # only for articles with front matter and catalogues (importing it takes 0.1 s)

    if len(text) > max_chars:
        raise YamlRefused(f"larger than the {max_chars // 1024:,} KiB geomap reads as YAML here")
    # libyaml's event parser when PyYAML has it (pure Python is some 50 times slower)
    parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)
    root, documents = None, 0
    stack: list[list] = []  # open collections: [collection, pending key, line of the key]
    try:
        while parser.check_event():
            event = parser.get_event()
            line = event.start_mark.line + first_line
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
                raise YamlRefused("anchors and aliases (&name, *name) are not read", line)
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlRefused("more than one YAML document (a second ---)", line)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_YAML_DEPTH:
                    raise YamlRefused(f"nested deeper than {MAX_YAML_DEPTH} levels", line)
                collection = YamlMapping() if isinstance(event, yaml.MappingStartEvent) else YamlList()
                collection.lines = {} if isinstance(collection, dict) else []
                root = _yaml_add(stack, root, collection, line)
                stack.append([collection, _NO_KEY, None])
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                if SURROGATE_RE.search(event.value):
                    raise YamlRefused(f"a value {LONE_SURROGATE}", line)
                plain = not event.style  # '' from libyaml, None from PyYAML
                value = None if plain and event.value in _YAML_NULLS else event.value
                root = _yaml_add(stack, root, value, line)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        reason = " ".join(part for part in (error.context, error.problem) if part) or str(error)
        raise YamlRefused(reason, mark.line + first_line if mark else None) from None
    except yaml.YAMLError as error:
        raise YamlRefused(str(error).splitlines()[0]) from None
    finally:
        parser.dispose()
    return root


_NO_KEY = object()


def _yaml_add(stack: list[list], root, value, line: int):
    """Put a value where the parser is (the document, a list, a key or a key's value); return the root."""
    if not stack:
        return value
    top = stack[-1]
    collection = top[0]
    if isinstance(collection, list):
        collection.append(value)
        collection.lines.append(line)
    elif top[1] is _NO_KEY:
        if isinstance(value, (dict, list)):
            raise YamlRefused("a key must be text", line)
        top[1], top[2] = value, line
    else:
        collection[top[1]] = value
        collection.lines[top[1]] = top[2]
        top[1] = _NO_KEY
    return root

