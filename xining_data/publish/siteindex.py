"""The site around the stories: ``index.html`` (every story in both editions) and the kit.

The index lists the stories by their ``order`` with the masthead each page
declared, and the figure kit (``site/figures/``: the manifest, its schema and
every file it lists) with a preview, alt text and downloads per chart. Like the
stories, the index loads nothing from elsewhere; it links the kit's files next
to it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from xining_data.publish.kit import MANIFEST_NAME, MANIFEST_SCHEMA, load_manifest
from xining_data.publish.pages import TEMPLATE_DIR, PublishError
from xining_data.publish.selfcontained import embed_font, external_resources
from xining_data.stories.editions import HTML_LANG, LANGUAGES, labels
from xining_data.stories.storymeta import build_stamp


def copy_figures(figures_dir: Path, target: Path) -> None:
    """Copy the manifest, its schema and every file it lists into the site."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    manifest_path = figures_dir / MANIFEST_NAME
    if manifest_path.is_file():
        manifest = load_manifest(figures_dir)
        for item in [*manifest.get("charts", []), *manifest.get("tables", [])]:
            for record in item.get("files", []):
                source = figures_dir / record["path"]
                if source.is_file():
                    (target / record["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, target / record["path"])
        shutil.copy2(manifest_path, target / MANIFEST_NAME)
    else:
        (target / MANIFEST_NAME).write_text(json.dumps(load_manifest(figures_dir)) + "\n", "utf-8")
    if MANIFEST_SCHEMA.is_file():
        shutil.copy2(MANIFEST_SCHEMA, target / MANIFEST_SCHEMA.name)


def write_index(site: Path, pages: dict[str, Any], figures_dir: Path, build_dir: Path) -> None:
    """Render ``site/index.html`` from the pages' mastheads (page file -> {"story": …})."""
    import jinja2
    from markupsafe import Markup

    stories: dict[str, dict[str, Any]] = {}
    for page, record in pages.items():
        meta = record["story"]
        story = stories.setdefault(
            meta["name"], {"order": meta["order"], "color": meta["color"], "pages": []}
        )
        story["order"] = min(story["order"], meta["order"])
        story["pages"].append({**meta, "href": page})
    ordered = sorted(stories.items(), key=lambda item: (item[1]["order"], item[0]))

    charts = []
    for chart in load_manifest(figures_dir).get("charts", []):
        files = [
            {**f, "format": Path(f["path"]).suffix.lstrip(".").upper()} for f in chart["files"]
        ]
        png = next((f["path"] for f in chart["files"] if f["path"].endswith(".png")), "")
        charts.append(
            {**chart, "files": files, "png": png, "html_lang": HTML_LANG.get(chart["language"])}
        )

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        keep_trailing_newline=True,
    )
    css = (TEMPLATE_DIR / "static" / "story.css").read_text("utf-8")
    html = env.get_template("site-index.html.j2").render(
        stories=[s for _name, s in ordered],
        charts=charts,
        labels={language: labels(language) for language in LANGUAGES},
        css=Markup(css),
        built=build_stamp(),
    )
    html = embed_font(html, build_dir / "fonts")
    if problems := external_resources(html, allow_relative=True):
        raise PublishError(f"index.html would load {problems[0]}")
    (site / "index.html").write_text(html, encoding="utf-8")
