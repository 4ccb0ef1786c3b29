"""The layers and their arrows (docs/ARCHITECTURE.md): geo is the bottom layer and never imports
flask, folium, service or maps; inside geo each group imports only the groups below it; no
module imports itself back through others."""

import subprocess
import sys

import pytest

from tests.imports import cycles, graph, modules

# The groups of geo and which other groups each may import (the base modules errors, dates and
# i18n are below everything). geo/__init__.py is the facade of the names README shows.
BELOW = {
    "base": set(),
    "spatial": {"base"},
    "pack": {"base", "spatial"},
    "io": {"base"},
    "engine": {"base", "spatial", "pack"},
    "trips": {"base", "spatial", "pack", "io", "engine"},
    "batch": {"base", "spatial", "pack", "io", "engine", "trips"},
    "exports": {"base", "spatial", "pack", "io", "engine", "trips"},
    "build": {"base", "spatial", "pack", "io", "engine", "trips", "exports"},
    "facade": {"base", "pack"},
}
BASE = {"geo.errors", "geo.dates", "geo.i18n"}


def _group(module: str) -> str:
    """The group of a geo module: ``geo.engine.index`` is in ``engine``."""
    if module == "geo":
        return "facade"
    return "base" if module in BASE else module.split(".")[1]


def test_geo_imports_neither_flask_nor_folium() -> None:
    code = (
        "import sys, geo, geo.pack, geo.errors, geo.build, geo.engine.index, geo.batch.local\n"
        "print(sorted(m for m in ('flask', 'folium', 'service', 'maps') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_no_module_imports_itself_back() -> None:
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(edges) == [["a", "b", "c"]]


def test_every_geo_module_is_in_a_group() -> None:
    assert {_group(m) for m in modules() if m.startswith("geo")} <= set(BELOW)


@pytest.mark.parametrize("group", sorted(BELOW))
def test_each_group_of_geo_imports_only_the_groups_below_it(group: str) -> None:
    upward = {
        (module, other)
        for module, imported in graph().items()
        if module.startswith("geo") and _group(module) == group
        for other in imported
        if other.startswith("geo") and _group(other) not in BELOW[group] | {group}
    }
    assert upward == set()


def test_geo_imports_no_web_framework_map_or_service_anywhere() -> None:
    from tests.imports import imports

    known = modules()
    found = {
        (name, other)
        for name, path in known.items()
        if name.startswith("geo")
        for other in imports(path, known)
        if other.split(".")[0] in {"flask", "folium", "werkzeug", "service", "maps"}
    }
    assert found == set()


def test_maps_imports_geo_only_and_nothing_imports_service() -> None:
    edges = graph()
    assert {o.split(".")[0] for m, i in edges.items() if m.startswith("maps") for o in i} <= {"geo", "maps"}
    assert {
        m for m, i in edges.items() for o in i if o.startswith("service") and not m.startswith("service")
    } == set()
