/** An HTTPS server on 127.0.0.1 with a self-signed certificate made for the test (openssl): a provider nobody should trust. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export async function untrustedHttps(): Promise<{ url: string; close(): Promise<void> }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-tls-'));
	const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
	try {
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {
			stdio: 'ignore',
		});
		const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end('{}'));
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
		return {
			url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
			close: async () => {
				server.closeAllConnections();
				await new Promise((r) => server.close(r));
			},
		};
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
}
