"""The read model's presentations: a cache of presented posts and accounts, filled from the
database on a miss (the ``PresentedViews`` port)."""
