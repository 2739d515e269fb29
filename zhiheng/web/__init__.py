"""Base templates, htmx helpers, static assets and the home page. No domain logic."""
