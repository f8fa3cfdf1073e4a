"""Turns articles on Quad cyber cooperation into linked tables where every fact carries its sentence."""

__version__ = "0.1.0"
