/**
 * n8n-core reads these when it is first loaded (InstanceSettings creates <N8N_USER_FOLDER>/.n8n/config,
 * the logger reads the level), so this module must be imported before anything that loads n8n-core.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!process.env.N8N_USER_FOLDER) {
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'otpflow-n8n-'));
	process.env.N8N_USER_FOLDER = folder;
	// One per test file that loads n8n: removed when the file's tests end.
	if (typeof afterAll === 'function') {
		afterAll(() => {
			fs.rmSync(folder, { recursive: true, force: true });
			if (process.env.N8N_USER_FOLDER === folder) delete process.env.N8N_USER_FOLDER;
		});
	}
}
process.env.N8N_ENCRYPTION_KEY ??= 'otpflow-test-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';
process.env.N8N_LOG_LEVEL ??= 'silent';
