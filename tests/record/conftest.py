import pytest

from concord.record import services


@pytest.fixture
def sealed_demo(demo):
    """The demo with its search index and sealed chain built (a test's transaction never commits, so the
    after-commit hooks that do this in production do not run)."""
    services.rebuild_index("test", demo)
    services.seal_consultation(demo)
    return demo
