"""The service layer, between the method and every output:

- ``scenario.py``: the Scenario (edition + parameters + profile + previous edition), assembled
  once at the edge, with every result the outputs read from it;
- ``budget.py``: the entry points for budgets (compute, the JSON contract, CSV rows);
- ``inputs.py``: the edge's parsing of what people type (``--set``, query strings) into
  ``Parameters``, and the clock (the default ``as_of``);
- ``changes.py``: what changed between two editions, in numbers.

Import from the module (``from koldioxidbudget.service.budget import compute``): this package
imports nothing itself, so a command that only parses its parameters loads no tables.
"""
