/**
 * The API docs as a reader sees them: typedoc builds the site (`npm run docs`, here into a
 * temporary folder), and Debian's headless Chromium loads the index, a class page and the
 * `oslo-rx/testing` module page; each must show the headings a reader looks for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { runProcess } from '../support/node-script';
import { requireProgram } from '../support/peers';

const ROOT = resolve(__dirname, '..', '..');
const BUILD_MS = 180_000;
const LOAD_MS = 60_000;

/** The text of every h1-h4 of an HTML document, in order, tags stripped and spaces collapsed. */
function headings(html: string): string[] {
  return [...html.matchAll(/<h([1-4])\b[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => m[2]!.replace(/<wbr\s*\/?>/g, '').replace(/<[^>]*>/g, ' ').replace(/&[a-z]+;/g, ' ').replace(/\s+/g, ' ').trim());
}

describe('the API docs in a headless browser', function () {
  this.timeout(BUILD_MS + 3 * LOAD_MS);
  let chromium: string;
  let out: string;
  let profile: string;

  /** The DOM of `page` (a path in the site) after Chromium loaded it. */
  async function load(page: string): Promise<string> {
    const r = await runProcess(
      chromium,
      ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(join(out, page)).href],
      LOAD_MS,
    );
    expect(r.code, `chromium ${page}: ${r.err.slice(-2000)}`).to.equal(0);
    return r.out;
  }

  before(async function () {
    chromium = requireProgram(this, 'chromium', 'OSLO_RX_CHROMIUM', 'bash scripts/peers.sh start, or apt-get install chromium');
    out = mkdtempSync(join(tmpdir(), 'oslo-rx-docs-'));
    profile = mkdtempSync(join(tmpdir(), 'oslo-rx-chromium-'));
    const typedoc = await runProcess(process.execPath, [join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], BUILD_MS);
    expect(typedoc.code, typedoc.out + typedoc.err).to.equal(0);
    expect(typedoc.out + typedoc.err).to.not.match(/\[warning\]/);
  });
  after(() => {
    for (const dir of [out, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the index shows the README with its sections and both modules', async () => {
    const dom = await load('index.html');
    const h = headings(dom);
    expect(h).to.include.members(['oslo-rx', 'Quick start', 'RPC', 'Notifications', 'Examples', 'Command line', 'Testing your code']);
    expect(dom).to.include('oslo-rx/testing');
  });

  it('a class page (RpcClient) shows its title, sections and methods', async () => {
    const h = headings(await load('classes/oslo-rx.RpcClient.html'));
    expect(h[0]).to.equal('Class RpcClient');
    expect(h).to.include.members(['Constructors', 'Methods', 'call', 'cast', 'prepare', 'canSendVersion']);
  });

  it('the oslo-rx/testing page lists the test helpers', async () => {
    const dom = await load('modules/oslo-rx_testing.html');
    const h = headings(dom);
    expect(h[0]).to.match(/^Module oslo-rx\/testing$/);
    expect(h).to.include('Functions');
    for (const name of ['startBroker', 'startRouter', 'waitForState', 'testNotifier', 'startEmbeddedIntermediary']) expect(dom).to.include(name);
  });
});
