"""Benchmark-only settings (bench/web/run.py): the product's settings, with DEBUG off and the bench's own
urlconf, which adds the one-query baseline endpoint. Never used by the product."""

from config.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.web.urls"
