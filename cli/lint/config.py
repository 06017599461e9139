"""Lint settings: which rules run, at which severity, with which thresholds.

They come from three places, each overriding the one before: the `[tool.layerplan]`
table of the nearest pyproject.toml above the linted file, the command line, and a
layer's own `lint:` key in the spec (ignore rules and set thresholds for that layer).
"""

import fnmatch
import math
from dataclasses import dataclass, field
from pathlib import Path

from cli.lint.rules import CATALOGUE, option_names
from modelspec.suggest import did_you_mean, shown

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the backport, a dependency there
    import tomli as tomllib

LEVELS = ("error", "warning")
FILE_KEYS = ("select", "ignore", "exclude")


class ConfigError(Exception):
    """Settings that cannot be used; the CLI prints the message and exits with 2."""


@dataclass(frozen=True)
class Settings:
    """Rules to run, severities, thresholds and excluded paths, from one source."""

    select: frozenset | None = None
    ignore: frozenset = frozenset()
    levels: dict = field(default_factory=dict)
    options: dict = field(default_factory=dict)
    exclude: tuple = ()
    root: Path | None = None

    def runs(self, code):
        """Whether the rule `code` is on (rules Keras enforces always are)."""
        if code not in CATALOGUE or CATALOGUE[code].fixed:
            return True
        chosen = self.select is None or code in self.select
        return chosen and code not in self.ignore

    def level(self, code, severity):
        return self.levels.get(code, severity)

    def option(self, name):
        return self.options.get(name, option_names()[name])

    def under(self, command_line):
        """These settings (from a file) overridden by the command line's."""
        return Settings(
            command_line.select if command_line.select is not None else self.select,
            self.ignore | command_line.ignore,
            self.levels | command_line.levels,
            self.options | command_line.options,
            self.exclude,
            self.root,
        )

    def excludes(self, path):
        """Whether `path` matches an `exclude` pattern, relative to the pyproject."""
        if self.root is None or not self.exclude:
            return False
        try:
            relative = Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return False
        for pattern in self.exclude:
            pattern = pattern.strip("/")
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(
                relative, pattern + "/*"
            ):
                return True
        return False


def rule_code(code, where):
    """`code` if it names a rule of the catalogue, else a ConfigError saying so."""
    if code not in CATALOGUE:
        raise ConfigError(
            f"{where}: unknown rule {shown(code)}{did_you_mean(code, CATALOGUE)}; "
            "`layerplan rules` lists them"
        )
    return code


def settings_from(select=None, ignore=(), options=None, where="the command line"):
    """Settings from select entries (`code`, `code=level`, `all`), ignored codes and
    thresholds, checked against the catalogue."""
    chosen, levels = None, {}
    if select is not None:
        chosen = set()
        for entry in select:
            code, _, level = str(entry).partition("=")
            if code == "all":
                chosen |= set(CATALOGUE)
            else:
                chosen.add(rule_code(code, f"{where}: select"))
            if level:
                levels[code] = checked_level(code, level, where)

    for code in ignore:
        if CATALOGUE[rule_code(code, f"{where}: ignore")].fixed:
            raise ConfigError(
                f"{where}: ignore: {code} cannot be ignored: Keras refuses such a model"
            )
    thresholds = {
        name: checked_option(name, v, where) for name, v in (options or {}).items()
    }
    return Settings(
        frozenset(chosen) if chosen is not None else None,
        frozenset(ignore),
        levels,
        thresholds,
    )


def checked_level(code, level, where):
    if level not in LEVELS:
        raise ConfigError(
            f"{where}: select: {code}={level}: a severity is one of {', '.join(LEVELS)}"
        )
    if code == "all" or CATALOGUE[code].fixed:
        raise ConfigError(f"{where}: select: the severity of {code} cannot be changed")
    return level


def checked_option(name, value, where):
    """A threshold: a known name and a number >= 0 (`2.5`, `1e9` and `1_000` too)."""
    known = option_names()
    if name not in known:
        raise ConfigError(
            f"{where}: unknown setting {shown(name)}{did_you_mean(name, known)}; the "
            f"thresholds are {', '.join(known)}"
        )
    number = value
    if isinstance(value, str):
        try:
            number = float(value.replace("_", ""))
        except ValueError:
            number = None
    is_number = isinstance(number, (int, float)) and not isinstance(number, bool)
    if not is_number or not math.isfinite(number) or number < 0:
        raise ConfigError(f"{where}: {name} is a number >= 0; received {shown(value)}")
    return int(number) if number == int(number) else number


def parse_pairs(entries, where):
    """`--option name=value` entries as a dict."""
    pairs = {}
    for entry in entries:
        name, equals, value = entry.partition("=")
        if not equals:
            raise ConfigError(f"{where}: expected NAME=VALUE, received {entry!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def split_codes(values):
    """Repeated or comma-separated codes as one list: `a,b --ignore c` -> [a, b, c]."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


class ConfigFinder:
    """Finds and reads the pyproject.toml that governs each linted file, once each."""

    def __init__(self, command_line):
        self.command_line = command_line
        self.by_directory = {}

    def settings_for(self, path):
        """The settings for a spec at `path` (the working directory for stdin)."""
        start = Path.cwd() if path == "-" else Path(path).resolve().parent
        return self.settings_in(start)

    def settings_in(self, directory):
        if directory not in self.by_directory:
            table = read_pyproject(directory / "pyproject.toml")
            if table is not None:
                found = file_settings(table, directory)
            elif directory.parent != directory:
                found = self.settings_in(directory.parent)
            else:
                found = Settings()
            self.by_directory[directory] = found
        return self.by_directory[directory].under(self.command_line)


def read_pyproject(path):
    """The `[tool.layerplan]` table of a pyproject.toml; None when there is none."""
    try:
        with open(path, "rb") as source:
            document = tomllib.load(source)
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read as TOML: {error}") from None
    tool = document.get("tool", {})
    table = tool.get("layerplan") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.layerplan] is a table")
    return table


def file_settings(table, directory):
    """Settings from a `[tool.layerplan]` table found in `directory`."""
    where = f"{directory / 'pyproject.toml'} [tool.layerplan]"
    for key, value in table.items():
        if key in FILE_KEYS and not (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            raise ConfigError(f"{where}: {key} is a list of strings")
        if key not in FILE_KEYS and key not in option_names():
            valid = [*FILE_KEYS, *option_names()]
            raise ConfigError(
                f"{where}: unknown key {shown(key)}{did_you_mean(key, valid)}; it takes "
                f"{', '.join(valid)}"
            )
    options = {k: v for k, v in table.items() if k not in FILE_KEYS}
    settings = settings_from(table.get("select"), table.get("ignore", ()), options, where)
    return Settings(
        settings.select,
        settings.ignore,
        settings.levels,
        settings.options,
        tuple(table.get("exclude", ())),
        directory.resolve(),
    )


@dataclass(frozen=True)
class LayerSettings:
    """A layer's own `lint:` key: rules ignored at it, thresholds for it."""

    ignore: frozenset = frozenset()
    options: dict = field(default_factory=dict)


def layer_settings(layer):
    """The parsed `lint:` key of a layer; ConfigError (with no place) if it is wrong."""
    value = layer.lint
    if not isinstance(value, dict):
        raise ConfigError(
            f"`lint` is a mapping such as {{ignore: [dense-on-high-rank]}}; received "
            f"{shown(value)}"
        )
    options = {k: v for k, v in value.items() if k != "ignore"}
    for key in options:
        if key not in option_names():
            valid = ["ignore", *option_names()]
            raise ConfigError(
                f"a layer's `lint` takes {', '.join(valid)}; received {shown(key)}"
                f"{did_you_mean(key, valid)}"
            )
    ignore = value.get("ignore", [])
    ignore = [ignore] if isinstance(ignore, str) else ignore
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise ConfigError(
            f"`lint: ignore` is a list of rule codes; received {shown(ignore)}"
        )
    settings = settings_from(None, ignore, options, where="`lint`")
    return LayerSettings(settings.ignore, settings.options)
