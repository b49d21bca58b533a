"""Pages of the grants app, one module per concept. Views parse a form and call one service; services decide.

The permission mixins and the series lookup are re-exported for the apps that add pages around a series.
"""

from equityplan.views import DecidePermissionMixin, ReadPermissionMixin, RecordPermissionMixin

from .base import SeriesMixin
from .series import SeriesDetailView

__all__ = [
    "DecidePermissionMixin",
    "ReadPermissionMixin",
    "RecordPermissionMixin",
    "SeriesDetailView",
    "SeriesMixin",
]
