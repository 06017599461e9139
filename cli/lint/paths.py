"""The spec files that `layerplan lint PATH...` names: files, directories and globs."""

import glob
import os
from pathlib import Path

SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def spec_files(paths):
    """(path, named explicitly) for each spec, in the order given, each once.

    A directory gives its *.yaml, *.yml and *.json files, recursively and sorted,
    skipping hidden folders; a glob gives what it matches; anything else, including a
    missing file or `-` (stdin), is passed on as named, so that it is reported.
    """
    seen = set()
    for path in paths:
        for found, explicit in expand(path):
            same = found if found == "-" else os.path.realpath(found)
            if same not in seen:
                seen.add(same)
                yield found, explicit


def expand(path):
    if path != "-" and Path(path).is_dir():
        return [(str(p), False) for p in directory_specs(Path(path))]
    if glob.has_magic(path) and not Path(path).exists():
        matches = sorted(glob.glob(path, recursive=True))
        found = []
        for match in matches:
            if Path(match).is_dir():
                found.extend((str(p), False) for p in directory_specs(Path(match)))
            else:
                found.append((match, False))
        return found or [(path, True)]
    return [(path, True)]


def directory_specs(directory):
    return sorted(
        p
        for p in directory.rglob("*")
        if p.suffix in SPEC_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
