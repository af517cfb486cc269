/**
 * Browser code shared by every node of one provider file: validators and edit-dialog setup that the
 * generated registerType definitions (object literals, see definitions.ts) call. Plain ES5 (it runs in the editor as is); wrapped in an IIFE so nothing leaks into globals.
 */
export const CLIENT_HELPERS = String.raw`
	var STATIC = ["str", "num", "bool", "option"];

	function isEmpty(v) {
		return v === undefined || v === null || String(v).trim() === "";
	}

	/** true/false when the controlling field has a fixed value, undefined when it is read at run time. */
	function holds(node, cond) {
		if (!cond) { return true; }
		var type = node[cond.field + "Type"] || "str";
		if (STATIC.indexOf(type) < 0) { return undefined; }
		var actual = String(node[cond.field] === undefined || node[cond.field] === null ? "" : node[cond.field]);
		return cond.equals.map(String).indexOf(actual) >= 0;
	}

	function fieldValidator(f) {
		return function (v) {
			var type = this[f.name + "Type"] || f.types[0];
			if (holds(this, f.showWhen) === false) { return true; }
			if (isEmpty(v)) {
				if (STATIC.indexOf(type) < 0) { return f.label + ": enter where to read it from"; }
				if (f.chained) { return true; }
				if (f.required || (f.requiredWhen && holds(this, f.requiredWhen) === true)) { return f.label + " is required"; }
				return true;
			}
			if (type === "num" && isNaN(Number(v))) { return f.label + " must be a number"; }
			if (type === "option" && f.options && !f.options.some(function (o) { return o.value === String(v); })) {
				return f.label + " must be one of the listed options";
			}
			return true;
		};
	}

	function typeDefs(f) {
		return f.types.map(function (t) {
			return t === "option" ? { value: "option", label: f.label, options: f.options } : t;
		});
	}

	/** Shows a field only while its controlling field has one of the listed values (or is read at run time). */
	function wireShowWhen(fields, prefix, typed) {
		fields.forEach(function (f) {
			if (!f.showWhen) { return; }
			var control = $("#" + prefix + f.showWhen.field);
			var row = $("#" + prefix + f.name).closest(".form-row");
			if (!control.length) { return; }
			var update = function () {
				var type = typed ? control.typedInput("type") : "str";
				var value = typed ? control.typedInput("value") : control.val();
				var show = STATIC.indexOf(type) < 0 || f.showWhen.equals.map(String).indexOf(String(value)) >= 0;
				row.toggle(show);
			};
			control.on("change", update);
			update();
		});
	}

	function wholeAtLeast(min, label) {
		return function (v) {
			return isEmpty(v) || (/^\d+$/.test(String(v)) && Number(v) >= min) ? true : label + " must be a whole number from " + min;
		};
	}

	function positiveSeconds(v) {
		return !isEmpty(v) && Number(v) > 0 ? true : "Timeout must be a positive number of seconds";
	}

	/** Edit dialog of an operation node: a typed input per field, dependent fields shown and hidden. */
	function prepareOperation(d) {
		if (d.reference) {
			$("#node-input-reference").typedInput({
				default: d.reference.type,
				typeField: "#node-input-referenceType",
				types: d.reference.types
			});
		}
		d.fields.forEach(function (f) {
			$("#node-input-" + f.name).typedInput({
				default: f.types[0],
				typeField: "#node-input-" + f.name + "Type",
				types: typeDefs(f)
			});
		});
		wireShowWhen(d.fields, "node-input-", true);
	}

	function urlValidator(label) {
		return function (v) {
			return isEmpty(v) || /^https?:\/\/[^\s\/]+/i.test(String(v)) ? true : label + " must be an http(s) URL";
		};
	}
`;
