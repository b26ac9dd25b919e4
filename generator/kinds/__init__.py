"""The kinds of content, each declared once in a module of its own.

:mod:`generator.kinds.registry` finds them: every module of this package that defines
``KIND`` (a :class:`~generator.kinds.base.ContentKind`, one folder of ``content/``) and
every module of :mod:`generator.kinds.playbooks` that defines ``KIND`` (a
:class:`~generator.kinds.base.PlaybookKind`). Loading, the checks, translations, the
comparison of revisions, the schema export and the renderer read the registry rather
than lists of their own.
"""
