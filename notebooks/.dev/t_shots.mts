import { launchBrowser } from "../../test/notebooks/browser.js";
const b = await launchBrowser();
for (const n of ["01_getting_started", "02_signal_development", "03_risk_analysis", "05_polyglot"]) {
  const f = `/tmp/nbdev/review/${n}.html`;
  const rep = await b.open(f, async (page) => { await page.screenshot({ path: f.replace(/html$/, "png"), fullPage: true }); });
  console.log(n, JSON.stringify(rep));
}
await b.close();
