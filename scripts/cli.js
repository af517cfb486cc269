/** What the start scripts share: failing with a message, and reading a port from the environment. */

function fail(message) {
	process.stderr.write(`\n${message}\n`);
	process.exit(1);
}

/** The port in env var `name`, or `fallback`; 0 (any free port) only when `allowZero`. */
function portFromEnv(name, fallback, allowZero = false) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	const min = allowZero ? 0 : 1;
	if (!Number.isInteger(port) || port < min || port > 65535) fail(`${name} must be a port number (${min}-65535), not "${raw}".`);
	return port;
}

module.exports = { fail, portFromEnv };
