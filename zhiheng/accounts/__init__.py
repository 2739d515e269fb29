"""People, login and API tokens."""
