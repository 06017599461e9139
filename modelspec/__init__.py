"""Reading and validating layerplan spec files against the registry in `shapes`."""

from modelspec.diagnostics import Diagnostic, SpecError
from modelspec.loader import load_spec, parse_shape_option
from modelspec.model import LayerSpec, ModelInput, ModelSpec, Place

__all__ = [
    "Diagnostic",
    "LayerSpec",
    "ModelInput",
    "ModelSpec",
    "Place",
    "SpecError",
    "load_spec",
    "parse_shape_option",
]
