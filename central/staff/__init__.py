"""The staff side in a browser (issue 21): accounts with roles, sessions, CSRF, login throttling, the review
workbench. ``central.routers.staff`` serves the pages; the tables are ``central.store.staff_sqlite``'s."""
