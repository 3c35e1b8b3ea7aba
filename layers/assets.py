"""
Serve folium's JavaScript and CSS from the app's own host.

folium and streamlit-folium load Leaflet, jQuery, Bootstrap, Font Awesome and
awesome-markers from public CDNs (each element's ``default_js`` /
``default_css``); with no internet the map is blank, and with internet every
page load leaks a request to a third party. ``scripts/fetch_assets.py`` fetches
the same files from the npm registry at install time into ``static/vendor/``
(gitignored), which Streamlit serves at ``/app/static/vendor/...``
(``server.enableStaticServing``). ``use_local_assets`` points folium's
class-level lists at those copies.

The tables below are the single source of truth for both sides: what the
fetch script downloads and what the URLs are rewritten to.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import folium
from folium.plugins import Draw

#: Where Streamlit serves ``<app dir>/static`` (``server.enableStaticServing``).
DEFAULT_BASE_URL = "/app/static/vendor"

#: Repository root (``layers/`` sits directly under it).
REPO_ROOT = Path(__file__).resolve().parent.parent
#: Where the fetch script writes the files; never committed.
VENDOR_DIR = REPO_ROOT / "static" / "vendor"
#: Our own map scripts (committed), served at :data:`OWN_BASE_URL`.
OWN_DIR = REPO_ROOT / "static" / "gxland"
OWN_BASE_URL = "/app/static/gxland"


def own_url(name: str) -> str:
    """
    Address of our own static file ``name`` (under :data:`OWN_DIR`), with its content's digest as a
    query: a browser that cached an older copy fetches the new one after an upgrade.
    """
    import hashlib

    digest = hashlib.blake2b((OWN_DIR / name).read_bytes(), digest_size=6).hexdigest()
    return f"{OWN_BASE_URL}/{name}?v={digest}"


class AssetError(RuntimeError):
    """A folium element wants a file we do not vendor, or the vendored files are missing."""


@dataclass(frozen=True)
class NpmFile:
    """
    One file (or directory, when ``src`` ends with ``/``) copied from an npm package.

    Attributes
    ----------
    package
        npm spec with an exact version, the one folium's CDN URL names.
    src
        Path inside the package tarball (tarballs unpack under ``package/``).
    dest
        Path under ``static/vendor/``.
    """

    package: str
    src: str
    dest: str


#: Files copied verbatim from npm tarballs. Directories keep the layout the CSS
#: expects (``url(../webfonts/...)``, ``url(images/...)``).
NPM_FILES: tuple[NpmFile, ...] = (
    NpmFile("leaflet@1.9.3", "package/dist/leaflet.js", "leaflet/leaflet.js"),
    NpmFile("leaflet@1.9.3", "package/dist/leaflet.css", "leaflet/leaflet.css"),
    NpmFile("leaflet@1.9.3", "package/dist/images/", "leaflet/images/"),
    NpmFile("jquery@3.7.1", "package/dist/jquery.min.js", "jquery/jquery.min.js"),
    NpmFile(
        "bootstrap@5.2.2", "package/dist/js/bootstrap.bundle.min.js", "bootstrap/js/bootstrap.bundle.min.js"
    ),
    NpmFile("bootstrap@5.2.2", "package/dist/css/bootstrap.min.css", "bootstrap/css/bootstrap.min.css"),
    NpmFile("@fortawesome/fontawesome-free@6.2.0", "package/css/all.min.css", "fontawesome/css/all.min.css"),
    NpmFile("@fortawesome/fontawesome-free@6.2.0", "package/webfonts/", "fontawesome/webfonts/"),
    # Leaflet.awesome-markers 2.0.2 (the cdnjs version folium names) is on npm
    # under this republished name; the upstream name only has 2.0.0/2.0.4/2.0.5.
    NpmFile(
        "drmonty-leaflet-awesome-markers@2.0.2",
        "package/js/leaflet.awesome-markers.js",
        "awesome-markers/leaflet.awesome-markers.js",
    ),
    NpmFile(
        "drmonty-leaflet-awesome-markers@2.0.2",
        "package/css/leaflet.awesome-markers.css",
        "awesome-markers/leaflet.awesome-markers.css",
    ),
    NpmFile("drmonty-leaflet-awesome-markers@2.0.2", "package/css/images/", "awesome-markers/images/"),
    # folium names bootstrap 3.0.0's stand-alone glyphicons sheet; npm has no such
    # file, so the fetch script cuts the glyphicon rules out of bootstrap 3's CSS.
    NpmFile("bootstrap@3.4.1", "package/dist/fonts/", "glyphicons/fonts/"),
    # folium.plugins.Draw (the 扩区/升级审查 page draws an application on the map).
    NpmFile("leaflet-draw@1.0.2", "package/dist/leaflet.draw.js", "leaflet-draw/leaflet.draw.js"),
    NpmFile("leaflet-draw@1.0.2", "package/dist/leaflet.draw.css", "leaflet-draw/leaflet.draw.css"),
    NpmFile("leaflet-draw@1.0.2", "package/dist/images/", "leaflet-draw/images/"),
)

#: Files the fetch script derives rather than copies: dest → what it is.
GENERATED_FILES: dict[str, str] = {
    "glyphicons/css/bootstrap-glyphicons.css": (
        "the @font-face and .glyphicon* rules of bootstrap@3.4.1 dist/css/bootstrap.css"
    ),
    "folium/leaflet.awesome.rotate.css": (
        "fa-rotate-N rules (N = 0..359 degrees) for folium.Icon(angle=N); folium's own "
        "sheet is not in its wheel, only in its git repository"
    ),
}

#: folium resource name → path under the vendor dir. Names are the first item
#: of the (name, url) pairs in ``default_js`` / ``default_css``.
LOCAL_JS: dict[str, str] = {
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": "bootstrap/js/bootstrap.bundle.min.js",
    "awesome_markers": "awesome-markers/leaflet.awesome-markers.js",
    "leaflet_draw_js": "leaflet-draw/leaflet.draw.js",
}
LOCAL_CSS: dict[str, str] = {
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/css/bootstrap.min.css",
    "glyphicons_css": "glyphicons/css/bootstrap-glyphicons.css",
    "awesome_markers_font_css": "fontawesome/css/all.min.css",
    "awesome_markers_css": "awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": "folium/leaflet.awesome.rotate.css",
    "leaflet_draw_css": "leaflet-draw/leaflet.draw.css",
}

#: Resources a map loads only when its rendered script or HTML shows it uses them (any of the
#: strings): folium's ``Map`` names all of them for ``folium.Icon`` (awesome markers, Font
#: Awesome, glyphicons, Bootstrap) and its jQuery-based popups, which our maps do not draw.
#: streamlit-folium loads a map's scripts one after another, so each unneeded one was a round
#: trip and a parse on every map drawn. Bootstrap's stylesheet stays (fonts and sizes of the
#: map's own HTML).
NEEDED_WHEN: dict[str, tuple[str, ...]] = {
    "jquery": ("$(", "$."),
    "bootstrap": ("bootstrap", "data-bs-"),
    "awesome_markers": ("AwesomeMarkers",),
    "awesome_markers_css": ("AwesomeMarkers", "awesome-marker"),
    "awesome_markers_font_css": ("AwesomeMarkers", "fa-"),
    "awesome_rotate_css": ("AwesomeMarkers", "fa-rotate"),
    "glyphicons_css": ("glyphicon",),
}


def needed(name: str, page: str) -> bool:
    """Whether the resource ``name`` (a key of ``LOCAL_JS``/``LOCAL_CSS``) is used by ``page`` (script + HTML)."""
    marks = NEEDED_WHEN.get(name)
    return marks is None or any(m in page for m in marks)


#: Every folium class whose resources our builders put on a page. A builder
#: that starts using another JSCSSMixin element (a plugin) must add it here
#: and vendor its files, or ``use_local_assets`` refuses it.
ELEMENT_CLASSES: tuple[type, ...] = (folium.Map, Draw)

_applied_base_url: str | None = None


def _localise(pairs: list[tuple[str, str]], table: dict[str, str], base_url: str, cls: type) -> list:
    out = []
    for name, url in pairs:
        if name not in table:
            raise AssetError(
                f"{cls.__module__}.{cls.__name__} loads {name!r} from {url}, which is not vendored: "
                "add it to layers/assets.py (NPM_FILES and LOCAL_JS/LOCAL_CSS) and re-run "
                "scripts/fetch_assets.py"
            )
        out.append((name, f"{base_url}/{table[name]}"))
    return out


def use_local_assets(
    base_url: str = DEFAULT_BASE_URL, *, classes: tuple[type, ...] = ELEMENT_CLASSES
) -> None:
    """
    Point folium's class-level JS/CSS lists at the locally served copies.

    Idempotent: resources are looked up by name, so calling it again (with the
    same or another ``base_url``) rewrites the same entries.

    Parameters
    ----------
    base_url
        URL prefix under which ``static/vendor/`` is served; no trailing slash.
    classes
        folium element classes to rewrite (``folium.Map`` and every
        ``JSCSSMixin`` subclass the builders use).

    Raises
    ------
    AssetError
        When a class loads a resource that is not in ``LOCAL_JS`` / ``LOCAL_CSS``.
    """
    global _applied_base_url
    base_url = base_url.rstrip("/")
    for cls in classes:
        # Assign new lists on the class itself (not mutate a parent's list) so a
        # subclass never shares a half-rewritten list with its base.
        cls.default_js = _localise(list(getattr(cls, "default_js", [])), LOCAL_JS, base_url, cls)
        cls.default_css = _localise(list(getattr(cls, "default_css", [])), LOCAL_CSS, base_url, cls)
    _applied_base_url = base_url


def vendored_paths() -> list[str]:
    """Every file or directory (trailing ``/``) the fetch script must produce, relative to the vendor dir."""
    return sorted({f.dest for f in NPM_FILES} | set(GENERATED_FILES))


def missing_assets(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """
    Vendored paths that are absent (or empty directories) under ``vendor_dir``.

    Returns
    -------
    missing
        Relative paths; empty when the map can be drawn offline.
    """
    missing = []
    for rel in vendored_paths():
        p = vendor_dir / rel
        if rel.endswith("/"):
            if not p.is_dir() or not any(p.iterdir()):
                missing.append(rel)
        elif not p.is_file() or p.stat().st_size == 0:
            missing.append(rel)
    return missing
