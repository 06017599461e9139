"""The installed package holds every module the commands import."""

import fnmatch
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport, a dependency there
    import tomli as tomllib

ROOT = Path(__file__).parent.parent


def test_every_package_of_the_code_is_installed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("cli", "modelspec", "shapes")
        for init in (ROOT / top).rglob("__init__.py")
    ]

    assert "cli.lint" in packages
    assert [p for p in packages if not any(fnmatch.fnmatch(p, x) for x in patterns)] == []
