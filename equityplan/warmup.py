"""A new web worker made ready before its first request (gunicorn.conf.py, ``post_worker_init``).

A process builds some things once, on the first request that needs them: the URL table and the
views it imports, the translation catalogues, the compiled templates, and what an app keeps per
process (an app's ``warm_up``: grants builds the XTKS calendar). On the demo data that was 1.6 s
on the dashboard's first request and 0.4 s on another page's, paid by the first users of every
worker recycled after ``max_requests`` (docs/reliability.md fact 17). The worker builds them
before it takes a request; meanwhile the other workers take them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

log = logging.getLogger(__name__)


def warm_up() -> dict[str, float | int]:
    """Build what a first request would; a template that does not compile is logged and skipped
    (its page fails as it would have, and the worker still starts)."""
    started = time.perf_counter()
    get_resolver().url_patterns  # noqa: B018 (imports every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Holders")
    templates = 0
    for directory in engines["django"].dirs:
        for path in sorted(Path(directory).rglob("*.html")):
            name = path.relative_to(directory).as_posix()
            try:
                get_template(name)
            except TemplateSyntaxError:
                log.exception("warm-up: template %s does not compile", name)
                continue
            templates += 1
    for config in apps.get_app_configs():
        app_warm_up = getattr(config, "warm_up", None)
        if app_warm_up is not None:
            app_warm_up()
    return {"templates": templates, "seconds": time.perf_counter() - started}
