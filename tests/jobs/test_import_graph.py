"""The modules of jobs import each other as a tree: no circle, not even through imports in functions.

The source is parsed, not imported, so an import hidden inside a function counts as much as one at
the top of the module.
"""

import ast
from pathlib import Path

import jobs

PACKAGE = "jobs"
ROOT = Path(jobs.__file__).resolve().parent
# Where a function may import: AppConfig.ready runs once the app registry is ready, and the modules
# it imports define or use models.
FUNCTION_IMPORTS_ALLOWED = {("jobs.apps", "JobsConfig.ready")}


def module_name(path: Path) -> str:
    parts = (PACKAGE, *path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def resolve(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The absolute module a ``from ... import`` names (before looking at what it imports)."""
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imported_modules(tree: ast.Module, importer: str, is_package: bool, known: set[str]) -> set[str]:
    """Every module of the package this module imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node, importer, is_package)
            # ``from . import tasks`` imports the submodule jobs.tasks; ``from .models import X``
            # imports jobs.models.
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name == PACKAGE or name.startswith(PACKAGE + "."):
                # ``import jobs.a.b`` runs jobs and jobs.a too; only modules of the package count.
                parts = name.split(".")
                found |= {".".join(parts[:n]) for n in range(1, len(parts) + 1)} & known
    found.discard(importer)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = package_modules()
    known = set(modules)
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = imported_modules(tree, name, path.name == "__init__.py", known)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports, as the list of modules around it, or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return [*stack[stack.index(dep) :], dep]
            if dep not in state:
                cycle = visit(dep)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def function_level_imports() -> set[tuple[str, str]]:
    """(module, qualified function name) for every import statement inside a function."""
    found = set()

    def walk(node: ast.AST, module: str, scope: list[str], in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom) and in_function:
                found.add((module, ".".join(scope)))
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                is_function = in_function or not isinstance(child, ast.ClassDef)
                walk(child, module, [*scope, child.name], is_function)
            else:
                walk(child, module, scope, in_function)

    for name, path in package_modules().items():
        walk(ast.parse(path.read_text(encoding="utf-8")), name, [], False)
    return found


def test_the_jobs_modules_import_each_other_without_a_circle():
    graph = import_graph()
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_graph_sees_the_imports_that_are_there():
    """The parser finds top-level, relative, absolute and in-function imports alike."""
    graph = import_graph()
    assert {"jobs.services", "jobs.schedules"} <= graph["jobs.tasks"]  # from . import schedules, services
    assert "jobs.registry" in graph["jobs.services"]
    assert "jobs.tasks" in graph["jobs.apps"]  # inside JobsConfig.ready
    assert "jobs.actors" in graph["jobs.management.commands.sweep"]  # from jobs.actors import ...
    assert "jobs.views" in graph["jobs.urls"]


def test_the_dispatching_code_is_above_the_table_of_targets():
    """The registry and its targets never reach the outbox, the queue or beat, however indirectly."""
    graph = import_graph()

    def reachable(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for dep in graph[todo.pop()] - seen:
                seen.add(dep)
                todo.append(dep)
        return seen

    assert not reachable("jobs.registry") & {"jobs.services", "jobs.tasks", "jobs.schedules"}
    assert not reachable("jobs.services") & {"jobs.tasks"}


def test_a_circle_is_found_when_there_is_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_functions_import_only_where_app_loading_needs_it():
    assert function_level_imports() <= FUNCTION_IMPORTS_ALLOWED
