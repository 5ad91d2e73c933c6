"""The faces adapters: the dlib engine and the two PostgreSQL face indexes."""
