"""The layerplan command line: the only package that prints or exits."""

__version__ = "0.1.0"
