"""Near-miss suggestions and short renderings of what a user wrote."""

import difflib

from shapes.errors import ShortRepr

_short = ShortRepr()
_short.maxlevel = 2
_short.maxstring = 60
_short.maxother = 60


def did_you_mean(word, candidates):
    """` (did you mean "Conv2D"?)` for a near miss, else an empty string."""
    if not isinstance(word, str):
        return ""
    candidates = list(candidates)
    by_case = {c.lower(): c for c in candidates}
    if word.lower() in by_case:
        return f' (did you mean "{by_case[word.lower()]}"?)'
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.7)
    return f' (did you mean "{close[0]}"?)' if close else ""


def shown(value):
    """A value as the user wrote it, cut short (alias bombs included)."""
    text = _short.repr(value)
    return text if len(text) <= 80 else text[:76] + " ..."


def refuse_unknown_keys(mapping, allowed, what, fail):
    """Call `fail(message, mark)` on the first key of `mapping` not in `allowed`."""
    for key in mapping:
        if key not in allowed:
            fail(
                f"{what} has no key {shown(key)}{did_you_mean(key, allowed)}; it takes "
                f"{', '.join(allowed)}",
                mapping.key_marks[key],
            )
