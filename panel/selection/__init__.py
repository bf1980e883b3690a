"""Fair selection of a panel from a pool: the LEXIMIN distribution over panels that meet every
quota (Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for selecting citizens'
assemblies", Nature 596, 2021), solved with HiGHS, then a seeded draw from it.

Pure code: no database, no web. The engagement pages give it a pool and store what it returns;
``panel select`` gives it CSV files in the formats organisers already use.

- ``problem``: the pool, panel size, quotas and exclusions, checked and reduced to groups of
  interchangeable people.
- ``leximin``: the distribution, by column generation over panels; ``swaps`` finds the panels
  it tries before the exact search.
- ``conflicts``: when the quotas cannot all hold, which ones conflict and the smallest change.
- ``draw``: the seeded draw of a panel and its ordered reserves; ``select`` does it all.
- ``csvfiles``: the people and categories CSV formats.
"""
