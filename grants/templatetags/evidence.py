"""``{% evidence_panel record %}``: the documents attached to a record and, for those who may, the
form to attach one (docs/domain.md reading R56). Two queries whatever the number of documents."""

from __future__ import annotations

from django import template
from django.urls import reverse

from grants.forms.evidence import EvidenceForm
from grants.services.evidence import evidence_for, subject_label

register = template.Library()


@register.inclusion_tag("grants/_evidence.html", takes_context=True)
def evidence_panel(context, record):
    user = context["request"].user
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "documents": evidence_for(record),
        "can_attach": user.has_perm("grants.record_events") or user.has_perm("grants.decide"),
        "attach_url": reverse("grants:evidence_attach", args=[subject_label(record), record.pk]),
        "form": EvidenceForm(),
    }
