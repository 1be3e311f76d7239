"""What works when another engine builds the site: the README's engine table, measured.

Exports the handbook (``handbook export``, online and ``--offline``), builds both
with ProperDocs and with Zensical in their own environments (``make engines``),
builds the plugin site with MkDocs as the baseline, and checks each site in
headless Chromium: pages, navigation, answer search, Chinese full-text search,
diagrams, print (the handbook's name and version in a printed page's margin) and
the offline copy from ``file://``. Prints one Markdown table.

    .venv/bin/python bench/engine_support.py [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import base64
import io
import re
import shutil
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import test_browser  # noqa: E402
from conftest import CONFIG, CONTENT, serving  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from test_engines import build_export, engine  # noqa: E402

from generator import pages  # noqa: E402
from generator.content.load import load_handbook  # noqa: E402
from generator.site.build import build_site  # noqa: E402
from generator.site.export import export_site  # noqa: E402
from generator.site.pdf import HEADLESS_FLAGS  # noqa: E402

HANDBOOK = load_handbook(CONTENT).handbook
PLAN = pages.plan(HANDBOOK)
FULL_TEXT_QUERY = "秩序维护"
ROWS = [
    "pages",
    "navigation",
    "answer search",
    "Chinese full-text search",
    "diagrams",
    "print",
    "offline copy",
]


def browser() -> webdriver.Chrome:
    options = Options()
    options.binary_location = shutil.which("chromium")
    # Phone width: the search box opens from its label, as in tests/test_browser.py.
    for argument in (*HEADLESS_FLAGS, "--window-size=390,844"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def count_pages(site: Path) -> str:
    built = sum((site / pages.built_path(page.src_uri)).is_file() for page in PLAN)
    return f"{built} / {len(PLAN)}"


def count_nav(driver, url: str) -> str:
    driver.get(url)
    hrefs = driver.execute_script(
        "return [...document.querySelectorAll('nav.md-nav--primary a[href]')]"
        ".map(a => new URL(a.href).pathname)"
    )
    wanted = {"/" + pages.page_url(page.src_uri) for page in PLAN}
    return f"{len(wanted & set(hrefs))} / {len(wanted)}"


def answer_search(driver, url: str) -> str:
    try:
        ids = test_browser.search(driver, url, "车子停哪里")
    except Exception as error:  # noqa: BLE001 - a measurement: report what happened
        return f"no ({type(error).__name__})"
    return "yes" if ids[:1] == ["parking-visitor"] else f"no (first: {ids[:1]})"


SHADOW_TEXT = (
    "return [...document.querySelectorAll('*')].filter(e => e.shadowRoot)"
    ".map(e => e.shadowRoot.textContent).join(' ')"
)


def engine_search(driver, url: str, query: str) -> str | None:
    """Zensical's own search (a dialog in a shadow root, opened by its button): what it
    says it found for ``query``, or ``None`` where the site has no such search."""
    driver.get(url)
    buttons = driver.find_elements(By.CSS_SELECTOR, ".md-search__button")
    if not buttons:
        return None
    driver.execute_script("arguments[0].click()", buttons[0])
    driver.switch_to.active_element.send_keys(query)
    try:
        test_browser.wait(driver).until(
            lambda d: re.search(r"\d+ results|No results", d.execute_script(SHADOW_TEXT))
        )
    except Exception as error:  # noqa: BLE001
        return f"no ({type(error).__name__})"
    return re.search(r"\d+ results|No results", driver.execute_script(SHADOW_TEXT)).group(0)


def full_text_search(driver, url: str) -> str:
    """The engine's own page search, reached from the answer panel's 全文搜索."""
    own = engine_search(driver, url, FULL_TEXT_QUERY)
    if own is not None:
        colloquial = engine_search(driver, url, "车子停哪里")
        return f"own search: {FULL_TEXT_QUERY} {own}, 车子停哪里 {colloquial}"
    try:
        test_browser.search(driver, url, FULL_TEXT_QUERY)
        driver.find_element(By.CSS_SELECTOR, ".hb-answers__fulltext").click()
        test_browser.wait(driver).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
        )
    except Exception as error:  # noqa: BLE001
        return f"no ({type(error).__name__})"
    items = driver.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
    texts = " ".join(item.text for item in items[:5])
    return "yes" if FULL_TEXT_QUERY in texts else "no (no match)"


def diagrams(driver, url: str) -> str:
    driver.get(url + "goals/")
    nodes = driver.execute_script(
        "return [...document.querySelectorAll('.hb-org-tree .hb-tree-node')]"
        ".filter(n => n.getBoundingClientRect().height > 0).length"
    )
    units = len(HANDBOOK.organisation.organisation.units)
    return f"yes ({nodes} of {units} units drawn)" if nodes == units else f"no ({nodes}/{units})"


def printed(driver, url: str) -> str:
    driver.get(url + "posts/order/")
    pdf = driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True})
    reader = PdfReader(io.BytesIO(base64.b64decode(pdf["data"])))
    label = "".join(f"{HANDBOOK.meta.title}·版本{HANDBOOK.meta.version}".split())
    # NFKC: the PDF's text layer has some characters as their Kangxi radicals (⼯ for 工).
    first = "".join(unicodedata.normalize("NFKC", reader.pages[0].extract_text()).split())
    return f"yes ({len(reader.pages)} A4 pages)" if label in first else "no (no margin label)"


def offline(driver, site: Path) -> str:
    index = (site / "index.html").as_uri()
    own = engine_search(driver, index, FULL_TEXT_QUERY)
    answers = answer_search(driver, index)
    if answers != "yes" or own is not None:
        return f"answers {answers}; own search: {FULL_TEXT_QUERY} {own}"
    try:
        driver.find_element(By.CSS_SELECTOR, ".hb-answers__fulltext").click()
        test_browser.wait(driver).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
        )
    except Exception as error:  # noqa: BLE001
        return f"answers yes, full text no ({type(error).__name__})"
    return "yes (answers and full text from file://)"


def shoot(driver, url: str, name: str, folder: Path) -> None:
    for path, page in (("", "home"), ("posts/customer-service/", "post")):
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        driver.set_window_size(1280, 900)
        driver.get(url + path)
        driver.save_screenshot(str(folder / f"{name}-{page}-1280.png"))
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
        )
        driver.get(url + path)
        driver.save_screenshot(str(folder / f"{name}-{page}-390.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(390, 844)


def measure(driver, name: str, site: Path, offline_site: Path, shots: Path | None) -> dict:
    with serving(site) as url:
        if shots:
            shoot(driver, url, name, shots)
        return {
            "pages": count_pages(site),
            "navigation": count_nav(driver, url),
            "answer search": answer_search(driver, url),
            "Chinese full-text search": full_text_search(driver, url),
            "diagrams": diagrams(driver, url),
            "print": printed(driver, url),
            "offline copy": offline(driver, offline_site),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, help="save 1280×900 and 390×844 shots here")
    args = parser.parse_args()
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="engine-support-"))
    try:
        online = export_site(CONFIG, work / "export")
        offline_export = export_site(CONFIG, work / "export-offline", offline=True)
        commands = {
            "ProperDocs": [str(engine("properdocs") / "properdocs"), "build", "-f", "mkdocs.yml"],
            "Zensical": [str(engine("zensical") / "zensical"), "build"],
        }
        plugin = build_site(CONFIG, site_dir=work / "mkdocs", offline=True)
        with zipfile.ZipFile(plugin / pages.OFFLINE_ZIP) as archive:
            archive.extractall(work / "mkdocs-offline")
        sites = {"MkDocs + plugin": (plugin, work / "mkdocs-offline" / "handbook-offline")}
        for name, command in commands.items():
            key = name.lower()
            sites[name] = (
                build_export(online, command, work / key),
                build_export(offline_export, command, work / f"{key}-offline"),
            )
        driver = browser()
        try:
            results = {
                name: measure(driver, name.split()[0].lower(), *built, args.screenshots)
                for name, built in sites.items()
            }
        finally:
            driver.quit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    names = list(results)
    print("| | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for row in ROWS:
        print(f"| {row} | " + " | ".join(results[name][row] for name in names) + " |")


if __name__ == "__main__":
    main()
