"""Sliding-window arithmetic shared by convolutions and pooling, in Python integers.

Per spatial axis, with n the input size, k the window, s the stride and d the dilation
(k_eff = d * (k - 1) + 1), Keras gives:
- `valid`: (n - k_eff) // s + 1, refused when zero or below;
- `same` and `causal`: (n - 1) // s + 1, that is ceil(n / s), whatever the window.
An unknown size stays unknown and is not checked.
"""

from shapes.errors import SizeCollapse


def sliding_length(n, window, stride, padding, dilation=1):
    """Output length along one axis; None when the input length is unknown."""
    if n is None:
        return None
    if padding == "valid":
        return (n - (dilation * (window - 1) + 1)) // stride + 1
    return (n - 1) // stride + 1


def sliding_output(spatial, windows, strides, padding, dilations=None, what="kernel"):
    """Output sizes of every spatial axis, refusing a window that does not fit.

    Example: a 3x3 kernel on a 1x1 input with padding="valid" gives
    (1 - 3) // 1 + 1 = -1, which Keras refuses.
    """
    dilations = dilations or (1,) * len(spatial)
    sizes = tuple(
        sliding_length(n, k, s, padding, d)
        for n, k, s, d in zip(spatial, windows, strides, dilations)
    )
    for axis, size in enumerate(sizes):
        if size is not None and size <= 0:
            n, k, s, d = spatial[axis], windows[axis], strides[axis], dilations[axis]
            k_eff = d * (k - 1) + 1
            shown = "x".join(str(v) for v in windows)
            input_shown = "x".join(str(v) for v in spatial)
            raise SizeCollapse(
                f"{what} {shown} does not fit the {input_shown} input with "
                f'padding="valid": ({n} - {k_eff}) // {s} + 1 = {size} on spatial axis '
                f'{axis + 1}; use padding="same" or remove a downsampling step'
            )
    return sizes
