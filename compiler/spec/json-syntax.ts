// JSON.parse says what is wrong but not reliably where: V8 omits the position for some errors
// ("Unexpected token '}', …") and newer versions word things differently. So when parsing fails,
// this small scanner walks the text to the first error and describes it in our own words, which
// gives every user the same line:column and every test a stable message.

import type { Finding } from "./problem.ts";

export type ParseResult = { ok: true; value: unknown } | { ok: false; problem: Finding };

export function parseJson(text: string): ParseResult {
  // Some Windows editors start files with a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") return { ok: false, problem: { pointer: "", message: "the file is empty" } };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const found = findSyntaxError(text) ?? fallback(text, err);
    const { line, column } = lineColumn(text, found.offset);
    return {
      ok: false,
      problem: {
        pointer: "",
        message: `invalid JSON at line ${line}, column ${column}: ${found.message}`,
        ...(found.hint ? { hint: found.hint } : {}),
      },
    };
  }
}

interface SyntaxFault {
  offset: number;
  message: string;
  hint?: string;
}

/** 1-based line and column of a UTF-16 offset; "\r\n", "\n" and "\r" all end a line. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

// Only reached if the scanner and V8 disagree; keeps V8's words and its position when it has one.
function fallback(text: string, err: unknown): SyntaxFault {
  const raw = err instanceof Error ? err.message : String(err);
  const pos = /at position (\d+)/.exec(raw);
  const message = raw
    .replace(/ in JSON at position \d+.*$/, "")
    .replace(/, ".*" is not valid JSON$/s, "");
  return { offset: pos ? Number(pos[1]) : text.length, message };
}

class Fault extends Error {
  constructor(readonly fault: SyntaxFault) {
    super(fault.message);
  }
}

/** The first syntax error in `text`, or undefined when the text is valid JSON. */
export function findSyntaxError(text: string): SyntaxFault | undefined {
  let i = 0;

  const fail = (message: string, hint?: string, at = i): never => {
    throw new Fault({ offset: at, message, ...(hint ? { hint } : {}) });
  };
  // A stray double quote reads better as what it starts than as an escaped "\"".
  const shown = (at: number): string =>
    at >= text.length ? "end of input" : text[at] === '"' ? "a string" : JSON.stringify(text[at]);
  const unexpected = (expected: string): never => {
    if (i >= text.length) fail(`expected ${expected}, got end of input`, "the file ends too early");
    const c = text[i];
    if (c === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) fail(`expected ${expected}, got a comment`, "JSON does not allow comments");
    if (c === "'") fail(`expected ${expected}, got "'"`, "JSON strings use double quotes");
    return fail(`expected ${expected}, got ${shown(i)}`);
  };
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };

  const string = (): void => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail("unterminated string", "add the closing double quote");
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail("control character in a string", "write a line break as \\n and a tab as \\t");
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("invalid \\u escape in a string");
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) {
          i += 2;
        } else {
          fail(`invalid escape "\\${e ?? ""}" in a string`);
        }
        continue;
      }
      i++;
    }
  };

  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`invalid number`);
    const end = i + m![0].length;
    if (/[0-9.eE]/.test(text[end] ?? "")) fail("invalid number", "JSON numbers have no leading zeros and need digits after \".\"", end);
    i = end;
  };

  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    unexpected("a value");
  };

  const object = (): void => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') {
        if (text[i] === "}") fail(`expected a property name in double quotes, got "}"`, "JSON does not allow trailing commas");
        unexpected("a property name in double quotes");
      }
      string();
      ws();
      if (text[i] !== ":") unexpected(`":" after the property name`);
      i++;
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      unexpected(`"," or "}" after a property value`);
    }
  };

  const array = (): void => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === "]") fail(`expected a value, got "]"`, "JSON does not allow trailing commas");
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      unexpected(`"," or "]" after an array item`);
    }
  };

  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${shown(i)} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (e instanceof Fault) return e.fault;
    throw e;
  }
}
