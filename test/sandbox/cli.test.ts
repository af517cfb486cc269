/**
 * The CLI, run as a real child process. The sandbox sources are transpiled with swc into a
 * temp dir first, so this does not depend on a prior `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { transformFileSync } from '@swc/core';
import { call } from './helpers';

const SRC = path.resolve(__dirname, '../../sandbox');
let outDir: string;

beforeAll(() => {
	outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-sandbox-cli-'));
	const walk = (dir: string) => {
		for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(full);
			else if (entry.name.endsWith('.ts')) {
				const out = path.join(outDir, path.relative(SRC, full)).replace(/\.ts$/, '.js');
				fs.mkdirSync(path.dirname(out), { recursive: true });
				const { code } = transformFileSync(full, {
					jsc: { parser: { syntax: 'typescript' }, target: 'es2021' },
					module: { type: 'commonjs' },
				});
				fs.writeFileSync(out, code);
			}
		}
	};
	walk(SRC);
});
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

function start(
	args: string[],
	env: Record<string, string> = {},
): { child: ChildProcess; output: () => string; ready: Promise<string>; exit: Promise<number | null> } {
	const child = spawn(process.execPath, [path.join(outDir, 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
	let out = '';
	const ready = new Promise<string>((resolve, reject) => {
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m && out.includes('Inbox page:')) resolve(m[1]);
		});
		child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
		child.on('exit', () => reject(new Error(`exited before ready: ${out}`)));
	});
	ready.catch(() => undefined);
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, output: () => out, ready, exit };
}

describe('sandbox CLI', () => {
	it('prints every provider base URL and the inbox page, serves them, and stops on SIGTERM', async () => {
		const cli = start(['--port', '0']);
		try {
			const url = await cli.ready;
			const out = cli.output();
			expect(out).toContain(`${url}/iserveu`);
			expect(out).toContain(`${url}/capillary`);
			expect(out).toContain(`${url}/bos/api/BOS/CibilScore/`);
			expect(out).toContain(`${url}/aopay/api/AOP/CibilScore/`);
			expect(out).toContain(`${url}/summitai`);
			expect(out).toContain(`Inbox page:  ${url}/_sandbox/`);
			const health = await call(`${url}/_sandbox/health`, { method: 'GET' });
			expect(health.json.ok).toBe(true);
			cli.child.kill('SIGTERM');
			expect(await cli.exit).toBe(0);
		} finally {
			cli.child.kill('SIGKILL');
		}
	});

	it('listens on SANDBOX_PORT when no --port is given; --port wins over it; a bad value is refused', async () => {
		const probe = net.createServer();
		await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
		const port = (probe.address() as net.AddressInfo).port;
		await new Promise((r) => probe.close(r));
		const byEnv = start([], { SANDBOX_PORT: String(port) });
		try {
			expect(await byEnv.ready).toBe(`http://127.0.0.1:${port}`);
		} finally {
			byEnv.child.kill('SIGKILL');
			await byEnv.exit;
		}
		const byFlag = start(['--port', '0'], { SANDBOX_PORT: String(port) });
		try {
			expect(await byFlag.ready).not.toBe(`http://127.0.0.1:${port}`);
		} finally {
			byFlag.child.kill('SIGKILL');
		}
		const bad = start([], { SANDBOX_PORT: 'eighty' });
		expect(await bad.exit).toBe(2);
		expect(bad.output()).toContain('SANDBOX_PORT must be 0-65535');
	});

	it('stops cleanly on SIGINT', async () => {
		const cli = start(['--port=0']);
		try {
			await cli.ready;
			cli.child.kill('SIGINT');
			expect(await cli.exit).toBe(0);
			expect(cli.output()).toContain('SIGINT: stopping the sandbox');
		} finally {
			cli.child.kill('SIGKILL');
		}
	});

	it('stops by itself after --max-lifetime seconds', async () => {
		const cli = start(['--port', '0', '--max-lifetime', '0.3']);
		try {
			await cli.ready;
			expect(await cli.exit).toBe(0);
			expect(cli.output()).toContain('Maximum lifetime reached');
		} finally {
			cli.child.kill('SIGKILL');
		}
	});

	it('rejects unknown arguments with exit code 2', async () => {
		const cli = start(['--bogus']);
		expect(await cli.exit).toBe(2);
		expect(cli.output()).toContain('Unknown argument: --bogus');
	});
});
