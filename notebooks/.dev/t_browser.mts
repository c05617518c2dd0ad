import { launchBrowser } from "../../test/notebooks/browser.js";
const b = await launchBrowser();
for (const f of ["/tmp/nbdev/out/tearsheet.html", "/tmp/nbdev/fake.html"]) {
  const rep = await b.open(f, async (page) => {
    console.log(await page.title(), await page.locator("section.sa-chart").count(), await page.locator('svg[class^="plot-"]').count(), await page.locator('img[src^="data:image/svg+xml"]').count());
    await page.screenshot({ path: f.replace(/html$/, "png"), fullPage: true });
  });
  console.log(f, JSON.stringify(rep));
}
await b.close();
