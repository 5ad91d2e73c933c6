"""PostgreSQL: tables, repositories, the unit of work, migrations and the embedded server."""
