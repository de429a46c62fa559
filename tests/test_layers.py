"""The layers of the code: each app imports only from the apps below it, and nothing goes round.

    core  <-  participants  <-  organizations  <-  conferences  <-  search  <-  public  <-  portal

An app may import itself and any app to its left; `portal` (settings, root URLs, WSGI) wires
them all. The imports are read from the source with `ast`, function bodies included, so a
late import inside a function is caught too; migrations are history, not code, and are left out.
"""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["core", "participants", "organizations", "conferences", "search", "public", "portal"]
ROOT = Path(settings.BASE_DIR)


def project_modules():
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).with_suffix("")
            parts = list(relative.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def imported_modules(name, path):
    """The absolute names of the modules `path` imports, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            for alias in node.names:
                yield f"{module}.{alias.name}"


def layer_of(module):
    top = module.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def test_no_app_imports_an_app_above_it():
    upward = []
    for name, path in project_modules():
        own = layer_of(name)
        for imported in imported_modules(name, path):
            other = layer_of(imported)
            if other is not None and other > own:
                upward.append(f"{name} imports {imported}")
    assert upward == []


# Handle every app's records alike, by their models' names, as Django's loaddata and signals do:
# the seed loader reads the fixtures; the cache tags name what a changed record points to.
GENERIC_LOADERS = {"core.seeding", "core.tags"}


def test_no_app_reaches_up_by_reflection():
    """Looking a model up by name, or through a relation's far end, is how a lower app would
    reach a higher one without importing it."""
    reaching = []
    for name, path in project_modules():
        if layer_of(name) >= LAYERS.index("public") or name in GENERIC_LOADERS:
            continue
        text = path.read_text(encoding="utf-8")
        for trick in ("apps.get_model(", ".related_model", "related_queryset", "admin.site.unregister("):
            if trick in text:
                reaching.append(f"{name}: {trick}")
    assert reaching == []


def test_no_module_imports_go_round():
    modules = dict(project_modules())
    graph = {
        name: {imported for imported in imported_modules(name, path) if imported in modules and imported != name}
        for name, path in modules.items()
    }
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for following in sorted(graph[node]):
            if state.get(following) == "open":
                cycles.append(" -> ".join(trail[trail.index(following):] + [following]))
            elif following not in state:
                visit(following, [*trail, following])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def test_the_project_package_is_only_wiring():
    assert sorted(path.name for path in (ROOT / "portal").glob("*.py")) == [
        "__init__.py", "settings.py", "test_settings.py", "urls.py", "wsgi.py",
    ]
    assert "portal" not in settings.INSTALLED_APPS
