"""deliver: one YAML file per client, every document of a GTM Lifecycle engagement."""

__version__ = "0.1.0"
