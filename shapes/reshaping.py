"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, and the ZeroPadding,
Cropping and UpSampling layers in 1, 2 and 3 D. None of them hold weights."""

from shapes.arguments import (
    DATA_FORMAT,
    Choice,
    Int,
    IntList,
    IntTuple,
    Shape,
    SidePairs,
    arg,
)
from shapes.errors import ArgumentError, ShapeError
from shapes.registry import Built, layer
from shapes.tensors import (
    expect_rank,
    format_shape,
    join_channels,
    size_of,
    spatial_meaning,
    split_channels,
)


@layer("Flatten", arg("data_format", DATA_FORMAT, None))
def flatten(config, shape):
    """Folds every axis but the batch into one: (None, 4, 4, 50) gives (None, 800).

    An unknown size gives an unknown width, (None, None); a (batch,) input gives
    (batch, 1).
    """
    expect_rank(shape, min_ndim=1)
    return Built((shape[0], size_of(shape[1:]) if len(shape) > 1 else 1))


@layer("Reshape", arg("target_shape", Shape()))
def reshape(config, shape):
    """Gives each sample `target_shape`; one -1 takes the size that is left.

    Reshape([-1, 4]) on (None, 2, 6) gives (None, 3, 4). The sizes must agree.
    """
    target = config["target_shape"]
    size = size_of(shape[1:])
    if size is None:
        return Built((shape[0], *(None if d == -1 else d for d in target)))
    known = size_of(tuple(d for d in target if d != -1))
    if -1 not in target and known != size:
        raise ShapeError(
            f"target_shape {list(target)} holds {known} values per sample but the input "
            f"{format_shape(shape)} holds {size}"
        )
    if -1 in target:
        if size % known:
            raise ShapeError(
                f"the input {format_shape(shape)} holds {size} values per sample, which "
                f"the known sizes of target_shape {list(target)} ({known}) do not divide"
            )
        target = tuple(size // known if d == -1 else d for d in target)
    return Built((shape[0], *target))


def check_permute(config):
    dims = config["dims"]
    if sorted(dims) != list(range(1, len(dims) + 1)):
        raise ArgumentError(
            "a permutation of 1, 2, ..., n (the batch axis is 0)", list(dims)
        )


@layer("Permute", arg("dims", IntList()), check=check_permute)
def permute(config, shape):
    """Reorders the axes after the batch; dims count from 1.

    Permute([2, 1]) on (None, 10, 64) gives (None, 64, 10).
    """
    dims = config["dims"]
    expect_rank(shape, ndim=len(dims) + 1)
    return Built((shape[0], *(shape[d] for d in dims)))


@layer("RepeatVector", arg("n", Int(1)))
def repeat_vector(config, shape):
    """Repeats a (batch, features) input n times: (None, 32), n=3 gives (None, 3, 32)."""
    expect_rank(shape, ndim=2, meaning="(batch, features)")
    return Built((shape[0], config["n"], shape[1]))


def spatial_layout(shape, config, rank):
    """Spatial sizes and channels of a `rank`-D input, after checking its rank."""
    data_format = config.get("data_format", "channels_last")
    expect_rank(shape, ndim=rank + 2, meaning=spatial_meaning(rank, data_format))
    return (*split_channels(shape, data_format), data_format)


def register_zero_padding(rank):
    default = 1 if rank == 1 else (1, 1) if rank == 2 else ((1, 1), (1, 1), (1, 1))

    @layer(
        f"ZeroPadding{rank}D",
        arg("padding", SidePairs(rank, negative_int=rank > 1), default),
        arg("data_format", DATA_FORMAT, None),
    )
    def zero_padding(config, shape):
        """Adds zeros before and after each spatial axis.

        ZeroPadding2D(((1, 2), (3, 4))) on (None, 8, 8, 3) gives (None, 11, 15, 3).
        """
        spatial, channels, data_format = spatial_layout(shape, config, rank)
        sizes = tuple(
            None if n is None else n + before + after
            for n, (before, after) in zip(spatial, config["padding"])
        )
        if any(size is not None and size < 0 for size in sizes):
            raise ShapeError(
                f"padding {list(config['padding'])} would leave a negative size "
                f"{format_shape(sizes)} of the input {format_shape(shape)}; pad less "
                "negatively"
            )
        return Built(join_channels(shape[0], sizes, channels, data_format))


def register_cropping(rank):
    default = (1, 1) if rank == 1 else ((0, 0), (0, 0)) if rank == 2 else ((1, 1),) * 3
    extra = () if rank == 1 else (arg("data_format", DATA_FORMAT, None),)

    @layer(f"Cropping{rank}D", arg("cropping", SidePairs(rank), default), *extra)
    def cropping(config, shape):
        """Removes rows before and after each spatial axis; something must be left.

        Cropping2D(((2, 2), (4, 4))) on (None, 28, 28, 3) gives (None, 24, 20, 3).
        """
        spatial, channels, data_format = spatial_layout(shape, config, rank)
        sizes = []
        for axis, (n, (before, after)) in enumerate(zip(spatial, config["cropping"])):
            if n is not None and before + after >= n:
                raise ShapeError(
                    f"cropping {before} + {after} leaves nothing of the {n} positions of "
                    f"spatial axis {axis + 1} of {format_shape(shape)}; crop less"
                )
            sizes.append(None if n is None else n - before - after)
        return Built(join_channels(shape[0], sizes, channels, data_format))


def register_upsampling(rank):
    default = 2 if rank == 1 else (2,) * rank
    extra = {
        1: (),
        2: (
            arg("data_format", DATA_FORMAT, None),
            arg(
                "interpolation",
                Choice("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"),
                "nearest",
            ),
        ),
        3: (arg("data_format", DATA_FORMAT, None),),
    }[rank]

    @layer(f"UpSampling{rank}D", arg("size", IntTuple(rank), default), *extra)
    def upsampling(config, shape):
        """Repeats each position `size` times: UpSampling2D on 14x14 gives 28x28."""
        spatial, channels, data_format = spatial_layout(shape, config, rank)
        sizes = tuple(
            None if n is None else n * k for n, k in zip(spatial, config["size"])
        )
        return Built(join_channels(shape[0], sizes, channels, data_format))


for _rank in (1, 2, 3):
    register_zero_padding(_rank)
    register_cropping(_rank)
    register_upsampling(_rank)
