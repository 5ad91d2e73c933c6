"""Discovery: whom to follow and what to look at next (DISC-1 suggested accounts, DISC-2
suggested posts). It reads the graph, posts, interactions and the feed; nothing below imports
it (graph changes queue its refresh through ``shared.jobs``)."""
