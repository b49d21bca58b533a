"""The project's fields under the names the grants forms have always imported (docs/domain.md R48)."""

from equityplan.forms import (
    MAX_INT,
    RIGHTS_ERRORS,
    AsciiIntegerField,
    BoundedDateField,
    BoundedDecimalField,
    DateInput,
    StepForm,
    date_field,
    fraction_field,
    rights_field,
    yen_field,
)

__all__ = [
    "MAX_INT",
    "RIGHTS_ERRORS",
    "AsciiIntegerField",
    "BoundedDateField",
    "BoundedDecimalField",
    "DateInput",
    "StepForm",
    "date_field",
    "fraction_field",
    "rights_field",
    "yen_field",
]
