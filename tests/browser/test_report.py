"""The quality report in a real browser (the `browser` layer of make test).

scripts/test.sh writes mdm.quality_report_html of the demo sample (registered,
deduplicated, two snapshots) to target/quality-report.html; this test opens it
in headless Chromium (chromium-driver, --headless --no-sandbox --disable-gpu),
checks that every chart rendered with a non-zero size and that the console
shows no error, and saves a screenshot to target/quality-report.png.
"""
import os
import unittest

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORT = os.path.join(ROOT, "target", "quality-report.html")
SHOT = os.path.join(ROOT, "target", "quality-report.png")


class QualityReportInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        opts = webdriver.ChromeOptions()
        for a in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,2400"):
            opts.add_argument(a)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        cls.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
        cls.driver.get("file://" + REPORT)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()

    def test_every_chart_rendered_with_a_size(self):
        sizes = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.chart svg')).map("
            "s => { const r = s.getBoundingClientRect(); return [s.closest('figure').className, r.width, r.height]; });")
        self.assertGreaterEqual(len(sizes), 6, sizes)
        for name, w, h in sizes:
            self.assertGreater(w, 0, name)
            self.assertGreater(h, 0, name)

    def test_bars_have_a_size(self):
        bars = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('figure.chart rect')).map("
            "r => { const b = r.getBoundingClientRect(); return [b.width, b.height]; });")
        self.assertGreater(len(bars), 10)
        self.assertTrue(all(w > 0 and h > 0 for w, h in bars), bars)

    def test_no_console_errors(self):
        errors = [e for e in self.driver.get_log("browser") if e.get("level") == "SEVERE"]
        self.assertEqual(errors, [])

    def test_escaped_values_show_as_text(self):
        self.assertEqual(self.driver.execute_script("return document.scripts.length;"), 0)
        self.assertIn("<script>alert(1)</script>", self.driver.find_element("tag name", "body").text)

    def test_screenshot(self):
        self.assertTrue(self.driver.save_screenshot(SHOT))
        self.assertGreater(os.path.getsize(SHOT), 10_000)


if __name__ == "__main__":
    unittest.main()
