/**
 * A provider's sample values, kept beside its description (nodes/providers/<p>/samples.ts): the shipped Node-RED
 * examples and n8n templates (generate/examples.ts) are filled from them, and the sandbox must accept every one.
 * How operations chain is not repeated here: the generators follow `next`, `continues` and `sendsCode`.
 */
import type { FieldValue } from './spec';

/** A value made anew on every run, given by its prefix: the sandbox refuses a reused order id or transaction reference. */
export interface UniqueValue {
	unique: string;
}

export type SampleValue = FieldValue | UniqueValue;

export const isUniqueValue = (value: unknown): value is UniqueValue => typeof value === 'object' && value !== null && 'unique' in value;

/** The values one step runs with, by field name. */
export interface StepSamples {
	/** Values of option fields (flavour, otpType, ...). */
	options?: Readonly<Record<string, FieldValue>>;
	/** Values of data fields. */
	input?: Readonly<Record<string, SampleValue>>;
}

/** What differs for one operation's own example and template from the provider's samples. */
export interface OperationSamples extends StepSamples {
	/** Reference values its example hands in where the sample data would not do (the customer another example sent to). */
	reference?: Readonly<Record<string, FieldValue>>;
	/** A paragraph for its Node-RED example: what to run first, what it pairs with. */
	note?: string;
	/** Values of the steps its n8n template runs first (the operations it continues), by operation id. */
	before?: Readonly<Record<string, StepSamples>>;
}

export interface ProviderSamples extends StepSamples {
	/** Every data field not taken from a previous step's reference, valid for the sandbox. */
	input: Readonly<Record<string, SampleValue>>;
	/** The input field whose value the sandbox inbox files each code under (the mobile number, the user name). */
	inboxTo?: string;
	/** By operation id. */
	operations?: Readonly<Record<string, OperationSamples>>;
}
