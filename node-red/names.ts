/** Node-RED type names, shared by the runtime registration and the editor HTML so they cannot drift. */
import type { OperationSpec, ProviderSpec } from '../nodes/core';

/** 'generateOtp' → 'generate-otp'; 'getCustomer' → 'get-customer'; 'sendOTP' → 'send-otp'. */
export function kebab(id: string): string {
	return id
		.replace(/([a-z0-9])([A-Z])/g, '$1-$2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.toLowerCase();
}

/**
 * Every type carries the package's own prefix, so it cannot collide with another package's nodes in Node-RED's one
 * flat type namespace: 'otpflow-capillary-config', 'otpflow-capillary-generate-otp'.
 */
export const TYPE_PREFIX = 'otpflow';

export function configType(provider: ProviderSpec): string {
	return `${TYPE_PREFIX}-${provider.slug}-config`;
}

export function operationType(provider: ProviderSpec, op: OperationSpec): string {
	return `${TYPE_PREFIX}-${provider.slug}-${kebab(op.id)}`;
}

/** The config node's Test endpoint, relative to the admin root (the editor posts to it as is): 'otpflow/bos/test'. */
export function credentialTestPath(provider: ProviderSpec): string {
	return `${TYPE_PREFIX}/${provider.slug}/test`;
}

/** The permission the Test endpoint needs: writing the account's config node type. */
export function credentialTestPermission(provider: ProviderSpec): string {
	return `${configType(provider)}.write`;
}

/** Shown on the node in a flow when it has no name. */
export function defaultLabel(provider: ProviderSpec, op: OperationSpec): string {
	return `${provider.label} ${op.name}`;
}

/** The palette entry a person reads: 'Capillary Generate OTP' (the provider's short name, then the operation). */
export function paletteLabel(provider: ProviderSpec, op: OperationSpec): string {
	return `${provider.label.split(' ')[0]} ${op.name}`;
}

/** The config node's name in its edit dialog's title and in the account list: 'iServeU DMT Lite account'. */
export function accountLabel(provider: ProviderSpec): string {
	return `${provider.label} account`;
}

export const CATEGORY = 'OTP Flow';
export const OUTPUT_LABELS = ['success', 'failure'] as const;
export const DEFAULT_TIMEOUT_SECONDS = 15;
