/** Reads a node's typed-input properties for one message (msg, flow/global context, env, JSONata). */
import type { FieldSpec } from '../nodes/core';
import { OPTION_TYPE, propertyDefault, REFERENCE_DEFAULT, typeProperty } from './properties';
import type { NodeAPI, NodeDef, NodeMessage, RedNode } from './types';

/** A property that could not be read: a workflow-author mistake (bad JSONata, bad context key). */
export class PropertyError extends Error {}

function evaluate(RED: NodeAPI, node: RedNode, value: unknown, type: string, msg: NodeMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		try {
			// The callback form is the only one that works for async context stores and JSONata.
			RED.util.evaluateNodeProperty(value, type, node, msg, (err, result) => (err ? reject(err) : resolve(result)));
		} catch (e) {
			reject(e);
		}
	});
}

/** One field's value for this message; an empty static value stays empty rather than becoming 0 or "undefined". */
export async function evaluateField(RED: NodeAPI, node: RedNode, def: NodeDef, field: FieldSpec, msg: NodeMessage): Promise<unknown> {
	const fallback = propertyDefault(field);
	const hasValue = Object.prototype.hasOwnProperty.call(def, field.name);
	const value = hasValue ? def[field.name] : fallback.value;
	const type = String(def[typeProperty(field.name)] ?? (hasValue ? 'str' : fallback.type));
	if (type === OPTION_TYPE) return value;
	if ((type === 'str' || type === 'num' || type === 'bool') && (value === undefined || value === null || value === '')) return undefined;
	try {
		return await evaluate(RED, node, value, type, msg);
	} catch (e) {
		// A msg path whose parent is missing (no payload.reference yet) is simply empty: validation then names the field.
		if (type === 'msg' && e instanceof TypeError) return undefined;
		// The expression itself may hold the Aadhaar number or secret: quote it only for ordinary fields.
		const source = field.sensitive ? type : `${type} "${String(value)}"`;
		throw new PropertyError(`${field.label} (${field.name}) could not be read from ${source}: ${(e as Error).message}`);
	}
}

/** The previous step's reference for this message (by default msg.payload.reference); missing is simply none. */
export async function evaluateReference(RED: NodeAPI, node: RedNode, def: NodeDef, msg: NodeMessage): Promise<unknown> {
	const value = def.reference === undefined || def.reference === '' ? REFERENCE_DEFAULT.value : def.reference;
	const type = String(def.referenceType || REFERENCE_DEFAULT.type);
	try {
		return await evaluate(RED, node, value, type, msg);
	} catch (e) {
		if (type === 'msg' && e instanceof TypeError) return undefined;
		throw new PropertyError(`Reference could not be read from ${type} "${String(value)}": ${(e as Error).message}`);
	}
}

/** Every field, read in parallel (context stores may be asynchronous). */
export async function evaluateFields(
	RED: NodeAPI,
	node: RedNode,
	def: NodeDef,
	fields: readonly FieldSpec[],
	msg: NodeMessage,
): Promise<Record<string, unknown>> {
	const values = await Promise.all(fields.map((f) => evaluateField(RED, node, def, f, msg)));
	const params: Record<string, unknown> = {};
	fields.forEach((f, i) => {
		if (values[i] !== undefined) params[f.name] = values[i];
	});
	return params;
}
