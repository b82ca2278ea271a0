"""Debian's Chromium driven by Selenium for the staff pages' browser tests (issue 21, Deliver 7).

Nothing is downloaded at run time: the browser is /usr/bin/chromium and the driver /usr/bin/chromedriver
(Debian's chromium and chromium-driver, installed by tools/system-deps.sh), named explicitly, and Selenium
Manager is told to stay offline (``SE_OFFLINE``), so a missing binary is an error here, never a download.
Headless (``--headless=new``) and, as root (CI), ``--no-sandbox``. Downloads land in ``downloads``."""
from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def missing() -> str:
    """Why the browser tests cannot run here ("" when they can)."""
    for binary, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not binary.exists():
            return f"{binary} is missing: apt-get install {package} (tools/system-deps.sh)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed: pip install -e '.[test]'"
    return ""


def driver(downloads: Path, width: int = 1280, height: int = 1000):
    """A headless Chromium session; the caller quits it."""
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never fetch a browser or a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                "--lang=zh-CN", "--no-first-run", "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium's sandbox refuses to run as root
    downloads.mkdir(parents=True, exist_ok=True)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False,
                                              "intl.accept_languages": "zh-CN,zh,en"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=os.devnull)
    return webdriver.Chrome(options=options, service=service)


def wait_for_file(browser, folder: Path, suffix: str, timeout_s: float = 10.0) -> Path:
    """The downloaded file once Chromium has finished writing it (no .crdownload left): Selenium's own
    explicit wait polls the condition, as it does for the page."""
    from selenium.webdriver.support.ui import WebDriverWait

    def done(_driver) -> Path | bool:
        names = list(folder.iterdir())
        found = [p for p in names if p.name.endswith(suffix)]
        return found[0] if found and not any(p.name.endswith(".crdownload") for p in names) else False

    return WebDriverWait(browser, timeout_s, poll_frequency=0.05).until(
        done, f"no {suffix} file in {folder} after {timeout_s} s")
