"""Advocacy Portal: turn social-media playbooks and lessons kept in git into a static training site.

The core is free of MkDocs: :func:`generator.validate.validate` reads and checks
``content/`` into a :class:`generator.model.Portal`, :func:`generator.render.render`
turns it into pages, and :mod:`generator.build` hands them to MkDocs.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
