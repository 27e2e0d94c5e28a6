"""The package's layers: imports flow one way, no module imports itself back, and only the edges know click or rich."""

import ast
from pathlib import Path

import factcli

PACKAGE = Path(factcli.__file__).parent
# What each layer may import from the package, besides itself: nothing above it.
ALLOWED = {
    "core": set(),
    "storage": {"core"},
    "curation": {"core", "storage", "answers"},
    "answers": {"core", "storage", "curation"},
    "output": {"core", "storage", "answers", "curation"},
    "publish": {"core", "storage", "answers", "curation", "output", "settings", "__init__"},
    "settings": {"core", "storage"},
    "api": {"core", "storage", "answers", "output", "settings"},
    "__init__": {"core", "api"},
    "__main__": {"console"},
    "console": {"cli"},
    "cli": {"core", "storage", "answers", "curation", "output", "publish", "settings", "__init__"},
}
# Where the command line's and the terminal's libraries may be imported.
EDGES = {"click": {"cli"}, "rich": {"output"}}


def modules():
    """(dotted name, layer, path) of every module of the package."""
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("factcli", *parts)).removesuffix(".__init__")
        yield name, parts[0], path


def imports(name, path, top_level_only=False):
    """The absolute module names a module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def layer_of(module):
    """The layer a module is in; a name imported from the package itself (__version__) is in __init__."""
    parts = module.split(".")
    layers = {path.stem if path.is_file() else path.name for path in PACKAGE.iterdir()}
    return parts[1] if len(parts) > 1 and parts[1] in layers else "__init__"


def test_each_layer_imports_only_the_layers_below_it():
    wrong = []
    for name, layer, path in modules():
        for module in imports(name, path):
            if module.startswith("factcli.") or module == "factcli":
                other = layer_of(module)
                if other != layer and other not in ALLOWED[layer] and (module, other) != ("factcli", "__init__"):
                    wrong.append(f"{name} imports {module}")
            for library, layers in EDGES.items():
                if (module == library or module.startswith(library + ".")) and layer not in layers:
                    wrong.append(f"{name} imports {module}")
    assert wrong == []


def test_no_module_imports_itself_back():
    graph = {}
    known = {name for name, _, _ in modules()}
    for name, _, path in modules():
        graph[name] = {module for module in imports(name, path, top_level_only=True) if module in known and module != name}
    cycles = []

    def visit(node, trail):
        if node in trail:
            cycles.append(" -> ".join(trail[trail.index(node) :] + [node]))
            return
        for following in sorted(graph.get(node, ())):
            visit(following, trail + [node])

    for name in graph:
        visit(name, [])
    assert cycles == []
