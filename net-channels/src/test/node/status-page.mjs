// Opens a node's status page in a real headless Chromium (Debian's, driven by playwright-core)
// and checks that it shows a channel and refreshes by itself. Run by StatusPageBrowserTest:
//   node status-page.mjs <chromium> <page url> <channel>
// Prints "LOADED <sent>" once the channel's row shows, then waits for its sent count to grow
// (the test sends more meanwhile) and prints "LIVE <sent>".
import { chromium } from 'playwright-core';

const [executablePath, url, channel] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage();
  await page.goto(url);
  const sentCell = page.locator(`tr[data-channel="${channel}"] td:nth-child(5)`);
  await sentCell.waitFor({ timeout: 15000 });
  const first = Number(await sentCell.textContent());
  console.log(`LOADED ${first}`);
  await page.waitForFunction(
    ([ch, n]) => Number(document.querySelector(`tr[data-channel="${ch}"] td:nth-child(5)`)?.textContent) > n,
    [channel, first], { timeout: 15000 });
  console.log(`LIVE ${Number(await sentCell.textContent())}`);
} finally {
  await browser.close();
}
