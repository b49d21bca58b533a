"""Attaching a document: what it is and the file (its content is checked by the service)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from grants.models import Evidence


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("PDF, JPEG or PNG file"))
