"""Concord's analysis library: plain records in, plain results out.

It imports neither Django nor any other Concord app, so it runs in a notebook, a test or a Dask worker alike.
Steps follow the scikit-learn estimator contract (parameters in ``__init__``, learning in ``fit`` returning
``self``, learned state in attributes ending with ``_``, randomness through ``random_state``).
"""

__all__: list[str] = []
