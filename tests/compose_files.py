"""docker-compose.yml and the Dockerfile read into plain data, for ``tests/test_compose.py``.

Only what the tests need: services, profiles, short-syntax ports and volumes, Kafka's listeners,
and the Dockerfile's instructions per stage with the final image's ``ENV``.
"""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_TEXT = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load(COMPOSE_TEXT)
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
OURS = sorted(name for name, service in SERVICES.items() if "build" in service)  # built from our Dockerfile
WORKERS = sorted(name for name in OURS if SERVICES[name].get("command", [])[:1] == ["faust"])
PROFILES = sorted({profile for service in SERVICES.values() for profile in service.get("profiles", [])})
EXCLUSIVE = {"cpu", "gpu"}  # the two inference workers share port 6067: one or the other


def dockerfile_stages() -> list[list[tuple[str, str]]]:
    """The Dockerfile's instructions as ``(KEYWORD, arguments)``, continuation lines joined, per stage."""
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text(encoding="utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        if match := re.match(r"^([A-Z]+)\s+(.*)$", line.strip()):
            if match.group(1) == "FROM":
                stages.append([])
            stages[-1].append((match.group(1), match.group(2)))
    return stages


STAGES = dockerfile_stages()
IMAGE = STAGES[-1]


def image_env() -> dict[str, str]:
    """The ``ENV`` variables of the final image."""
    pairs = [word.split("=", 1) for keyword, args in IMAGE if keyword == "ENV" for word in shlex.split(args)]
    return dict(pairs)


def effective_env(name: str) -> dict[str, str]:
    """What a service's process sees: the image's variables, overridden by the service's ``environment``."""
    environment = SERVICES[name].get("environment", {})
    assert isinstance(environment, dict), f"{name}: write environment as a mapping"
    return {**image_env(), **{key: str(value) for key, value in environment.items()}}


def active(profiles: set[str]) -> list[str]:
    """The services ``docker compose --profile ...`` starts for these profiles."""
    return [name for name, service in SERVICES.items()
            if not service.get("profiles") or profiles & set(service["profiles"])]


def profile_sets() -> list[set[str]]:
    """Every way to combine the file's profiles, less the ones the file says are exclusive."""
    combos = [set(c) for n in range(len(PROFILES) + 1) for c in itertools.combinations(PROFILES, n)]
    return [combo for combo in combos if len(combo & EXCLUSIVE) <= 1]


def published(name: str) -> dict[int, int]:
    """``{host port: container port}`` of a service's short-syntax ``ports``."""
    pairs = (str(entry).rsplit(":", 2)[-2:] for entry in SERVICES[name].get("ports", []))
    return {int(host): int(container) for host, container in pairs}


def gpu_devices(service: dict[str, Any]) -> list[dict[str, Any]]:
    """The device reservations of a service (empty without ``deploy``)."""
    return service.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [])


def mounts(name: str) -> dict[str, tuple[str, bool]]:
    """``{container path: (source, read_only)}`` of a service's short-syntax volumes."""
    found = {}
    for entry in SERVICES[name].get("volumes", []):
        source, target, *mode = entry.split(":")
        found[target] = (source, mode == ["ro"])
    return found


def mounted(name: str, path: Path) -> tuple[str, bool] | None:
    """The mount holding ``path`` in a service's container, if any."""
    hits = [(target, mount) for target, mount in mounts(name).items() if PurePosixPath(path).is_relative_to(target)]
    return max(hits, key=lambda hit: len(hit[0]))[1] if hits else None


def kafka_listeners() -> tuple[dict[str, str], dict[str, str]]:
    """The Kafka service's ``{listener name: address}``: as bound, and as advertised to clients."""
    env = SERVICES["kafka"]["environment"]

    def parse(value: str) -> dict[str, str]:
        return dict(item.split("://", 1) for item in value.split(","))

    return parse(env["KAFKA_LISTENERS"]), parse(env["KAFKA_ADVERTISED_LISTENERS"])
