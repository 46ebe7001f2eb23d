"""Sign-in, roles and unit scoping of staff."""
