"""Response headers every page carries."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` to every HTML response.

    The policy (``CONCORD_CSP``) allows scripts, styles, fonts and connections from Concord's own origin only, so a
    contribution's text that slips markup past the templates' escaping still cannot run a script. A view that sets
    the header itself keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        response["Content-Security-Policy"] = settings.CONCORD_CSP
        return response
