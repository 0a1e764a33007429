// Stages the pinned PostgreSQL binaries for one .NET runtime identifier into <dest>/postgres-<ver>-<artifact>/,
// the layout MysticMind.PostgresEmbed looks for. Called by the Hearth build (see Hearth.csproj).
// The npm tarball is downloaded once into ./cache, checked against the pinned integrity, and its
// symlinks (which npm strips) are recreated from native/pg-symlinks.json.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
  a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []));
const fail = (msg) => { console.error(`error HEARTH001: ${msg}`); process.exit(1); };

const pins = JSON.parse(fs.readFileSync(path.join(here, 'versions.json'), 'utf8'));
const rid = args.rid;
const dest = args.dest;
if (!rid || !dest) fail('usage: node stage.mjs --rid <runtime-identifier> --dest <dir>');
const platform = pins.platforms[rid];
if (!platform) fail(`no PostgreSQL binaries are pinned for runtime '${rid}'. Supported: ${Object.keys(pins.platforms).join(', ')}.`);

const installName = `postgres-${pins.postgresVersion}-${platform.artifact}`;
const stamp = `${platform.package}@${pins.npmVersion} ${platform.integrity}\n`;
const target = path.join(dest, installName);
const stampFile = path.join(target, '.hearth-stamp');

const cacheRoot = process.env.HEARTH_PG_CACHE || path.join(here, 'cache');
const unpacked = path.join(cacheRoot, `${rid}-${pins.npmVersion}`);
const unpackedStamp = path.join(unpacked, '.hearth-stamp');
if (!(fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) &&
    !(fs.existsSync(unpackedStamp) && fs.readFileSync(unpackedStamp, 'utf8') === stamp)) {
  fs.mkdirSync(cacheRoot, { recursive: true });
  const tarball = process.env.HEARTH_PG_TARBALL || download(platform.package, pins.npmVersion, cacheRoot);
  const actual = 'sha512-' + createHash('sha512').update(fs.readFileSync(tarball)).digest('base64');
  if (actual !== platform.integrity) {
    fail(`${tarball} does not match the pinned integrity of ${platform.package}@${pins.npmVersion} (expected ${platform.integrity}, got ${actual}). Delete it and build again.`);
  }
  const tmp = `${unpacked}.${process.pid}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', tmp], { stdio: 'inherit' });
  const pkg = path.join(tmp, 'package');
  restoreSymlinks(pkg);
  fs.writeFileSync(path.join(pkg, '.hearth-stamp'), stamp);
  fs.rmSync(unpacked, { recursive: true, force: true });
  fs.renameSync(path.join(pkg), unpacked);
  fs.rmSync(tmp, { recursive: true, force: true });
}

if (!(fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp)) {
  fs.rmSync(target, { recursive: true, force: true });
  fs.mkdirSync(target, { recursive: true });
  for (const part of ['bin', 'lib', 'share']) {
    fs.cpSync(path.join(unpacked, 'native', part), path.join(target, part), { recursive: true, verbatimSymlinks: true });
  }
  fs.writeFileSync(stampFile, stamp);
  console.log(`Staged ${platform.package}@${pins.npmVersion} into ${target}`);
}

// --embed DIR: the single-file build. Writes DIR/pgsql.tar.br (the install above, tar + Brotli) and
// DIR/template.tar.br (a cluster made by initdb with the same binaries and the settings Hearth uses),
// plus DIR/pgsql.info ("<sha256 of pgsql.tar.br> <unpacked bytes> <version>-<artifact>"). Cached by stamp.
if (args.embed) embed(args.embed);
else stageTemplate();

// Development layout: the template cluster beside the staged install, so tests start new data dirs fast too.
function stageTemplate() {
  const file = path.join(dest, 'template.tar.br');
  const templateStamp = path.join(dest, 'template.stamp');
  if (fs.existsSync(file) && fs.existsSync(templateStamp) && fs.readFileSync(templateStamp, 'utf8') === stamp) return;
  fs.writeFileSync(file, brotli(templateCluster(target)));
  fs.writeFileSync(templateStamp, stamp);
}

function embed(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  const info = path.join(outDir, 'pgsql.info');
  const embedStamp = path.join(outDir, 'pgsql.stamp');
  if (fs.existsSync(embedStamp) && fs.readFileSync(embedStamp, 'utf8') === stamp && fs.existsSync(info)) return;
  const started = Date.now();
  const tarPath = path.join(os.tmpdir(), `hearth-pgsql-${process.pid}.tar`);
  execFileSync('tar', ['-cf', tarPath, '-C', dest, installName]);
  const archive = brotli(fs.readFileSync(tarPath));
  fs.rmSync(tarPath, { force: true });
  fs.writeFileSync(path.join(outDir, 'pgsql.tar.br'), archive);
  const sha = createHash('sha256').update(archive).digest('hex');
  fs.writeFileSync(info, `${sha} ${unpackedBytes(target)} ${pins.postgresVersion}-${platform.artifact}\n`);
  fs.writeFileSync(path.join(outDir, 'template.tar.br'), brotli(templateCluster(target)));
  fs.writeFileSync(embedStamp, stamp);
  console.log(`Packed PostgreSQL and a template cluster for embedding (${(archive.length / 1048576).toFixed(1)} MiB, ${Date.now() - started} ms)`);
}

function brotli(buffer) {
  return zlib.brotliCompressSync(buffer, { params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 9,
    [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
    [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
  } });
}

function unpackedBytes(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

// initdb exactly as the embedding library runs it (UTF8, C.UTF-8, trust, superuser postgres), so a new
// data dir can start from a copy instead of waiting for initdb. initdb refuses root: run it as nobody.
function templateCluster(install) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-template-'));
  fs.chmodSync(work, 0o777);
  const data = path.join(work, 'data');
  const exe = process.platform === 'win32' ? '.exe' : '';
  const initdb = [path.join(install, 'bin', 'initdb' + exe), '-D', data, '-U', 'postgres', '-E', 'UTF8', '-A', 'trust', '--no-sync', '--locale', 'C.UTF-8'];
  const asRoot = process.getuid && process.getuid() === 0;
  if (asRoot) {
    // nobody must reach the binaries, and the build output's parents may be private (/root): use a copy.
    const copy = path.join(work, 'install');
    fs.cpSync(install, copy, { recursive: true, verbatimSymlinks: true });
    initdb[0] = path.join(copy, 'bin', 'initdb' + exe);
    execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '--', ...initdb], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    execFileSync(initdb[0], initdb.slice(1), { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const tarPath = path.join(work, 'template.tar');
  execFileSync('tar', ['-cf', tarPath, '-C', work, 'data']);
  const bytes = fs.readFileSync(tarPath);
  fs.rmSync(work, { recursive: true, force: true });
  return bytes;
}

function download(name, version, dir) {
  let out;
  try {
    out = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dir, '--json', '--silent'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  } catch (e) {
    fail(`could not download ${name}@${version} with 'npm pack' (${e.message.split('\n')[0]}). ` +
      'The build needs npm and the npm registry (or a mirror set in .npmrc); offline, set HEARTH_PG_TARBALL to a copy of the package tarball.');
  }
  return path.join(dir, JSON.parse(out)[0].filename);
}

function restoreSymlinks(pkg) {
  const list = path.join(pkg, 'native', 'pg-symlinks.json');
  if (!fs.existsSync(list)) return;
  for (const { source, target } of JSON.parse(fs.readFileSync(list, 'utf8'))) {
    const link = path.join(pkg, target);
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.relative(path.dirname(link), path.join(pkg, source)), link);
  }
}
