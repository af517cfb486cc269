/**
 * Each package's README, as npm shows it: what the package is, how its users install it, what it offers, and the
 * parts of the repository README that concern them (the result contract, the sandbox), taken from that README so
 * nothing is written twice. Links and images that are relative in the repository point at GitHub, since the
 * package does not carry docs/.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** `## Heading` up to the next `## ` heading (its `###` subsections included), or '' when absent. */
function section(readme, heading) {
	const start = readme.indexOf(`\n## ${heading}\n`);
	if (start < 0) return '';
	const end = readme.indexOf('\n## ', start + 4);
	return readme.slice(start + 1, end < 0 ? undefined : end).trim();
}

/**
 * The development repository's web address, from a manifest's `homepage` (its README). Not `repository`: an n8n
 * package's own repository holds the package alone, without docs/ or the screenshots the README shows.
 */
function repositoryUrl(pkg) {
	return String(pkg.homepage ?? '').replace(/#.*$/, '');
}

/** Relative links and images of the repository README made absolute. */
function absolute(text, repo) {
	const raw = repo.replace('https://github.com/', 'https://raw.githubusercontent.com/');
	return text
		.replace(/(<img src=")(?!https?:)([^"]+)"/g, (_m, a, p) => `${a}${raw}/main/${p}"`)
		.replace(/(!\[[^\]]*\]\()(?!https?:)([^)]+)\)/g, (_m, a, p) => `${a}${raw}/main/${p})`)
		.replace(/(\]\()#([^)]+)\)/g, (_m, a, p) => `${a}${repo}#${p})`)
		.replace(/(\]\()(?!https?:|#|mailto:)([^)]+)\)/g, (_m, a, p) => `${a}${repo}/blob/main/${p})`);
}

/** The providers a package offers: every one for the all-provider packages, else the one its folder names. */
function providersOf(folder, providers) {
	const one = providers.find((p) => folder === `n8n-nodes-${p.slug}`);
	return one ? [one] : providers;
}

function operationsTable(providers, label) {
	const rows = providers.map((p) => `| ${label(p)} | ${p.operations.map((op) => op.name).join(' · ')} |`);
	return ['| Provider | Operations |', '|---|---|', ...rows].join('\n');
}

const SANDBOX_HINT =
	'No provider account yet? `npx @otpflow/sandbox` starts a local stand-in for all five providers on 127.0.0.1:4010, with an inbox page showing every code it "sends".';

/** What every node package ends with: the result contract, how to try it, where the rest is, the licence. */
function resultAndMore(pkg, readme) {
	return [
		absolute(section(readme, 'The result every node returns'), repositoryUrl(pkg)),
		'## Try it',
		SANDBOX_HINT,
		`Everything else (chaining, journeys, each provider's quirks): ${pkg.homepage}`,
		'## License',
		pkg.license,
	];
}

function n8nReadme(pkg, folder, providers, readme) {
	const mine = providersOf(folder, providers);
	const one = mine.length === 1;
	return [
		`# ${pkg.name}`,
		pkg.description,
		'## Install',
		`In n8n (self-hosted, community nodes enabled): *Settings → Community Nodes → Install*, enter \`${pkg.name}\`. Or in a shell: \`cd ~/.n8n/nodes && npm install ${pkg.name}\`, then restart n8n.`,
		one
			? `This package holds the ${mine[0].label} node alone: it is the package for n8n Cloud, which installs only community nodes n8n has verified, and n8n verifies a package that serves one service. \`@otpflow/n8n-nodes-otpflow\` holds all five providers for self-hosted n8n; install one or the other, not both (they register the same credential types).`
			: "This package, with all five providers, is for self-hosted n8n. On n8n Cloud, which installs only community nodes n8n has verified (one service per package), take the provider's own package: `@otpflow/n8n-nodes-bos`, `-aopay`, `-iserveu`, `-summitai` or `-capillary`. Install those or this one, not both (they register the same credential types).",
		'Create the credential for your provider and **Save** it: n8n 2.x tests a credential when it is saved (a failed test shows the reason and a **Retry** button). The test never sends an OTP.',
		'## Operations',
		operationsTable(mine, (p) => p.label),
		'Every node also has **Send and Wait for Code** where its flow has a code: it sends, pauses the run, takes the code from the person (its own page, or your app posting JSON) and continues with the final outcome.',
		...resultAndMore(pkg, readme),
	].join('\n\n');
}

function nodeRedReadme(pkg, providers, readme) {
	return [
		`# ${pkg.name}`,
		pkg.description,
		'## Install',
		`Node-RED 4.x or 5.x: *Menu → Manage palette → Install*, search \`${pkg.name}\`; or \`cd ~/.node-red && npm install ${pkg.name}\` and restart. The nodes appear in the **OTP Flow** palette category, one per operation, with an account (config) node per provider whose dialog has a **Test** button. Examples, and a web-page journey per provider, are under *Import → Examples*.`,
		'## Nodes',
		operationsTable(providers, (p) => p.label),
		...resultAndMore(pkg, readme),
	].join('\n\n');
}

function sandboxReadme(pkg, readme) {
	const [command] = Object.keys(pkg.bin || {});
	return [
		`# ${pkg.name}`,
		pkg.description,
		'## Run',
		[
			'```sh',
			`npx ${pkg.name}                      # 127.0.0.1:4010`,
			`npx ${pkg.name} --port 4011          # or SANDBOX_PORT=4011`,
			`npx ${pkg.name} --max-lifetime 3600  # stop by itself after an hour`,
			'```',
		].join('\n'),
		`Installed, the command is \`${command}\`. It listens on 127.0.0.1 only.`,
		// The repository's sandbox section, from its account table on (its first lines are about the repository).
		absolute(
			`## Accounts, inbox, faults\n\nBase URLs for the credentials:${section(readme, 'The sandbox').split('Base URLs for the credentials:')[1] ?? ''}`,
			repositoryUrl(pkg),
		),
		'## License',
		pkg.license,
	].join('\n\n');
}

/** The README text for one package (`kind` as packaging's `kind()`), from the repository README and the providers. */
function packageReadme(pkg, folder, kind, { readme, providers }) {
	const text =
		kind === 'n8n' ? n8nReadme(pkg, folder, providers, readme) : kind === 'node-red' ? nodeRedReadme(pkg, providers, readme) : sandboxReadme(pkg, readme);
	return `${text}\n`;
}

/** What packageReadme needs, read once: the repository README and the built provider descriptions. */
function readmeSources(root) {
	return {
		readme: fs.readFileSync(path.join(root, 'README.md'), 'utf8'),
		providers: require(path.join(root, 'dist', 'nodes', 'providers')).PROVIDERS,
	};
}

module.exports = { packageReadme, readmeSources, section, absolute };
