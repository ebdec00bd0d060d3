#!/usr/bin/env node
// bench.js measures LinkedIn's official JavaScript client (linkedin-api-client,
// installed by run.sh into ../node_modules) on the inputs of
// ../../testdata/cases.json, with the loop bounds of ../settings.json:
//
//   encode  the client's query-parameter encoder (paramEncode in
//           dist/lib/utils/encoder.js, the function RestliClient.finder and
//           the other methods call through encodeQueryParamsForGetRequests)
//           on each case: a warm-up of timing.warmup_ms, then timing.batches
//           batches of at least timing.batch_min_ms each; the median batch.
//   finder  RestliClient.finder, one call at a time, against the loopback
//           server at --server: finder.warmup calls, then finder.requests
//           calls or finder.max_seconds, whichever ends first.
//
// It prints one JSON document on stdout. Usage:
//   node bench.js --server http://127.0.0.1:PORT [--cases F] [--settings F] [--only encode|finder]
'use strict';

const fs = require('fs');
const path = require('path');

const args = parseArgs(process.argv.slice(2));
const here = __dirname;
const casesFile = args.cases || path.join(here, '..', '..', 'testdata', 'cases.json');
const settingsFile = args.settings || path.join(here, '..', 'settings.json');
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));

const pkgDir = path.join(here, '..', 'node_modules', 'linkedin-api-client');
const pkg = require(path.join(pkgDir, 'package.json'));
if (pkg.version !== '0.3.0') {
  fail(`linkedin-api-client ${pkg.version} is installed; want 0.3.0 (run run.sh)`);
}
const { paramEncode } = require(path.join(pkgDir, 'dist', 'lib', 'utils', 'encoder.js'));
const constants = require(path.join(pkgDir, 'dist', 'lib', 'utils', 'constants.js'));
const { RestliClient } = require(pkgDir);

let sink = 0; // keeps results alive so no work is optimised away

function nowNs() {
  return process.hrtime.bigint();
}

function runBatch(fn, arg, n) {
  const start = nowNs();
  for (let i = 0; i < n; i++) {
    sink += fn(arg).length;
  }
  return Number(nowNs() - start);
}

// timeEncode returns the median ns per call of fn(arg) over the batches.
function timeEncode(fn, arg, timing) {
  const warmEnd = nowNs() + BigInt(timing.warmup_ms) * 1000000n;
  let warmCalls = 0;
  while (nowNs() < warmEnd && warmCalls < 1e8) {
    sink += fn(arg).length;
    warmCalls++;
  }
  const minNs = timing.batch_min_ms * 1e6;
  let n = 1;
  while (runBatch(fn, arg, n) < minNs && n < 1 << 28) {
    n *= 2;
  }
  const perOp = [];
  for (let b = 0; b < timing.batches; b++) {
    perOp.push(runBatch(fn, arg, n) / n);
  }
  return { ns_per_op: median(perOp), batch_ns_per_op: perOp, calls_per_batch: n };
}

async function benchFinder(server) {
  const u = new URL(server);
  if (u.protocol !== 'http:' || !['127.0.0.1', '[::1]'].includes(u.hostname)) {
    fail(`--server ${server}: want http://127.0.0.1:PORT (loopback only)`);
  }
  // The client builds absolute URLs from this constant
  // (utils/api-utils.js buildRestliUrl); point it at the loopback server so
  // the client runs its own code path unchanged.
  constants.VERSIONED_BASE_URL = `${server}/rest`;
  const spec = cases.finder;
  const params = cases.cases.find((c) => c.name === spec.case).params;
  const queryParams = Object.assign({}, params);
  delete queryParams.q; // q becomes the finder name
  const client = new RestliClient({ proxy: false, maxRedirects: 0 });
  const call = () =>
    client.finder({
      resourcePath: spec.resource,
      finderName: spec.finder,
      queryParams,
      versionString: spec.version,
      accessToken: spec.token,
    });

  const first = await call();
  if (!first.config.url.startsWith(`${server}/rest/`)) {
    fail(`the client called ${first.config.url}, not the loopback server`);
  }
  if (first.status !== 200 || first.data.elements.length !== 3) {
    fail(`finder answered ${first.status} with ${JSON.stringify(first.data).slice(0, 200)}`);
  }

  const f = settings.finder;
  for (let i = 0; i < f.warmup; i++) {
    await call();
  }
  const lat = [];
  const deadline = nowNs() + BigInt(f.max_seconds) * 1000000000n;
  const start = nowNs();
  for (let i = 0; i < f.requests; i++) {
    const t0 = nowNs();
    const res = await call();
    const t1 = nowNs();
    sink += res.data.elements.length;
    lat.push(Number(t1 - t0));
    if (t1 > deadline) {
      break;
    }
  }
  const total = Number(nowNs() - start);
  lat.sort((a, b) => a - b);
  return {
    requests: lat.length,
    seconds: total / 1e9,
    req_per_s: lat.length / (total / 1e9),
    mean_us: lat.reduce((s, x) => s + x, 0) / lat.length / 1e3,
    p99_us: lat[Math.min(lat.length - 1, Math.max(0, Math.round(lat.length * 0.99) - 1))] / 1e3,
    stopped_early: lat.length < f.requests,
  };
}

async function main() {
  const out = {
    client: 'linkedin-api-client',
    version: pkg.version,
    axios: require(path.join(here, '..', 'node_modules', 'axios', 'package.json')).version,
    node: process.version,
    timing: settings.timing,
    encode: {},
  };
  if (args.only !== 'finder') {
    for (const c of cases.cases) {
      const r = timeEncode(paramEncode, c.params, settings.timing);
      r.output = paramEncode(c.params); // report checks it against Go's
      out.encode[c.name] = r;
    }
  }
  if (args.only !== 'encode') {
    if (!args.server) {
      fail('--server is required for the finder run');
    }
    out.finder = await benchFinder(args.server);
  }
  out.sink = sink > 0;
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function parseArgs(argv) {
  const a = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (!k.startsWith('--') || i + 1 >= argv.length) {
      fail(`bad argument ${k}`);
    }
    a[k.slice(2)] = argv[++i];
  }
  return a;
}

function fail(msg) {
  process.stderr.write(`bench.js: ${msg}\n`);
  process.exit(1);
}

main().catch((err) => fail(err && err.stack ? err.stack : String(err)));
