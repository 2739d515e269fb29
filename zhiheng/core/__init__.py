"""Domain-free kernel: clock, money, domain errors, base model. Imports no other zhiheng app."""
