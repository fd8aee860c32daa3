"""docker-compose.yml and the Dockerfile run what the code is: checked offline, without a Docker engine.

The compose file is validated against the Compose specification's JSON Schema (``tests/compose_spec.py``
fetches it once from npm); then every service's command is parsed by the real command lines, its
``SHOPSTREAM_*`` variables (the image's included) are loaded by the real ``Settings``, and the
wiring between services (roles, profiles, ports, Kafka listeners, volumes) is checked.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import tomllib
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import typer.main

from shopmodels.datasets import fetch
from streams.settings import Settings, get_settings
from tests.compose_files import (
    COMPOSE,
    COMPOSE_TEXT,
    EXCLUSIVE,
    IMAGE,
    OURS,
    PROFILES,
    ROOT,
    SERVICES,
    STAGES,
    WORKERS,
    active,
    effective_env,
    gpu_devices,
    image_env,
    kafka_listeners,
    mounted,
    mounts,
    profile_sets,
    published,
)
from tests.compose_spec import compose_schema


def settings_of(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The Settings a process with exactly these ``SHOPSTREAM_*`` variables loads."""
    for key in [key for key in os.environ if key.startswith("SHOPSTREAM_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return Settings()


# --- the specification ---------------------------------------------------------------


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    """A validator for the Compose specification's schema (draft-07, as the schema declares)."""
    schema = compose_schema(get_settings().cache_dir)
    assert "draft-07" in schema["$schema"], schema["$schema"]  # spelt without the '#' jsonschema looks up
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_compose_file_follows_the_compose_specification(validator):
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(COMPOSE)]
    assert not errors, "docker-compose.yml breaks the Compose specification:\n" + "\n".join(errors)


def test_the_specification_refuses_a_misspelt_key(validator):
    broken = {**COMPOSE, "services": {**SERVICES, "worker": {**SERVICES["worker"], "comand": ["x"]}}}
    assert not validator.is_valid(broken)


def test_every_named_volume_is_declared():
    used = {source for name in SERVICES for source, _ in mounts(name).values() if not source.startswith((".", "/"))}
    assert used <= set(COMPOSE.get("volumes", {})), sorted(used - set(COMPOSE.get("volumes", {})))


# --- commands and settings -----------------------------------------------------------


def parse_command(group: Any, argv: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Parse ``argv`` (program name first) like the click/typer command line would; return each command's params.

    Raises click's ``UsageError`` for an unknown command, option or value.
    """
    name, words, ctx, parsed = argv[0], argv[1:], None, []
    command = group
    while isinstance(getattr(command, "commands", None), dict):
        index = next((i for i, word in enumerate(words) if word in command.commands), None)
        assert index is not None, f"`{' '.join(argv)}`: no subcommand of {name}; it has {sorted(command.commands)}"
        ctx = command.make_context(name, words[:index + 1], parent=ctx)
        parsed.append((name, ctx.params))
        name, command, words = words[index], command.commands[words[index]], words[index + 1:]
    parsed.append((name, command.make_context(name, words, parent=ctx).params))
    return parsed


def check_command(argv: list[str]) -> None:
    """Fail unless ``argv`` is the Faust worker of ``streams.app`` or a real ``shopstream`` command."""
    scripts = {entry.name for entry in importlib.metadata.entry_points(group="console_scripts")}
    assert argv[0] in scripts, f"{argv}: no installed package provides the command {argv[0]!r}"
    if argv[0] == "faust":
        from faust.cli.faust import cli

        (_, options), (command, _) = parse_command(cli, argv)
        assert (options["app"], command) == ("streams.app", "worker"), argv
        assert importlib.util.find_spec(options["app"]) is not None
    else:
        from streams.tools.cli import cli

        assert argv[0] == "shopstream", f"{argv}: neither the Faust worker nor a shopstream command"
        parse_command(typer.main.get_command(cli), argv)


@pytest.mark.parametrize("name", [name for name in OURS if "command" in SERVICES[name]])
def test_service_commands_are_real(name):
    check_command(SERVICES[name]["command"])


def test_image_command_is_the_worker():
    commands = [json.loads(args) for keyword, args in IMAGE if keyword == "CMD"]
    check_command(commands[-1])
    assert commands[-1][0] == "faust"


@pytest.mark.parametrize("name", OURS)
def test_service_variables_are_settings_and_parse(name, monkeypatch):
    env = effective_env(name)
    variables = {key for key in env if key.startswith("SHOPSTREAM_")}
    fields = {f"SHOPSTREAM_{field.upper()}" for field in Settings.model_fields}
    assert variables <= fields, f"{name} sets variables Settings does not read: {sorted(variables - fields)}"
    settings_of(env, monkeypatch)  # raises ValidationError for a value the worker would refuse


@pytest.mark.parametrize("name", WORKERS)
def test_each_worker_names_its_role_and_serves_its_port(name, monkeypatch):
    assert SERVICES[name]["environment"].get("SHOPSTREAM_ROLE") in ("state", "inference"), \
        f"{name}: set SHOPSTREAM_ROLE to state or inference; 'all' belongs to one-process demos"
    port = settings_of(effective_env(name), monkeypatch).web_port
    assert published(name).get(port) == port, f"{name} serves port {port} but publishes {published(name)}"
    health = re.findall(r"localhost:(\d+)/health", " ".join(SERVICES[name]["healthcheck"]["test"]))
    assert health == [str(port)], f"{name}: its healthcheck asks port {health}, it serves {port}"
    host = settings_of(effective_env(name), monkeypatch).web_host
    assert host == "0.0.0.0", f"{name} binds {host}: a published port answers only when the worker binds 0.0.0.0"


@pytest.mark.parametrize("profiles", profile_sets(), ids=lambda p: "+".join(sorted(p)) or "none")
def test_each_profile_runs_one_state_worker_and_unique_ports(profiles, monkeypatch):
    names = active(profiles)
    roles = [settings_of(effective_env(name), monkeypatch).role for name in names if name in WORKERS]
    assert roles.count("state") == 1, f"--profile {profiles}: state workers {roles}"
    assert roles.count("inference") == len(profiles & EXCLUSIVE), f"--profile {profiles}: workers {roles}"
    hosts = [port for name in names for port in published(name)]
    assert len(hosts) == len(set(hosts)), f"--profile {profiles}: host ports {sorted(hosts)} collide"
    for name in names:
        missing = set(SERVICES[name].get("depends_on", {})) - set(names)
        assert not missing, f"--profile {profiles}: {name} depends on {missing}, which does not start"


@pytest.mark.parametrize("name", [name for name in WORKERS if SERVICES[name].get("profiles")])
def test_gpu_profile_reserves_a_gpu_and_cpu_profile_runs_on_the_cpu(name, monkeypatch):
    settings = settings_of(effective_env(name), monkeypatch)
    devices = gpu_devices(SERVICES[name])
    if "gpu" in SERVICES[name]["profiles"]:
        assert [(d.get("driver"), d.get("capabilities")) for d in devices] == [("nvidia", ["gpu"])], devices
        assert settings.inference_device.startswith("cuda"), "a GPU worker must fail fast without CUDA"
    else:
        assert not devices and settings.inference_device == "cpu", (devices, settings.inference_device)


# --- Kafka ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", OURS)
def test_services_reach_kafka_on_its_internal_listener(name, monkeypatch):
    settings = settings_of(effective_env(name), monkeypatch)
    _, advertised = kafka_listeners()
    inside = {address for address in advertised.values()
              if address.split(":")[0] in {"kafka", SERVICES["kafka"].get("hostname")}}
    assert set(settings.bootstrap_servers.split(",")) <= inside, (settings.bootstrap_servers, advertised)
    kafka = SERVICES["kafka"]["environment"]
    assert settings.partitions == int(kafka["KAFKA_NUM_PARTITIONS"]), "auto-created topics must be co-partitioned"
    brokers = [other for other, service in SERVICES.items() if str(service.get("image")).startswith("apache/kafka")]
    assert settings.replication_factor <= len(brokers), f"{settings.replication_factor} replicas on {brokers}"


def test_kafka_host_listener_is_published_where_it_is_advertised():
    bound, advertised = kafka_listeners()
    for listener, address in advertised.items():
        host, port = address.rsplit(":", 1)
        if host == "localhost":
            assert published("kafka").get(int(port)) == int(bound[listener].rsplit(":", 1)[1]), (listener, address)


def test_every_kafka_client_waits_for_kafka():
    def waits(name: str) -> set[str]:
        direct = set(SERVICES[name].get("depends_on", {}))
        return direct.union(*(waits(other) for other in direct))

    for name in OURS:
        assert "kafka" in waits(name), f"{name} can start before Kafka"
        assert "topics" in waits(name) or name == "topics", f"{name} can start before the topics exist"


# --- volumes -------------------------------------------------------------------------


@pytest.mark.parametrize("name", WORKERS)
def test_workers_keep_state_and_models_on_volumes(name, monkeypatch):
    settings = settings_of(effective_env(name), monkeypatch)
    if settings.role == "state":
        assert mounted(name, settings.data_dir), f"{name}: {settings.data_dir} (tables) is on no volume"
    else:
        assert mounted(name, settings.model_registry) == ("./models", True), f"{name}: mount ./models read-only"
        assert mounted(name, settings.cache_dir), f"{name}: {settings.cache_dir} (converted models) is on no volume"


def test_replay_reads_the_datasets_from_the_cache_volume(monkeypatch):
    settings = settings_of(effective_env("replay"), monkeypatch)
    assert mounted("replay", settings.cache_dir), settings.cache_dir
    assert Path(image_env()["SHOPSTREAM_CACHE_DIR"]) == settings.cache_dir, "the image bakes the datasets there"


# --- the Dockerfile ------------------------------------------------------------------


def test_image_installs_this_project_with_its_console_script():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    module, function = project["scripts"]["shopstream"].split(":")
    assert callable(getattr(importlib.import_module(module), function))
    runs = " ".join(args for keyword, args in IMAGE if keyword == "RUN")
    assert "pip install --no-cache-dir --no-deps -c constraints.txt ." in runs
    assert "shopstream data fetch" in runs


def test_image_copies_every_package_and_dockerignore_keeps_them():
    ignored = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")]
    sources = [word for keyword, args in IMAGE if keyword == "COPY" and "--from" not in args
               for word in shlex.split(args)[:-1]]
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert {name.rstrip("*") for name in packages["include"]} <= set(sources), sources
    for source in sources:
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
        assert not any(fnmatch(source, pattern) for pattern in ignored), f".dockerignore drops {source}"


def test_image_bakes_every_data_file_into_its_cache_with_the_fetch_command():
    """One stage; `shopstream data fetch` (pip only) runs as the user that owns the cache the image declares."""
    assert len(STAGES) == 1
    runs = [args for keyword, args in IMAGE if keyword == "RUN"]
    assert runs[-1].endswith("shopstream data fetch")
    users = [args for keyword, args in IMAGE if keyword == "USER"]
    assert users == ["shopstream"] and image_env()["SHOPSTREAM_CACHE_DIR"] == "/var/cache/shopstream"
    assert all(data_file.source in ("wheel", "sdist") for data_file in fetch._FILES)


# --- the README and docs/operations.md ---------------------------------------------------


@pytest.mark.parametrize("page", ["README.md", "docs/operations.md"])
def test_documented_compose_commands_name_real_profiles_and_services(page):
    text = (ROOT / page).read_text(encoding="utf-8")
    lines = re.findall(r"docker compose [^\n`#]*", text)
    assert lines, f"{page} shows no docker compose command"
    for line in lines:
        for profile in re.findall(r"--profile (\S+)", line):
            assert profile in PROFILES, f"{page}: `{line}` uses profile {profile!r}; the file has {PROFILES}"
        for service in re.findall(r"\b(?:run --rm|run|logs|exec|restart) ([a-z][\w-]*)", line):
            assert service in SERVICES, f"{page}: `{line}` names service {service!r}"
    for profile in PROFILES:
        assert f"--profile {profile}" in COMPOSE_TEXT.split("\nname:")[0], f"the file's header does not show {profile}"
