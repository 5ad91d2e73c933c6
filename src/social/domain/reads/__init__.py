"""The read model: every page of posts or accounts, built from cached presentations and one
fresh look at the database per page (the viewer's overlay)."""
