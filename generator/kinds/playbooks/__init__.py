"""The kinds of playbook, one module each: a module here that defines ``KIND`` is a playbook kind.

A new kind is a module beside these (its model, checks and diff wording), a template
``generator/templates/playbooks/<kind>.md.j2`` and its interface strings in
``generator/messages/*.yml``: the registry (:mod:`generator.kinds`) finds it by its file.
"""
