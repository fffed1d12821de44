// Writes a gzip (.gz) and a Brotli (.br) copy beside each text file of the build, once,
// at build time (`npm run build` runs it after `vite build`). The server sends the
// smallest the browser accepts (backend/causerie/spa.py), without compressing per request.
// Node's zlib does both: nothing to download.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const DIST = fileURLToPath(new URL("../dist/", import.meta.url));
const TEXT = new Set([".html", ".js", ".mjs", ".css", ".json", ".svg", ".txt", ".xml", ".webmanifest"]);
// Below this, the headers cost more than compression saves.
const MIN_BYTES = 256;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // dist/.vite holds the build manifest: read by the tests, never served.
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (TEXT.has(extname(entry.name))) yield path;
  }
}

let before = 0;
let afterGzip = 0;
let afterBrotli = 0;
for (const path of files(DIST)) {
  const data = readFileSync(path);
  if (data.length < MIN_BYTES) continue;
  const gzip = gzipSync(data, { level: 9 });
  const brotli = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  // A copy that is not smaller is not worth sending.
  if (gzip.length < data.length) writeFileSync(`${path}.gz`, gzip);
  if (brotli.length < data.length) writeFileSync(`${path}.br`, brotli);
  before += data.length;
  afterGzip += Math.min(gzip.length, data.length);
  afterBrotli += Math.min(brotli.length, data.length);
}

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
console.log(
  `precompressed ${relative(process.cwd(), DIST) || "."}: ${kB(before)} → ${kB(afterGzip)} gzip, ${kB(afterBrotli)} brotli`,
);
