"""The analysis steps over many records, in one process or on a Dask cluster, with the same results.

Work is cut into partitions in input order; each partition runs the same deterministic code on a worker, and the
results are put back in order. Campaign grouping is sequential by nature: the cluster computes the fingerprints
(the costly part) and the grouping then runs once, in order, exactly as in one process.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence

from .campaigns import CampaignDetector, fingerprint_all
from .language import LanguageIdentifier
from .tagging import IssueTagger


def _partitions(n: int, size: int) -> list[tuple[int, int]]:
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def _tag_partition(tagger: IssueTagger, identifier: LanguageIdentifier, texts, langs) -> list[dict]:
    found = [lang or identifier.detect(text).lang for text, lang in zip(texts, langs, strict=True)]
    return [{"lang": lang, **tagged} for lang, tagged in zip(found, tagger.tag(texts), strict=True)]


def _detect_languages(identifier: LanguageIdentifier, texts, langs) -> list[str]:
    return [lang or identifier.detect(text).lang for text, lang in zip(texts, langs, strict=True)]


def _map(func: Callable, shared: tuple, columns: Sequence[Sequence], size: int, client=None, progress=None) -> list:
    """``func(*shared, *column_slices)`` over partitions; results concatenated in order."""
    n = len(columns[0])
    parts = _partitions(n, size)
    results: list = []
    if client is None:
        for start, stop in parts:
            results.extend(func(*shared, *(c[start:stop] for c in columns)))
            if progress:
                progress(stop - start)
        return results
    from distributed import as_completed

    # Fresh keys each call: with content-hashed keys a second run on the same tagger could ask for data the
    # scheduler is still releasing from the first ("lost dependencies").
    scattered = [client.scatter(obj, broadcast=True, hash=False) for obj in shared]
    futures = [
        client.submit(func, *scattered, *(list(c[start:stop]) for c in columns), pure=False) for start, stop in parts
    ]
    position = {f.key: i for i, f in enumerate(futures)}
    done: dict[int, list] = {}
    for future in as_completed(futures):
        done[position[future.key]] = future.result()
        if progress:
            start, stop = parts[position[future.key]]
            progress(stop - start)
    for i in range(len(parts)):
        results.extend(done[i])
    return results


def tag(
    texts: Sequence[str],
    langs: Sequence[str | None] | None,
    tagger: IssueTagger,
    identifier: LanguageIdentifier | None = None,
    *,
    client=None,
    partition_size: int = 1000,
    progress=None,
) -> list[dict]:
    """``{"lang", "issues", "scores"}`` per text; a missing language is identified."""
    identifier = identifier or LanguageIdentifier()
    langs = list(langs) if langs is not None else [None] * len(texts)
    return _map(_tag_partition, (tagger, identifier), (list(texts), langs), partition_size, client, progress)


def campaigns(
    texts: Sequence[str],
    langs: Sequence[str | None] | None,
    detector: CampaignDetector,
    identifier: LanguageIdentifier | None = None,
    *,
    client=None,
    partition_size: int = 20000,
    progress=None,
) -> CampaignDetector:
    """Fit ``detector`` on ``texts``; fingerprints (and missing languages) are computed on the cluster if any.

    Languages are identified only for the texts that translation linking compares (each campaign's canonical text
    and each text outside a campaign): identifying every member of a campaign of 100,000 copies took most of the
    run, to learn the one language its canonical text already tells.
    """
    texts = list(texts)
    prints = _map(fingerprint_all, (), (texts,), partition_size, client, progress)
    identify = None
    if detector.link_translations:
        # Lazily loaded models: a batch run needs only those of its texts' scripts.
        identifier = identifier or LanguageIdentifier(preload=False)

        def identify(chosen: list[str]) -> list[str]:
            return _map(_detect_languages, (identifier,), (chosen, [None] * len(chosen)), partition_size, client)

    return detector.fit(texts, langs, prints=prints, identify=identify)


@contextlib.contextmanager
def dask_client(workers: int | None = None, scheduler: str | None = None) -> Iterator:
    """A Dask client on an existing scheduler, on a local cluster of ``workers`` processes, or ``None``."""
    if not workers and not scheduler:
        yield None
        return
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _stance_partition(detector, texts, langs) -> list:
    return detector.predict(texts, langs)


def stance(
    texts: Sequence[str],
    langs: Sequence[str | None] | None,
    detector,
    client=None,
    progress=None,
    *,
    partition_size: int = 2000,
) -> list:
    """``detector.predict`` (a fitted ``stance.StanceDetector``) over partitions: one list of results per text."""
    langs = list(langs) if langs is not None else [None] * len(texts)
    return _map(_stance_partition, (detector,), (list(texts), langs), partition_size, client, progress)
