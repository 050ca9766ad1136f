"""finsamd's pages in a real browser (headless Chromium through selenium), with axe-core on every page.

Run by scripts/browser-test against the demo county: FINSAM_BASE_URL is the daemon, FINSAM_OWNER_DATABASE_URL the
database (read with psql to check what a page did), FINSAM_SCREENSHOTS a folder for the screenshots (optional).
Expected values come from the demo's people and roles (DemoFunding.swift), not from the pages.
"""
import os
import subprocess
import unittest
import urllib.error
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["FINSAM_BASE_URL"]
SHOTS = os.environ.get("FINSAM_SCREENSHOTS")
OWNER_URL = os.environ["FINSAM_OWNER_DATABASE_URL"]


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
            self.driver.save_screenshot(os.path.join(SHOTS, f"{name}.png"))

    def sign_in(self, user, password="demo"):
        self.driver.get(BASE + "/logga-in")
        self.driver.find_element(By.ID, "user").send_keys(user)
        self.driver.find_element(By.ID, "password").send_keys(password)
        self.driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        # The next page: the start page, or the sign-in page again with its error.
        WebDriverWait(self.driver, 10).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]") or d.find_elements(By.CSS_SELECTOR, "main h1:not(:empty)")
            and not d.current_url.endswith("/logga-in"))

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
        self.driver.find_element(By.CSS_SELECTOR, "form[action='/logga-ut'] button").click()
        self.assertTrue(self.driver.current_url.endswith("/logga-in"))
        sessions_after = int(sql("SELECT count(*) FROM user_session WHERE user_code = 'anna.dahl' AND ended_at IS NULL"))
        self.assertEqual(sessions_after, sessions_before - 1)
        self.driver.get(BASE + "/")
        self.assertTrue(self.driver.current_url.endswith("/logga-in"))

    def test_the_start_page_fits_a_phone(self):
        self.driver.quit()
        self.driver = browser(phone=True)
        self.sign_in("karl.sund")
        headings = [h.text for h in self.driver.find_elements(By.CSS_SELECTOR, "section.federation h2")]
        self.assertEqual(headings, ["Samordningsförbundet Södra Älvmark"])
        # Nothing wider than the screen.
        self.assertLessEqual(self.driver.execute_script("return document.documentElement.scrollWidth"), 375)
        self.accessible("start-telefon")

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
