"""An OpenAPI-to-Python client generator: spec → typed model → Jinja templates → package."""

__version__ = "0.1.0"
