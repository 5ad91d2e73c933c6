"""Home feeds: hybrid fan-out into precomputed feeds, merged and rebuilt from the database."""
