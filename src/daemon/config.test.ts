/** Flags, daemon.json checks and their messages, merging and validation. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, parseConfigText } from './config-file.js';
import { parseFlags } from './flags.js';
import { validateConfig } from './values.js';

test('flags: repeatable, short, bool forms, maps', () => {
  const f = parseFlags(['-H', 'unix:///a.sock', '--host=tcp://127.0.0.1:2375', '-D', '--iptables=false', '--log-opt', 'max-size=10m',
    '--default-ulimit', 'nofile=1024:2048', '--add-runtime', 'crun=/usr/bin/crun', '-l', 'warn', '--default-address-pool', 'base=10.10.0.0/16,size=24']);
  assert.deepEqual(f.values.hosts, ['unix:///a.sock', 'tcp://127.0.0.1:2375']);
  assert.equal(f.values.debug, true);
  assert.equal(f.values.iptables, false);
  assert.deepEqual(f.values.logOpts, { 'max-size': '10m' });
  assert.deepEqual(f.values.defaultUlimits, { nofile: { Name: 'nofile', Soft: 1024, Hard: 2048 } });
  assert.deepEqual(f.values.runtimes, { crun: { path: '/usr/bin/crun' } });
  assert.equal(f.values.logLevel, 'warn');
  assert.deepEqual(f.values.defaultAddressPools, [{ base: '10.10.0.0/16', size: 24 }]);
  assert.equal(f.set.get('hosts'), '[unix:///a.sock tcp://127.0.0.1:2375]');
  assert.equal(f.set.get('debug'), 'true');
});

test('flags: unknown flags and missing values are refused in pflag words', () => {
  assert.throws(() => parseFlags(['--nope']), /^Error: unknown flag: --nope$/);
  assert.throws(() => parseFlags(['--data-root']), /flag needs an argument: --data-root/);
  assert.throws(() => parseFlags(['--mtu', 'x']), /invalid argument "x" for "--mtu" flag/);
  assert.throws(() => parseFlags(['extra']), /accepts no arguments/);
});

test('daemon.json: unknown keys, in moby\'s words', () => {
  assert.throws(() => parseConfigText('{"foo": 1, "debug": true}', parseFlags([])),
    { message: "the following directives don't match any configuration option: foo" });
});

test('daemon.json: a key given as flag and in the file', () => {
  assert.throws(() => parseConfigText('{"debug": false}', parseFlags(['-D'])),
    { message: 'the following directives are specified both as a flag and in the configuration file: debug: (from flag: true, from file: false)' });
  assert.throws(() => parseConfigText('{"labels": ["a=b"]}', parseFlags(['--label', 'c=d'])),
    { message: 'the following directives are specified both as a flag and in the configuration file: labels: (from flag: [c=d], from file: [a=b])' });
  // runtimes merge instead (moby skipDuplicates)
  assert.doesNotThrow(() => parseConfigText('{"runtimes": {"a": {"path": "/a"}}}', parseFlags(['--add-runtime', 'b=/b'])));
});

test('daemon.json: value types and syntax', () => {
  assert.throws(() => parseConfigText('{"debug": "yes"}', parseFlags([])),
    { message: 'invalid JSON: json: cannot unmarshal string into Go struct field Config.debug of type bool' });
  assert.throws(() => parseConfigText('{"debug": tru', parseFlags([])), /^Error: invalid JSON: /);
  assert.deepEqual(parseConfigText('  ', parseFlags([])).values, {});
  const ok = parseConfigText('{"registry-mirrors": ["https://m"], "log-opts": {"max-file": "3"}, "min-api-version": "1.40"}', parseFlags([]));
  assert.deepEqual(ok.values, { registryMirrors: ['https://m'], logOpts: { 'max-file': '3' }, minApiVersion: '1.40' });
});

test('merge: defaults, file, flags; paths under exec-root', () => {
  const c = mergeConfig({ debug: true, execRoot: '/x' }, { dataRoot: '/d' });
  assert.equal(c.debug, true);
  assert.equal(c.dataRoot, '/d');
  assert.deepEqual(c.hosts, ['unix:///x/skiff.sock']);
  assert.equal(c.pidfile, '/x/skiffd.pid');
  assert.equal(c.maxConcurrentDownloads, 3);
});

test('validation messages', () => {
  assert.equal(validateConfig(mergeConfig({ logLevel: 'loud' }, {})), 'invalid logging level: loud');
  assert.equal(validateConfig(mergeConfig({ maxConcurrentDownloads: -1 }, {})), 'invalid max concurrent downloads: -1');
  assert.equal(validateConfig(mergeConfig({ minApiVersion: '1.20' }, {})), 'invalid min-api-version: minimum supported API version is 1.24: 1.20');
  assert.equal(validateConfig(mergeConfig({ defaultRuntime: 'crun' }, {})), "specified default runtime 'crun' does not exist");
  assert.equal(validateConfig(mergeConfig({ tlsverify: true }, {})), '--tlsverify requires --tlscacert, --tlscert and --tlskey');
  assert.equal(validateConfig(mergeConfig({}, {})), null);
});
