import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "concord.settings")
application = get_wsgi_application()

# Load the language models now: a server that imports this module before forking its workers (gunicorn --preload)
# shares them between the workers, instead of each loading its own (seconds, hundreds of MB) on its first submission.
from concord.contributions.language import preload  # noqa: E402

preload()
