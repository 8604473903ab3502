"""``concord analyze tag|campaigns|stance|opinions|run``: analysis of files or of a stored consultation."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from concord.analysis import pipeline
from concord.analysis.campaigns import CampaignDetector
from concord.analysis.tagging import IssueTagger


def read_jsonl(path: str) -> list[dict]:
    records = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CommandError(f"{path}:{number}: not JSON ({exc})") from exc
            if "id" not in record or not isinstance(record.get("text"), str):
                raise CommandError(f'{path}:{number}: each line needs "id" and "text"')
            record["id"] = str(record["id"])
            records.append(record)
    return records


def write_jsonl(path: str, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


class Command(BaseCommand):
    help = "Analyse contributions: issue tags, campaigns and translations (JSON Lines in and out, or a consultation)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in [("tag", "tag texts with WSIS issues"), ("campaigns", "group campaigns, link translations")]:
            p = sub.add_parser(name, help=text)
            p.add_argument("--input", required=True, help="JSON Lines: {id, text, lang?} per line")
            p.add_argument("--output", required=True)
            self._cluster_options(p)
        p = sub.add_parser("stance", help="stance of each text towards the positions of a codebook")
        p.add_argument("--input", required=True, help="JSON Lines: {id, text, lang?} per line")
        p.add_argument("--codebook", required=True, help='JSON: {"positions": [{slug, statement, examples?}]}')
        p.add_argument("--output", required=True)
        self._cluster_options(p)
        p = sub.add_parser("opinions", help="Pol.is opinion groups of a Pol.is CSV export")
        p.add_argument("--polis", required=True, help="directory of a Pol.is export (comments.csv, votes.csv, ...)")
        p.add_argument("--output", required=True, help="JSON: participants, groups, comments")
        p = sub.add_parser("run", help="analyse a stored consultation and save the results")
        p.add_argument("slug")
        self._cluster_options(p)

    @staticmethod
    def _cluster_options(parser):
        parser.add_argument("--workers", type=int, default=None, help="run on a local Dask cluster of N processes")
        parser.add_argument("--scheduler", default=None, help="run on an existing Dask scheduler (address)")

    def handle(self, *args, action, workers=None, scheduler=None, **options):
        quiet = options["verbosity"] == 0
        if action == "run":
            return self._run(options["slug"], workers, scheduler, quiet)
        if action == "stance":
            return self._stance(options, workers, scheduler, quiet)
        if action == "opinions":
            return self._opinions(options["polis"], options["output"], quiet)
        records = read_jsonl(options["input"])
        texts = [r["text"] for r in records]
        langs = [r.get("lang") or None for r in records]
        bar = tqdm(total=len(records), desc=action, unit="text", disable=quiet or len(records) < 200)
        with pipeline.dask_client(workers, scheduler) as client:
            if action == "tag":
                from concord.policy.analysis import taxonomy

                tagger = IssueTagger(taxonomy()).fit()
                results = pipeline.tag(texts, langs, tagger, client=client, progress=bar.update)
                rows = ({"id": r["id"], **res} for r, res in zip(records, results, strict=True))
            else:
                detector = pipeline.campaigns(texts, langs, CampaignDetector(), client=client, progress=bar.update)
                rows = self._campaign_rows(records, detector)
            write_jsonl(options["output"], rows)
        bar.close()
        if not quiet:
            self.stdout.write(f"{len(records)} records written to {options['output']}")

    def _stance(self, options, workers, scheduler, quiet):
        from concord.analysis.stance import StanceDetector, positions_from_codebook

        try:
            with open(options["codebook"], encoding="utf-8") as f:
                positions = positions_from_codebook(json.load(f))
        except OSError as exc:
            raise CommandError(f"cannot read the codebook: {exc}") from exc
        except (json.JSONDecodeError, ValueError) as exc:
            raise CommandError(f"{options['codebook']}: {exc}") from exc
        try:
            records = read_jsonl(options["input"])
        except OSError as exc:
            raise CommandError(f"cannot read the input: {exc}") from exc
        detector = StanceDetector().fit(positions)
        bar = tqdm(total=len(records), desc="stance", unit="text", disable=quiet or len(records) < 200)
        with pipeline.dask_client(workers, scheduler) as client:
            results = pipeline.stance(
                [r["text"] for r in records], [r.get("lang") or None for r in records], detector, client, bar.update
            )
        bar.close()
        rows = (
            {
                "id": record["id"],
                "positions": [
                    {"slug": r.slug, "stance": r.stance, "score": r.score, "evidence": r.evidence[0].text}
                    for r in found
                ],
            }
            for record, found in zip(records, results, strict=True)
        )
        write_jsonl(options["output"], rows)
        if not quiet:
            self.stdout.write(f"{len(records)} records written to {options['output']}")

    def _opinions(self, directory, output, quiet):
        from concord.analysis.opinions_polis import PolisExportError, analyse_export, contract_output

        try:
            model, export = analyse_export(directory)
        except PolisExportError as exc:
            raise CommandError(str(exc)) from exc
        try:
            with open(output, "w", encoding="utf-8") as f:
                json.dump(contract_output(model, export), f, ensure_ascii=False)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc}") from exc
        if not quiet:
            grouped = sum(1 for g in model.participants_.values() if g is not None)
            self.stdout.write(
                f"{len(model.participants_)} participants ({grouped} grouped), {len(model.groups_)} groups: {output}"
            )

    @staticmethod
    def _campaign_rows(records, detector):
        ids = [r["id"] for r in records]
        for i, record_id in enumerate(ids):
            label = int(detector.labels_[i])
            original = int(detector.translation_of_[i])
            yield {
                "id": record_id,
                # A campaign is named after its canonical text's id.
                "campaign": ids[detector.canonical_[label]] if label >= 0 else None,
                "translation_of": ids[original] if original >= 0 else None,
            }

    def _run(self, slug, workers, scheduler, quiet):
        from concord.consultations.models import Consultation
        from concord.policy.analysis import analyse_consultation
        from concord.positions.analysis import analyse_stances

        consultation = Consultation.objects.filter(slug=slug).first()
        if consultation is None:
            raise CommandError(f"no consultation {slug!r}")
        total = consultation.contributions.count()
        with tqdm(total=total, desc="analyse", unit="text", disable=quiet or total < 200) as bar:
            result = analyse_consultation(
                "command:analyze", consultation, workers=workers, scheduler=scheduler, progress=bar.update
            )
        with tqdm(total=total, desc="stance", unit="text", disable=quiet or total < 200) as bar:
            # Each contribution's stance on the consultation's codebook; reviewed stances are kept.
            result["stances"] = analyse_stances(
                "command:analyze", consultation, workers=workers, scheduler=scheduler, progress=bar.update
            )
        if not quiet:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
