"""Building blocks every bounded context shares: errors, ids, clock, pagination, ports."""
