import gc
import os

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
site = get_wsgi_application()

# The API's requests carry a bearer token or nothing: no session, no CSRF cookie, no flash messages, no static
# files, no frames. They go through a shorter middleware chain, which every submission would otherwise pay for.
# Security (HTTPS headers), locale (refusals in the client's language), common (host check) and the API's JSON
# errors (an unknown path or method answered in JSON, not in an HTML page) stay.
API_PREFIX = "/api/"
API_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "concord.api.errors.JsonErrorsMiddleware",
]


class ApiHandler(WSGIHandler):
    def load_middleware(self, is_async=False):
        # Django builds the chain from settings.MIDDLEWARE only: lend it the API's list (in its order) while this
        # handler is built, at import, before any request.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = [path for path in full if path in API_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


api = ApiHandler()


def application(environ, start_response):
    handler = api if environ.get("PATH_INFO", "").startswith(API_PREFIX) else site
    return handler(environ, start_response)


# Load the language models now: a server that imports this module before forking its workers (gunicorn --preload)
# shares them between the workers, instead of each loading its own (seconds, hundreds of MB) on its first submission.
from concord.contributions.language import preload  # noqa: E402

preload()

# Everything loaded so far (Django, the apps, the URL map, the models) lives as long as the process: keep it out of
# the cyclic garbage collector's full passes, which otherwise walked all of it and held each worker's lock on the
# interpreter for 50 to 90 ms, every request in that worker waiting (10 ms once frozen, measured under
# bench/ingest). Under a preloading server the workers inherit the frozen set, and their copies of its pages are
# not written to by the collector either.
gc.freeze()
