/**
 * What n8n's community-nodes lint rule `no-monorepo` (in n8n's repository, not yet in the registry's plugin) enforces,
 * written here so our lint applies it now: a community package's package.json names no `repository.directory`, unless
 * that directory is the repository's root ("." or "./"). n8n verifies only a package at the root of its own repository.
 * It reads package.json as @typescript-eslint/parser gives it (one object expression), as n8n's rules do.
 */
'use strict';

const path = require('node:path');

/** ".", "./", "./." …: the root. */
const ROOT_DIRECTORY = /^\.([\\/]\.)*[\\/]?$/;

function property(object, name) {
	return object.properties.find((p) => p.type === 'Property' && ((p.key.type === 'Literal' && p.key.value === name) || p.key.name === name));
}

module.exports = {
	meta: {
		type: 'problem',
		docs: { description: 'An n8n community package sits at the root of its own repository: no repository.directory' },
		messages: {
			directory:
				'repository.directory is {{directory}}: n8n verifies a community package only at the root of its own repository, so a package in a monorepo folder cannot be verified.',
		},
		schema: [],
	},
	create(context) {
		if (path.basename(context.filename) !== 'package.json') return {};
		return {
			'Program > ExpressionStatement > ObjectExpression'(manifest) {
				const repository = property(manifest, 'repository');
				if (repository?.value.type !== 'ObjectExpression') return;
				const directory = property(repository.value, 'directory');
				if (!directory) return;
				const value = directory.value.type === 'Literal' ? directory.value.value : undefined;
				if (typeof value === 'string' && ROOT_DIRECTORY.test(value)) return;
				context.report({ node: directory, messageId: 'directory', data: { directory: JSON.stringify(value ?? context.sourceCode.getText(directory.value)) } });
			},
		};
	},
};
