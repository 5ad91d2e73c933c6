"""HTTP controllers of the discovery context: suggested accounts and posts."""
