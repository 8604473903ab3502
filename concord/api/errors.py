"""JSON errors from the JSON API, always: a client of ``/api/`` never has to parse an HTML error page.

Two layers. Exceptions raised inside an API operation get ninja exception handlers with a precise status and
message (a body over the size limit is 413, a refusal of a service 400, any other failure 500). What happens outside
ninja's operations (an unknown path under ``/api/``, a method the path does not take, an exception in Django
itself) passes through ``JsonErrorsMiddleware``, which turns any error response that is not JSON into one.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from concord.contributions.submission import error_code

API_PREFIX = "/api/"
request_logger = logging.getLogger("django.request")


def error_response(status: int, error: str, message: str) -> HttpResponse:
    """The API's error body, ``{"error": code, "message": text}``, as its operations answer refusals."""
    body = json.dumps({"error": error, "message": message}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json; charset=utf-8")


def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return error_response(
        413,
        "too-large",
        _("The request body is larger than the limit of %(mb)d MB; send fewer or smaller files.")
        % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)},
    )


def _refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(400, error_code(exc), " ".join(exc.messages))


def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged as Django logs an unhandled exception, so that the administrators' e-mails and log alerts still fire.
    request_logger.error(
        "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
    )
    return error_response(500, "server-error", _messages()[500])


def register(api) -> None:
    api.add_exception_handler(RequestDataTooBig, _too_big)
    api.add_exception_handler(ValidationError, _refused)
    api.add_exception_handler(Exception, _server_error)


def _messages() -> dict[int, str]:
    return {
        400: _("The request is not well formed."),
        403: _("You may not do this."),
        404: _("There is nothing at this address of the API; see /api/v1/docs."),
        405: _("This address does not take this method; the Allow header lists those it takes."),
        413: _("The request body is too large."),
        500: _("Something went wrong on our side; try again later."),
    }


class JsonErrorsMiddleware:
    """Under ``/api/``, an error response that is not JSON (Django's 404 for an unknown path, ninja's plain-text 405,
    Django's 400 or 500 pages) becomes ``{"error", "message"}`` with the same status and headers (``Allow``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") or response.streaming:
            return response
        status = HTTPStatus(response.status_code)
        message = _messages().get(status.value, status.phrase)
        replacement = error_response(status.value, status.phrase.lower().replace(" ", "-"), str(message))
        for header, value in response.items():
            if header.lower() not in {"content-type", "content-length"}:
                replacement[header] = value
        return replacement
