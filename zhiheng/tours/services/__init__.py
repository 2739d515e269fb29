from .history import HistoricalTour, record_history
from .rectifications import answer_rectification, close_rectification, open_rectification
from .tours import advance_step, open_tour, record_opinions, transfer_lead

__all__ = [
    "HistoricalTour",
    "advance_step",
    "answer_rectification",
    "close_rectification",
    "open_rectification",
    "open_tour",
    "record_history",
    "record_opinions",
    "transfer_lead",
]
