"""finsamd's pages in a real browser (headless Chromium through selenium), with axe-core on every page.

Run by scripts/browser-test against the demo county: FINSAM_BASE_URL is the daemon, FINSAM_OWNER_DATABASE_URL the
database (read with psql to check what a page did), FINSAM_SCREENSHOTS a folder for the screenshots (optional).
Expected values come from the demo's people and roles (DemoFunding.swift), not from the pages.
"""
import base64
import datetime
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

from bgmax import bgmax

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


def whole_kronor(ore):
    """Öre as a page shows whole kronor: rounded half away from zero, grouped by thousands, a true minus sign."""
    kronor = (abs(ore) + 50) // 100
    grouped = f"{kronor:,}".replace(",", " ")
    return ("−" if ore < 0 and kronor else "") + grouped


def kronor_and_ore(ore):
    """Öre as kronor with öre: 512 500,00."""
    grouped = f"{abs(ore) // 100:,}".replace(",", " ")
    return ("−" if ore < 0 else "") + f"{grouped},{abs(ore) % 100:02d}"


def today():
    """The date in Sweden, as the daemon takes it."""
    return sql("SELECT (now() AT TIME ZONE 'Europe/Stockholm')::date")


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

    def fetch(self, path):
        """The address as the signed-in browser would fetch it (a download): its headers and its bytes."""
        cookie = self.driver.get_cookie("finsam_session")["value"]
        request = urllib.request.Request(BASE + path, headers={"Cookie": f"finsam_session={cookie}"})
        with urllib.request.urlopen(request) as answer:
            return answer.headers, answer.read()

    def cell(self, row_label, column):
        """A report table's cell: the row whose heading is `row_label`, the `column`th number after it (from 1)."""
        row = self.driver.find_element(By.XPATH, f"//table[contains(@class,'report')]//tr[th[normalize-space()='{row_label}']]")
        return row.find_elements(By.TAG_NAME, "td")[column - 1].text

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

    def test_a_board_member_reads_the_income_statement_and_cannot_reach_an_approval(self):
        self.sign_in("siv.berg")
        self.submit("Samordningsförbundet Norra Älvmark", by=By.LINK_TEXT)
        # A board member's federation page offers reports and no work: no queue, nothing to approve.
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "a[href='/f/norralv/attest']"), [])
        self.assertEqual(self.driver.find_elements(By.ID, "work"), [])
        self.accessible("forbund-styrelse")
        self.submit("Resultaträkning", by=By.LINK_TEXT)
        year = int(today()[:4])
        self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, f"Resultaträkning {year}")
        # The year's result so far, from the ledger itself: every line on the accounts of the income statement
        # (3000–8999) dated this year up to today, credit positive.
        result = int(sql(f"""SELECT -coalesce(sum(l.amount_ore), 0) FROM voucher_line l JOIN voucher v USING (federation_id, voucher_id)
            JOIN federation f USING (federation_id) WHERE f.code = 'norralv' AND v.fiscal_year = {year}
            AND v.voucher_date <= (now() AT TIME ZONE 'Europe/Stockholm')::date AND l.account_number BETWEEN 3000 AND 8999"""))
        self.assertEqual(self.cell("Årets resultat", 3), whole_kronor(result))
        # Budget, actual and forecast drawn per line, with a title for screen readers.
        chart = self.driver.find_element(By.CSS_SELECTOR, "svg.chart[role=img][aria-labelledby^='chart-costs']")
        self.assertEqual(len(chart.find_elements(By.CSS_SELECTOR, "rect.chart-series-2")) > 1, True)
        self.assertIn("Kostnader", chart.find_element(By.TAG_NAME, "title").get_attribute("textContent"))
        self.accessible("resultatrakning")
        # Its CSV, as the link downloads it.
        headers, body = self.fetch(self.driver.find_element(By.LINK_TEXT, "Hämta som CSV").get_attribute("href").replace(BASE, ""))
        self.assertTrue(headers["Content-Type"].startswith("text/csv"), headers["Content-Type"])
        plain = f"{'-' if result < 0 else ''}{abs(result) // 100}.{abs(result) % 100:02d}"
        self.assertIn("Årets resultat", body.decode("utf-8"))
        self.assertIn(plain, body.decode("utf-8"))
        # Printed, the form and the links are left out.
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.assertFalse(self.driver.find_element(By.CSS_SELECTOR, "form.params").is_displayed())
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        # An approval cannot be reached: no buttons on a submitted disbursement, and a forged form is refused.
        self.driver.get(BASE + "/f/norralv/utbetalningar/9")
        self.assertEqual(self.driver.find_elements(By.CSS_SELECTOR, "form[action$='/attestera']"), [])
        csrf = self.driver.find_element(By.CSS_SELECTOR, "form[action='/logga-ut'] input[name=csrf]").get_attribute("value")
        cookie = self.driver.get_cookie("finsam_session")["value"]
        forged = urllib.request.Request(BASE + "/f/norralv/utbetalningar/9/attestera", data=f"csrf={csrf}".encode(),
            headers={"Cookie": f"finsam_session={cookie}", "Content-Type": "application/x-www-form-urlencoded"})
        with self.assertRaises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forged)
        self.assertEqual(refused.exception.code, 403)
        self.assertEqual(disbursement_state(9).split("|")[0], "submitted")

    def test_every_report_reads_as_a_page(self):
        self.sign_in("revisor")
        reports = {
            "/f/norralv/rapporter/balansrakning": ("balansrakning", "Balansräkning"),
            "/f/norralv/rapporter/kostnadsfordelning": ("kostnadsfordelning", "Kostnadsfördelning"),
            "/f/norralv/rapporter/beslut": ("beslutstabell", "Beslutstabell"),
            "/f/norralv/rapporter/ataganden": ("ataganden", "Åtaganden"),
            "/f/norralv/rapporter/medlemsbidrag": ("medlemsbidrag", "Medlemsbidrag"),
            "/f/norralv/rapporter/oppna-poster": ("kundreskontra", "Kundreskontra"),
            "/f/norralv/medlemmar/ankeby/kontoutdrag": ("kontoutdrag", "Kontoutdrag Ankeby kommun"),
            "/f/norralv/rapporter/avstamning": ("avstamning", "Avstämning"),
            "/f/norralv/rapporter/handelselogg": ("handelselogg", "Händelselogg"),
        }
        for path, (name, heading) in reports.items():
            self.driver.get(BASE + path)
            self.assertTrue(self.driver.find_element(By.TAG_NAME, "h1").text.startswith(heading), path)
            self.accessible(name)
        # The balance sheet balances: its two totals are the same, at both dates.
        self.driver.get(BASE + "/f/norralv/rapporter/balansrakning")
        for column in (1, 2):
            self.assertEqual(self.cell("Summa tillgångar", column), self.cell("Summa eget kapital och skulder", column))
        # The cost distribution's shares add up to 100,0 %, and its chart has one bar per category.
        self.driver.get(BASE + "/f/norralv/rapporter/kostnadsfordelning")
        self.assertEqual(self.cell("Summa", 2), "100,0 %")
        rows = len(self.driver.find_elements(By.CSS_SELECTOR, "table.report tbody tr.item"))
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "svg.chart rect.chart-series-0")), rows + 1)  # and the legend's

    def test_the_economy_office_reads_a_bank_file_and_matches_the_waiting_payment(self):
        # Norra Älvmark's unpaid invoice in the demo and what is left of it, from the database.
        year, number, left = sql("""SELECT i.fiscal_year || '|' || i.number || '|' || (i.total_ore - coalesce(sum(p.amount_ore), 0))
            FROM invoice i JOIN federation f USING (federation_id)
            LEFT JOIN invoice_payment p ON p.federation_id = i.federation_id AND p.invoice_id = i.invoice_id
            WHERE f.code = 'norralv' GROUP BY i.federation_id, i.invoice_id HAVING i.total_ore > coalesce(sum(p.amount_ore), 0)
            ORDER BY i.fiscal_year DESC, i.number DESC LIMIT 1""").split("|")
        bankgiro = sql("SELECT replace(bankgiro, '-', '') FROM federation WHERE code = 'norralv'")
        # The member paid it with a reference that names no invoice: the payment waits for the economy office.
        path = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"bgmax-browser-test-{os.getpid()}.txt")
        with open(path, "wb") as file:
            file.write(bgmax(bankgiro, today().replace("-", ""), 4711, [("999999999", int(left))]))
        self.sign_in("lena.lind")
        self.submit("Samordningsförbundet Norra Älvmark", by=By.LINK_TEXT)
        self.accessible("forbund-ekonom")
        self.submit("a[href='/f/norralv/bank']")
        self.driver.find_element(By.ID, "bank-file").send_keys(path)
        self.submit("form[action$='/bank/fil'] button")
        self.assertIn("1 väntar på avstämning", self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text)
        self.accessible("bank")
        payment = sql("""SELECT b.bank_payment_id FROM bank_payment b JOIN federation f USING (federation_id)
            WHERE f.code = 'norralv' AND b.reference = '999999999' AND b.unmatched_reason IS NOT NULL""")
        card = self.driver.find_element(By.ID, f"payment-{payment}").find_element(By.XPATH, "..")
        self.assertIn(kronor_and_ore(int(left)), card.text)
        card.find_element(By.ID, f"invoice-{payment}-1").send_keys(f"{year}-{number}")
        self.submit(f"form[action$='/bank/{payment}/koppla'] button")
        self.assertEqual(self.driver.find_element(By.CSS_SELECTOR, "[role=status]").text,
            f"Betalningen är kopplad till faktura {year}-{number} och bokförd.")
        # The database: the payment is allocated and the invoice paid in full.
        self.assertEqual(sql(f"SELECT unmatched_reason IS NULL FROM bank_payment WHERE bank_payment_id = {payment}"), "t")
        self.assertEqual(sql(f"""SELECT sum(p.amount_ore) FROM invoice_payment p JOIN invoice i USING (federation_id, invoice_id)
            JOIN federation f USING (federation_id) WHERE f.code = 'norralv' AND i.fiscal_year = {year} AND i.number = {number}"""),
            sql(f"""SELECT i.total_ore FROM invoice i JOIN federation f USING (federation_id)
            WHERE f.code = 'norralv' AND i.fiscal_year = {year} AND i.number = {number}"""))
        self.assertEqual(self.driver.find_elements(By.ID, f"payment-{payment}"), [])
        self.accessible("bank-avstamd")

    def test_the_economy_office_pays_an_approved_disbursement_and_downloads_the_payment_file(self):
        # No. 8 of Norra Älvmark is approved in the demo (DemoFunding).
        amount = int(sql("""SELECT d.amount_ore FROM disbursement d JOIN federation f USING (federation_id)
            WHERE f.code = 'norralv' AND d.number = 8 AND d.state = 'approved'"""))
        self.sign_in("lena.lind")
        self.driver.get(BASE + "/f/norralv/utbetalningar")
        self.accessible("utbetalningar")
        self.driver.find_element(By.ID, "pay-8").click()
        self.submit("form[action$='/utbetalningar/betala'] button")
        self.assertTrue(self.driver.find_element(By.TAG_NAME, "h1").text.startswith("Utbetalningsomgång"))
        self.accessible("utbetalningsomgang")
        self.assertEqual(disbursement_state(8).split("|")[0], "paid")
        headers, body = self.fetch(self.driver.find_element(By.PARTIAL_LINK_TEXT, "pain.001").get_attribute("href").replace(BASE, ""))
        self.assertTrue(headers["Content-Type"].startswith("application/xml"))
        self.assertIn(f'<InstdAmt Ccy="SEK">{amount // 100}.{amount % 100:02d}</InstdAmt>', body.decode("utf-8"))

    def test_the_economy_office_previews_an_invoice_run_and_reads_its_invoices(self):
        self.sign_in("lena.lind")
        self.driver.get(BASE + "/f/norralv/fakturering")
        self.accessible("fakturering")
        year = int(today()[:4])
        # This year is invoiced in full in the demo: the preview finds nothing new and saves nothing.
        invoices_before = sql("SELECT count(*) FROM invoice")
        self.driver.find_element(By.ID, "period").send_keys(str(year))
        self.submit("button[value=forhandsgranska]")
        self.assertIn("Inget nytt att fakturera", self.driver.page_source)
        self.assertEqual(sql("SELECT count(*) FROM invoice"), invoices_before)
        self.accessible("fakturering-forhandsgranskning")
        self.driver.get(BASE + "/f/norralv/fakturor")
        self.accessible("fakturor")
        count = int(sql(f"SELECT count(*) FROM invoice i JOIN federation f USING (federation_id) WHERE f.code = 'norralv' AND i.fiscal_year = {year}"))
        self.assertEqual(len(self.driver.find_elements(By.CSS_SELECTOR, "table.report tbody tr.item")), count)
        self.submit(f"{year}-1", by=By.LINK_TEXT)
        self.assertIn("OCR", self.driver.page_source)
        self.accessible("faktura")
        self.driver.get(BASE + "/f/norralv/perioder")
        self.accessible("perioder")

    def test_another_federations_pages_stay_closed_when_the_address_is_edited(self):
        # Karl Sund directs Södra Älvmark only.
        self.sign_in("karl.sund")
        for path in ("/f/norralv/attest", "/f/norralv/utbetalningar/9", "/f/norralv", "/f/norralv/rapporter/resultatrakning",
                     "/f/norralv/bank", "/f/norralv/fakturor", "/f/norralv/medlemmar/dalby/kontoutdrag"):
            self.driver.get(BASE + path)
            self.assertEqual(self.driver.find_element(By.TAG_NAME, "h1").text, "Det får du inte", path)
            self.assertNotIn("Dalby", self.driver.page_source)
        self.accessible("det-far-du-inte")

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
