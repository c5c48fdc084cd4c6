"""Write build_tools/render/data/countries-50m.json.gz, the base map the site's maps are drawn
from: Natural Earth's 1:50m Admin 0 countries (public domain), as TopoJSON from the npm
package `world-atlas` 2.0.2 (ISC licence, Mike Bostock; LICENSE.world-atlas beside the data).
Run once by hand when the data should change, never by a build:

    curl -sO https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
    tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python scripts/make_basemap.py package/countries-50m.json

Only the countries' outlines are kept (no names or ids: the maps draw shapes only), written
with a fixed gzip time so that the file is the same on every run.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "build_tools" / "render" / "data" / "countries-50m.json.gz"


def main(source: Path) -> None:
    data = json.loads(source.read_text("utf-8"))
    countries = data["objects"]["countries"]["geometries"]
    kept = {
        "type": "Topology",
        "transform": data["transform"],
        "arcs": data["arcs"],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [{"type": g["type"], "arcs": g["arcs"]} for g in countries if "arcs" in g],
            }
        },
    }
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as out:
        out.write(json.dumps(kept, separators=(",", ":")).encode())
    OUT.write_bytes(buffer.getvalue())
    print(f"wrote {OUT} ({len(buffer.getvalue()):,} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
