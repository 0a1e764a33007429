// Stages the pinned PostgreSQL binaries for one .NET runtime identifier into <dest>/postgres-<ver>-<artifact>/,
// the layout MysticMind.PostgresEmbed looks for. Called by the Hearth build (see Hearth.csproj).
// The npm tarball is downloaded once into ./cache, checked against the pinned integrity, and its
// symlinks (which npm strips) are recreated from native/pg-symlinks.json.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
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
if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) process.exit(0);

const cacheRoot = process.env.HEARTH_PG_CACHE || path.join(here, 'cache');
const unpacked = path.join(cacheRoot, `${rid}-${pins.npmVersion}`);
const unpackedStamp = path.join(unpacked, '.hearth-stamp');
if (!(fs.existsSync(unpackedStamp) && fs.readFileSync(unpackedStamp, 'utf8') === stamp)) {
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

fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(target, { recursive: true });
for (const part of ['bin', 'lib', 'share']) {
  fs.cpSync(path.join(unpacked, 'native', part), path.join(target, part), { recursive: true, verbatimSymlinks: true });
}
fs.writeFileSync(stampFile, stamp);
console.log(`Staged ${platform.package}@${pins.npmVersion} into ${target}`);

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
