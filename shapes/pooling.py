"""Pooling: Max and Average pooling over windows, and global pooling, in 1, 2 and 3 D.

Windowed pooling follows Keras's `compute_pooling_output_shape`: strides default to
pool_size, `valid` floors and refuses a window that does not fit, `same` gives
ceil(n / strides). None of them hold weights.
"""

from shapes.arguments import (
    BOOL,
    DATA_FORMAT,
    REQUIRED,
    Choice,
    IntTuple,
    Optional,
    arg,
)
from shapes.registry import Built, layer
from shapes.tensors import expect_rank, join_channels, spatial_meaning, split_channels
from shapes.windows import sliding_output


def register_pooling(kind, rank):
    size = 2 if rank == 1 else (2,) * rank
    pool_default = size if kind == "Max" else REQUIRED
    short = "Avg" if kind == "Average" else kind

    @layer(
        f"{kind}Pooling{rank}D",
        arg("pool_size", IntTuple(rank), pool_default),
        arg("strides", Optional(IntTuple(rank)), None),
        arg("padding", Choice("valid", "same"), "valid"),
        arg("data_format", DATA_FORMAT, None),
        aliases=(f"{short}Pool{rank}D",),
    )
    def pooling(config, shape):
        """Pools each window; strides default to pool_size, channels are kept.

        MaxPooling2D(2) on (None, 13, 13, 64) gives (None, 6, 6, 64): (13 - 2) // 2 + 1.
        """
        data_format = config["data_format"]
        expect_rank(shape, ndim=rank + 2, meaning=spatial_meaning(rank, data_format))
        spatial, channels = split_channels(shape, data_format)
        pool_size = config["pool_size"]
        strides = config["strides"] or pool_size
        sizes = sliding_output(
            spatial, pool_size, strides, config["padding"], what="pool"
        )
        return Built(join_channels(shape[0], sizes, channels, data_format))


def register_global_pooling(kind, rank):
    short = "Avg" if kind == "Average" else kind

    @layer(
        f"Global{kind}Pooling{rank}D",
        arg("data_format", DATA_FORMAT, None),
        arg("keepdims", BOOL, False),
        aliases=(f"Global{short}Pool{rank}D",),
    )
    def global_pooling(config, shape):
        """Pools over all spatial axes: (batch, channels), or size-1 axes with keepdims.

        GlobalMaxPooling2D on (None, 4, 4, 64) gives (None, 64).
        """
        data_format = config["data_format"]
        expect_rank(shape, ndim=rank + 2, meaning=spatial_meaning(rank, data_format))
        _, channels = split_channels(shape, data_format)
        if not config["keepdims"]:
            return Built((shape[0], channels))
        return Built(join_channels(shape[0], (1,) * rank, channels, data_format))


for _kind in ("Max", "Average"):
    for _rank in (1, 2, 3):
        register_pooling(_kind, _rank)
        register_global_pooling(_kind, _rank)
