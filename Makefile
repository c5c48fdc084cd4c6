# The two commands the README opens with: `make site` and `make test`.
.PHONY: site test quick check bench serve clean date-quality entity-quality import-quality quote-quality

site:
	@scripts/setup.sh
	.venv/bin/archive build

test:
	@scripts/setup.sh test
	.venv/bin/python -m pytest -q

# Every test but the browser and slow ones: under a minute, no Chromium needed.
quick:
	@scripts/setup.sh quick
	.venv/bin/python -m pytest -q -n auto -m "not browser and not slow"

check:
	@scripts/setup.sh
	.venv/bin/archive check

serve:
	@scripts/setup.sh
	.venv/bin/archive serve

clean:
	rm -rf site .archive-cache

date-quality:
	@scripts/setup.sh
	.venv/bin/python -m benchmarks.date_quality

# Entity mentions on hand-annotated passages of the bundled archive.
entity-quality:
	@scripts/setup.sh
	.venv/bin/python -m benchmarks.entity_quality

# Furniture, headings and captions on 40 hand-labelled texts of ../shared/corpus (read at run time).
import-quality:
	@scripts/setup.sh
	.venv/bin/python -m benchmarks.import_quality

# Who said what: attributed quotations on hand-labelled lines of the archive and ../shared/corpus.
quote-quality:
	@scripts/setup.sh
	.venv/bin/python -m benchmarks.quote_quality

# Build time, memory and size against plain MkDocs; BENCH_ARGS="--large" adds N = 100,000.
# Its search figures come from headless Chromium, so it sets up what the tests need.
bench:
	@scripts/setup.sh test
	.venv/bin/python -m benchmarks.bench $(BENCH_ARGS)
