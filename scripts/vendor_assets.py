"""Copy the front-end libraries installed by `npm ci` into fangkong/static/vendor.

Pages load them from our own static files, never from a CDN: offices run on intranets.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "echarts/dist/echarts.min.js": "echarts/echarts.min.js",
    # The gate page's camera scanner (an ES module; it imports its worker from beside it).
    "qr-scanner/qr-scanner.min.js": "qr-scanner/qr-scanner.min.js",
    "qr-scanner/qr-scanner-worker.min.js": "qr-scanner/qr-scanner-worker.min.js",
}


def main() -> int:
    source = ROOT / "node_modules"
    target = ROOT / "fangkong" / "static" / "vendor"
    missing = [name for name in FILES if not (source / name).exists()]
    if missing:
        print("missing (run `npm ci` first): " + ", ".join(missing), file=sys.stderr)
        return 1
    for name, dest in FILES.items():
        out = target / dest
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, out)
    print(f"copied {len(FILES)} files into {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
