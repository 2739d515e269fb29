"""Power catalogue, categories, policy templates, division plans (SPEC R-DIV).

THE authority on "who is in charge of power P in unit U on date D".
"""
