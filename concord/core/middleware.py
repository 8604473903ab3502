"""Response headers every page carries."""

from __future__ import annotations

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    """Add ``Content-Security-Policy`` to every HTML response.

    The policy (``CONCORD_CSP``) allows scripts, styles, fonts and connections from Concord's own origin only, so a
    contribution's text that slips markup past the templates' escaping still cannot run a script. Pages under a prefix
    of ``CONCORD_CSP_BY_PATH`` get their own policy (the API's docs page, whose bundled Swagger UI sets inline
    styles). A view that sets the header itself keeps its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            return response
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        policy = settings.CONCORD_CSP
        for prefix, special in settings.CONCORD_CSP_BY_PATH.items():
            if request.path.startswith(prefix):
                policy = special
                break
        response["Content-Security-Policy"] = policy
        return response
