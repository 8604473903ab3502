"""Concord's analysis library: plain records in, plain results out.

It imports neither Django nor any other Concord app, so it runs in a notebook, a test or a Dask worker alike.
Steps follow the scikit-learn estimator contract (parameters in ``__init__``, learning in ``fit`` returning
``self``, learned state in attributes ending with ``_``, randomness through ``random_state``).

- ``language.LanguageIdentifier``: the language of a text, or "other".
- ``tagging.IssueTagger``: WSIS issues raised by a text, in six languages, no translation.
- ``campaigns.CampaignDetector``: template campaigns, and translation links.
- ``compare.issue_group_shares``: issues by stakeholder group, with lift.
- ``distributed``: the same steps over a Dask cluster.
"""

__all__: list[str] = []
