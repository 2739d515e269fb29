"""The demo dataset builder: the seed's districts, units, fictional people and a year of history."""
