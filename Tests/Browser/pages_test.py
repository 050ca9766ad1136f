"""finsamd's pages in a real browser (headless Chromium through selenium), with axe-core on every page.

Run by scripts/browser-test against the demo county: FINSAM_BASE_URL is the daemon, FINSAM_OWNER_DATABASE_URL the
database (read with psql to check what a page did), FINSAM_SCREENSHOTS a folder for the screenshots (optional).
Expected values come from the demo's people and roles (DemoFunding.swift), not from the pages.
"""
import base64
import json
import os
import subprocess
import unittest
import urllib.error
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["FINSAM_BASE_URL"]
SHOTS = os.environ.get("FINSAM_SCREENSHOTS")
OWNER_URL = os.environ["FINSAM_OWNER_DATABASE_URL"]
ECONOMY_TOKEN = os.environ["FINSAM_ECONOMY_TOKEN"]


def browser(width=1280, height=900, phone=False):
    """Chromium at a desktop's size, or as a phone 375 px wide (a window cannot be made that narrow: emulated)."""
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"):
        options.add_argument(argument)
    if phone:
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 375, "height": 812, "pixelRatio": 2}})
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"), options=options)


def sql(query):
    return subprocess.run(["psql", OWNER_URL, "-Atc", query], check=True, capture_output=True, text=True).stdout.strip()


def submit(federation, numbers):
    """The economy office sends disbursements for approval, through the API."""
    request = urllib.request.Request(f"{BASE}/api/v1/federations/{federation}/disbursements/submit",
        data=json.dumps({"numbers": numbers}).encode(),
        headers={"Authorization": f"Bearer {ECONOMY_TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200, answer.status


def disbursement_state(number):
    """Norra Älvmark's disbursement: its state, and its last step's actor and comment, as the database holds them."""
    return sql(f"""
        SELECT d.state || '|' || t.actor || '|' || coalesce(t.comment, '')
        FROM disbursement d JOIN federation f USING (federation_id)
        JOIN LATERAL (SELECT * FROM disbursement_transition x WHERE x.federation_id = d.federation_id
                      AND x.disbursement_id = d.disbursement_id ORDER BY x.sequence DESC LIMIT 1) t ON true
        WHERE f.code = 'norralv' AND d.number = {number}""")


class PagesTest(unittest.TestCase):
    def setUp(self):
        self.driver = browser()

    def tearDown(self):
        self.driver.quit()

    def accessible(self, name):
        """axe-core on the page as it stands: nothing serious or critical; and a screenshot when asked for."""
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        self.assertEqual(serious, [], f"{name}: {[(v['id'], v['help'], [n['target'] for n in v['nodes']]) for v in serious]}")
        if SHOTS:
            # The whole page, not only what the window shows.
            size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
            shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
            with open(os.path.join(SHOTS, f"{name}.png"), "wb") as file:
                file.write(base64.b64decode(shot["data"]))

    def sign_in(self, user, password="demo"):
        self.driver.get(BASE + "/logga-in")
        self.driver.find_element(By.ID, "user").send_keys(user)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.submit("form button[type=submit]")

    def submit(self, selector, by=By.CSS_SELECTOR):
        """Clicks a form's button (or a link) and waits for the page it leads to (the old page's element goes stale)."""
        element = self.driver.find_element(by, selector)
        element.click()

        def gone(driver):
            try:
                element.is_enabled()
                return False
            except StaleElementReferenceException:
                return driver.execute_script("return document.readyState") == "complete"
            except WebDriverException:
                return False  # between the two pages; ask again

        WebDriverWait(self.driver, 10).until(gone)

    def test_sign_in_shows_the_directors_federations_and_nothing_of_another(self):
        self.driver.get(BASE + "/")
        # Not signed in: the start page sends the browser to the sign-in page.
        self.assertTrue(self.driver.current_url.endswith("/logga-in"))
        self.assertIn("lösenordet demo", self.driver.find_element(By.CLASS_NAME, "note").text)
        self.accessible("logga-in")

        self.sign_in("anna.dahl", "fel")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "[role=alert]").text, "Fel användare eller lösenord.")
        self.accessible("logga-in-fel")

        self.sign_in("anna.dahl")
        self.assertEqual(self.driver.current_url, BASE + "/")
        # Anna Dahl directs Norra and Mellersta Älvmark (DemoFunding), not Södra.
        headings = [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "section.federation h2")]
        self.assertEqual(sorted(headings), ["Samordningsförbundet Mellersta Älvmark", "Samordningsförbundet Norra Älvmark"])
        self.assertNotIn("Södra", self.driver.page_source)
        self.accessible("start")

        # Signing out ends the session in the database, and the start page is closed again.
        sessions_before = int(sql("SELECT count(*) FROM user_session WHERE user_code = 'anna.dahl' AND ended_at IS NULL"))
        self.submit("form[action='/logga-ut'] button")
        self.assertTrue(self.driver.current_url.endswith("/logga-in"))
        sessions_after = int(sql("SELECT count(*) FROM user_session WHERE user_code = 'anna.dahl' AND ended_at IS NULL"))
        self.assertEqual(sessions_after, sessions_before - 1)
        self.driver.get(BASE + "/")
        self.assertTrue(self.driver.current_url.endswith("/logga-in"))

    def test_a_director_approves_from_her_queue_and_the_database_records_it(self):
        # Norra Älvmark's no. 10 was returned in the demo; the economy office sends it again.
        submit("norralv", [10])
        self.sign_in("anna.dahl")
        self.submit("a[href='/f/norralv/attest']")
        numbers = [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody td:first-child a")]
        self.assertIn("10", numbers)
        self.accessible("attest-ko")
        self.submit("10", by=By.LINK_TEXT)
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Utbetalning 10")
        self.accessible("utbetalning")
        self.submit("form[action$='/10/attestera'] button")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text, "Du har attesterat utbetalningen.")
        # 150 000 kr is within the delegation limit: approved by her alone (DemoFunding).
        self.assertEqual(disbursement_state(10), "approved|anna.dahl|")
        self.assertEqual(sql("""SELECT a.role || '|' || a.approved_by FROM disbursement_approval a JOIN disbursement d USING (federation_id, disbursement_id)
            JOIN federation f USING (federation_id) WHERE f.code = 'norralv' AND d.number = 10 AND a.submission = d.submission"""),
            "director|anna.dahl")
        # No buttons once it is done, and the queue no longer lists it.
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form[action$='/10/attestera']"), [])
        self.driver.get(BASE + "/f/norralv/attest")
        self.assertNotIn("10", [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody td:first-child a")])

    def test_a_director_returns_a_disbursement_with_a_comment(self):
        # No. 11 is a draft in the demo; the economy office sends it.
        submit("norralv", [11])
        self.sign_in("anna.dahl")
        self.driver.get(BASE + "/f/norralv/utbetalningar/11")
        self.driver.find_element(By.ID, "return-comment").send_keys("Fel månader: se beslutet från maj")
        self.submit("form[action$='/11/aterstand'] button")
        self.assertIn("återsänd", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.assertEqual(disbursement_state(11), "returned|anna.dahl|Fel månader: se beslutet från maj")
        self.accessible("utbetalning-atersand")

    def test_a_board_member_reads_but_cannot_approve(self):
        self.sign_in("siv.berg")
        self.driver.get(BASE + "/f/norralv/utbetalningar/9")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Utbetalning 9")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form[action$='/attestera']"), [])
        self.driver.get(BASE + "/f/norralv/attest")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"), [])

    def test_another_federations_pages_stay_closed_when_the_address_is_edited(self):
        # Karl Sund directs Södra Älvmark only.
        self.sign_in("karl.sund")
        for path in ("/f/norralv/attest", "/f/norralv/utbetalningar/9"):
            self.driver.get(BASE + path)
            self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Det får du inte", path)
            self.assertNotIn("Dalby", self.driver.page_source)

    def test_the_start_page_fits_a_phone(self):
        self.driver.quit()
        self.driver = browser(phone=True)
        self.sign_in("karl.sund")
        headings = [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "section.federation h2")]
        self.assertEqual(headings, ["Samordningsförbundet Södra Älvmark"])
        # Nothing wider than the screen.
        self.assertLessEqual(self.driver.execute_script("return document.documentElement.scrollWidth"), 375)
        self.accessible("start-telefon")

    def test_a_disbursement_fits_a_phone(self):
        self.driver.quit()
        self.driver = browser(phone=True)
        self.sign_in("anna.dahl")
        self.driver.get(BASE + "/f/norralv/utbetalningar/9")
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Utbetalning 9")
        # Above the delegation limit (DemoFunding): the page says the chair approves too.
        self.assertIn("ordföranden attesterar också", self.driver.page_source)
        self.assertLessEqual(self.driver.execute_script("return document.documentElement.scrollWidth"), 375)
        self.accessible("utbetalning-telefon")

    def test_every_page_refuses_frames_and_other_sites_scripts(self):
        with urllib.request.urlopen(BASE + "/logga-in") as answer:
            policy = answer.headers["Content-Security-Policy"]
            self.assertIn("frame-ancestors 'none'", policy)
            self.assertIn("default-src 'none'", policy)
            self.assertNotIn("script-src", policy)
            self.assertEqual(answer.headers["X-Frame-Options"], "DENY")

    def test_a_sign_in_posted_from_another_site_is_refused(self):
        request = urllib.request.Request(BASE + "/logga-in", data=b"user=anna.dahl&password=demo",
            headers={"Origin": "https://elak.example", "Content-Type": "application/x-www-form-urlencoded"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request)
        self.assertEqual(refused.exception.code, 403)
        self.assertIsNone(refused.exception.headers.get("Set-Cookie"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
