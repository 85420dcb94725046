"""The web console in a real browser: Debian's chromium and chromium-driver, driven by Selenium, against a running
`lakegate serve`. Screenshots are saved under the test's tmp directory (artifacts/)."""

import select
import shutil
import subprocess
import time

import pytest
import requests

from conftest import Emulator
from test_controller import Lifecycle, binary


@pytest.fixture()
def served(tmp_path):
    emulator = Emulator()
    lifecycle = Lifecycle(tmp_path, emulator)
    lifecycle.release("v1.0.0")
    lifecycle.once()
    lifecycle.once()
    # v1.1.0 changes the catalog's comment (with markup, which the console must escape): qa applies it, and prod
    # waits for its approval with the plan of what approving it would change.
    storage = tmp_path / "team" / "resources" / "storage.yml"
    storage.write_text(storage.read_text().replace(
        "comment: Customer 360 data product (${bundle.target})",
        "comment: Customer 360 <script>alert(1)</script> (${bundle.target})"))
    lifecycle.git("commit", "-q", "-am", "Retitle the catalog", "-m", "Change-Request: CHG-2")
    lifecycle.git("push", "-q", "origin", "main")
    lifecycle.release("v1.1.0")
    lifecycle.once()
    statuses = lifecycle.once()
    assert statuses["qa"]["deployedRelease"] == "v1.1.0", statuses
    assert statuses["prod"]["outcome"] == "waiting", statuses
    config = tmp_path / "lakegate.yaml"
    config.write_text(config.read_text().replace("poll: {interval: 1s, jitter: 0s}",
                                                 "poll: {interval: 1h, jitter: 0s}\napi: {tokenEnv: API_TOKEN}"))
    server = subprocess.Popen(
        [binary("lakegate"), "serve", "--config", str(config), "--listen", "127.0.0.1:0"],
        env=dict(lifecycle.env, API_TOKEN="console-t0ken"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([server.stdout], [], [], 60)
        url = server.stdout.readline().strip() if ready else ""
        assert url.startswith("http://"), server.stderr.read()
        deadline = time.time() + 60
        while requests.get(url + "/readyz", timeout=10).status_code != 200:
            assert time.time() < deadline
            time.sleep(0.2)
        yield url, tmp_path
    finally:
        server.terminate()
        server.wait(timeout=30)
        emulator.stop()


def test_the_console_needs_the_token(served):
    url, _ = served
    assert requests.get(url + "/console", timeout=10).status_code == 401
    assert requests.get(url + "/console", auth=("x", "wrong"), timeout=10).status_code == 401
    page = requests.get(url + "/console", auth=("x", "console-t0ken"), timeout=10)
    assert page.status_code == 200 and "<script" not in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.skipif(shutil.which("chromedriver") is None, reason="chromium-driver is not installed (make apt-deps)")
def test_the_console_in_a_browser(served):
    from selenium import webdriver
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, tmp = served
    artifacts = tmp / "artifacts"
    artifacts.mkdir()
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        base = url.replace("http://", "http://reader:console-t0ken@")
        driver.get(base + "/console")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Overview"
        assert driver.find_element(By.CLASS_NAME, "who").text == "API token"
        matrix = driver.find_element(By.CSS_SELECTOR, "table caption").text
        assert "per product and environment" in matrix
        cells = driver.find_element(By.TAG_NAME, "tbody").text
        assert "customer-360" in cells and "v1.1.0" in cells
        approvals = driver.find_element(By.ID, "approvals-h").find_element(By.XPATH, "..").text
        assert "lakegate approve v1.1.0 --target prod --product customer-360 --push" in approvals
        driver.save_screenshot(str(artifacts / "overview.png"))
        # Keyboard: the first Tab reaches the skip link.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        assert driver.switch_to.active_element.text == "Skip to content"

        driver.find_element(By.LINK_TEXT, "customer-360").click()
        assert driver.find_element(By.TAG_NAME, "h1").text == "customer-360"
        assert "Release timeline" in driver.page_source and "quorum" in driver.page_source
        assert driver.find_elements(By.TAG_NAME, "script") == []  # the comment's markup is text, never an element
        # qa: the applied plan of v1.1.0, field by field, old -> new, with each action's result.
        qa = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='env-qa']")
        assert "Last plan in qa" in qa.text and "v1.1.0" in qa.text
        diff = qa.find_element(By.CSS_SELECTOR, "table.plan")
        assert "~ catalog catalogs.c360 (c360_qa) will be updated in place" in diff.text
        assert "result: succeeded" in diff.text
        row = [r for r in diff.find_elements(By.TAG_NAME, "tr") if r.text.startswith("comment")][0]
        cells = [c.text for c in row.find_elements(By.TAG_NAME, "td")]
        assert cells == ["comment", '"Customer 360 data product (qa)"',
                         '"Customer 360 <script>alert(1)</script> (qa)"'], cells
        # prod: the plan waiting for its approval (everything is created there), and the text `lakegate plan` prints.
        prod = driver.find_element(By.CSS_SELECTOR, "section[aria-labelledby='env-prod']")
        assert "Last plan in prod" in prod.text and "waiting" in prod.text
        assert "+ catalog catalogs.c360 (c360_prod) will be created" in prod.text
        details = prod.find_element(By.TAG_NAME, "details")
        details.find_element(By.TAG_NAME, "summary").click()  # opens without JavaScript
        assert "Plan: " in details.find_element(By.TAG_NAME, "pre").text
        driver.execute_script("arguments[0].scrollIntoView()", diff)
        driver.save_screenshot(str(artifacts / "product.png"))

        driver.find_element(By.LINK_TEXT, "Audit log").click()
        assert driver.find_element(By.CSS_SELECTOR, "#verify-h + p .badge").text == "intact"
        driver.save_screenshot(str(artifacts / "audit.png"))

        driver.set_window_size(390, 844)  # a phone
        driver.get(base + "/console")
        driver.save_screenshot(str(artifacts / "overview-phone.png"))
        width = driver.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, width  # wide tables scroll inside their region, not the page
    finally:
        driver.quit()
    assert len(list(artifacts.glob("*.png"))) == 4
