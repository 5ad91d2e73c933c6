"""Orchestration over several contexts (an account's purge reaches accounts, graph, posts,
interactions, media and search), kept above all of them so none reaches up."""
