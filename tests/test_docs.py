"""Every command has help with an example and is documented in the README."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geomap.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "geomap"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        if isinstance(command, click.Group):
            yield from _commands(command, path)
        else:
            yield path, command


COMMANDS = list(_commands(cli))


def test_there_are_commands():
    names = {path for path, _ in COMMANDS}
    assert {"geomap geocode", "geomap toponyms", "geomap incidents", "geomap map",
            "geomap evaluate", "geomap gazetteer build"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_help_ends_with_an_example(path):
    result = CliRunner().invoke(cli, path.split()[1:] + ["--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert result.output.index("Example:") > result.output.index("Usage:")


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS])
def test_command_is_in_readme(path):
    assert f"`{path}" in README


def test_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "make test" in ci
