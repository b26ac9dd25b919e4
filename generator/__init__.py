"""Advocacy Portal: turn social-media playbooks and lessons kept in git into a static training site.

The core is free of MkDocs: :mod:`generator.load` reads ``content/`` into a
:class:`generator.model.Portal` by the kinds of :mod:`generator.kinds`, :mod:`generator.checks`
checks it, :func:`generator.render.render` turns it into pages, and the engine's side
(:mod:`generator.project`, :mod:`generator.build`, :mod:`generator.plugin`) hands them to
MkDocs. ``tests/test_architecture.py`` holds the rules.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
