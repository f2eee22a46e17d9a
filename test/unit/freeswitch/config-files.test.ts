import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

/**
 * Static checks of the shipped FreeSWITCH configuration: the mistakes that only show when
 * FreeSWITCH starts (or silently misbehaves), caught without running it.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const confDir = join(root, 'freeswitch-conf');

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? xmlFiles(join(dir, e.name)) : e.name.endsWith('.xml') ? [join(dir, e.name)] : [],
  );
}

const files = [...xmlFiles(confDir), ...xmlFiles(join(root, 'dialplans'))];
const read = (path: string): string => readFileSync(path, 'utf8');
const comments = (text: string): string[] => [...text.matchAll(/<!--([\s\S]*?)-->/g)].map((m) => m[1] ?? '');

t.test('every configuration file is there', async (t) => {
  const names = files.map((f) => f.slice(root.length));
  for (const expected of [
    'freeswitch-conf/freeswitch.xml',
    'freeswitch-conf/vars.xml',
    'freeswitch-conf/autoload_configs/modules.conf.xml',
    'freeswitch-conf/autoload_configs/event_socket.conf.xml',
    'freeswitch-conf/autoload_configs/sofia.conf.xml',
    'freeswitch-conf/autoload_configs/conference.conf.xml',
    'freeswitch-conf/autoload_configs/local_stream.conf.xml',
    'dialplans/dialbridge.xml',
  ]) {
    t.ok(names.includes(expected), expected);
  }
});

t.test('no preprocessor directive or variable hides in a comment (FreeSWITCH runs them anyway)', async (t) => {
  for (const file of files) {
    for (const comment of comments(read(file))) {
      t.notMatch(comment, /X-PRE-PROCESS/i, file);
      t.notMatch(comment, /\$\$\{/, file);
    }
  }
});

t.test('the environment is read with env-set, never with a global-variable reference', async (t) => {
  for (const file of files) {
    t.notMatch(read(file), /\$\$\{[A-Z][A-Z0-9_]*\}/, `${file} reads an upper-case global as if it were the environment`);
  }
  const vars = read(join(confDir, 'vars.xml'));
  const envSets = [...vars.matchAll(/cmd="env-set" data="([^"]+)"/g)].map((m) => m[1] ?? '');
  t.ok(envSets.length >= 1);
  for (const data of envSets) t.match(data, /^[a-z_]+=\$[A-Z][A-Z0-9_]*$/, data);
});

t.test('every global the configuration uses is defined in vars.xml', async (t) => {
  const vars = read(join(confDir, 'vars.xml'));
  const defined = new Set([...vars.matchAll(/cmd="(?:env-)?set" data="([a-z_]+)=/g)].map((m) => m[1]));
  for (const file of files) {
    for (const m of read(file).matchAll(/\$\$\{([a-z_]+)\}/g)) t.ok(defined.has(m[1]), `${m[1] ?? ''} in ${file}`);
  }
});

t.test('the event socket listens on loopback with the password from the environment', async (t) => {
  const esl = read(join(confDir, 'autoload_configs/event_socket.conf.xml'));
  t.match(esl, /name="listen-ip" value="127\.0\.0\.1"/);
  t.match(esl, /name="password" value="\$\$\{esl_password\}"/);
  t.notMatch(esl, /ClueCon/);
});

t.test('the SIP profile is the one fsmrf looks for, with SRTP off and 3pcc on', async (t) => {
  const sofia = read(join(confDir, 'autoload_configs/sofia.conf.xml'));
  t.match(sofia, /<profile name="drachtio_mrf">/);
  t.match(sofia, /name="enable-3pcc" value="true"/);
  t.match(sofia, /name="context" value="dialbridge"/);
  const vars = read(join(confDir, 'vars.xml'));
  t.match(vars, /data="rtp_secure_media=forbidden"/);
});

t.test('rooms have no FreeSWITCH key controls and the hold stream exists', async (t) => {
  const conference = read(join(confDir, 'autoload_configs/conference.conf.xml'));
  const profiles = [...conference.matchAll(/<profile name="([^"]+)">([\s\S]*?)<\/profile>/g)];
  t.same(profiles.map((p) => p[1]), ['dialbridge', 'dialbridge-16k']);
  for (const p of profiles) t.match(p[2] ?? '', /name="caller-controls" value="none"/, p[1] ?? '');
  t.match(read(join(confDir, 'autoload_configs/local_stream.conf.xml')), /<directory name="moh"/);
  const modules = read(join(confDir, 'autoload_configs/modules.conf.xml'));
  for (const m of ['mod_event_socket', 'mod_sofia', 'mod_conference', 'mod_dptools', 'mod_commands', 'mod_local_stream', 'mod_tone_stream', 'mod_sndfile']) {
    t.match(modules, new RegExp(`<load module="${m}"/>`), m);
  }
});

t.test('the dialplan only hands fsmrf calls to Node and refuses the rest', async (t) => {
  const dialplan = read(join(root, 'dialplans/dialbridge.xml'));
  t.match(dialplan, /<context name="dialbridge">/);
  t.match(dialplan, /expression="\^drachtio-fsmrf:\(\.\+\)\$"/);
  t.match(dialplan, /data="\$\{sip_h_X-esl-outbound\} async full"/);
  t.match(dialplan, /data="hangup_after_conference=false"/);
  t.match(dialplan, /data="403 Forbidden"/);
  t.notMatch(dialplan, /application="conference"/, 'no room logic in XML');
});

t.test('compose pins its images and requires both secrets', async (t) => {
  const compose = read(join(root, 'compose.yaml'));
  const images = [...compose.matchAll(/image: (\S+)/g)].map((m) => m[1] ?? '');
  t.ok(images.includes('drachtio/drachtio-server:0.9.4'));
  for (const image of images.filter((i) => i.includes('/'))) t.notMatch(image, /:latest$|^[^:]+$/, image);
  t.match(compose, /\$\{DRACHTIO_SECRET:\?/);
  t.match(compose, /\$\{FREESWITCH_ESL_PASSWORD:\?/);
  t.match(compose, /MEDIA_ENGINE: freeswitch/);
});
