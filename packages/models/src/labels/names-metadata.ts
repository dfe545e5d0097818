import { errorClass } from '@ocellus/core';

/** The `names` metadata of a model is not a class-index -> name mapping this parser can read. */
export const NamesMetadataError = errorClass('NamesMetadataError', 'ERR_OCELLUS_NAMES_METADATA');
export type NamesMetadataError = InstanceType<typeof NamesMetadataError>;

/**
 * Parses Ultralytics' `names` metadata (the ONNX metadata_props entry `names`, written as Python's
 * `str(dict)`) into labels indexed by class: "{0: 'person', 1: 'bicycle'}" -> ['person', 'bicycle'].
 *
 * Reads Python literals as `ast.literal_eval` would for this shape: a dict of int keys (also quoted,
 * as JSON writes them: {"0": "person"}) or a list, with single- or double-quoted strings and their
 * escapes (\\ \' \" \n \r \t \ooo \xhh \uhhhh \Uhhhhhhhh, adjacent literals concatenated), whitespace
 * and a trailing comma anywhere Python allows them. Keys must be exactly 0 .. n-1 (any order).
 * Anything else throws NamesMetadataError saying where and why.
 */
export function parseNamesMetadata(text: string): string[] {
  return new Parser(text).parse();
}

class Parser {
  #pos = 0;
  readonly #s: string;

  constructor(s: string) {
    if (typeof s !== 'string') throw new NamesMetadataError(`names metadata must be a string, got ${typeof s}`);
    this.#s = s;
  }

  parse(): string[] {
    this.#ws();
    const open = this.#s[this.#pos];
    let out: string[];
    if (open === '{') out = this.#dict();
    else if (open === '[') out = this.#list();
    else throw this.#fail("expected '{' (a dict of class index to name) or '[' (a list of names)");
    this.#ws();
    if (this.#pos < this.#s.length) throw this.#fail('unexpected text after the end');
    return out;
  }

  #dict(): string[] {
    this.#pos++; // '{'
    const byKey = new Map<number, string>();
    for (;;) {
      this.#ws();
      if (this.#eat('}')) break;
      const at = this.#pos;
      const key = this.#key();
      if (byKey.has(key)) throw this.#fail(`class index ${key} appears twice`, at);
      this.#ws();
      if (!this.#eat(':')) throw this.#fail("expected ':' after the class index");
      this.#ws();
      byKey.set(key, this.#string());
      this.#ws();
      if (this.#eat('}')) break;
      if (!this.#eat(',')) throw this.#fail("expected ',' or '}'");
    }
    const labels: string[] = [];
    for (let i = 0; i < byKey.size; i++) {
      const label = byKey.get(i);
      if (label === undefined) {
        const keys = [...byKey.keys()].sort((a, b) => a - b);
        throw new NamesMetadataError(
          `names metadata: class indices must be 0..${byKey.size - 1}, but ${i} is missing (got ` +
            `${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', ...' : ''})`,
        );
      }
      labels.push(label);
    }
    return labels;
  }

  #list(): string[] {
    this.#pos++; // '['
    const labels: string[] = [];
    for (;;) {
      this.#ws();
      if (this.#eat(']')) break;
      labels.push(this.#string());
      this.#ws();
      if (this.#eat(']')) break;
      if (!this.#eat(',')) throw this.#fail("expected ',' or ']'");
    }
    return labels;
  }

  /** A class index: a non-negative decimal integer, bare or in quotes. */
  #key(): number {
    const at = this.#pos;
    const q = this.#s[at];
    const digits = q === "'" || q === '"' ? this.#string() : this.#digits();
    if (!/^(0|[1-9][0-9]*)$/.test(digits) || digits.length > 9) {
      throw this.#fail(`a class index must be a non-negative integer, got ${JSON.stringify(digits)}`, at);
    }
    return Number(digits);
  }

  #digits(): string {
    const m = /^[+-]?[0-9A-Za-z_.]*/.exec(this.#s.slice(this.#pos))![0];
    if (m === '') throw this.#fail('expected a class index');
    this.#pos += m.length;
    return m;
  }

  /** One or more adjacent Python string literals (concatenated, as Python does). */
  #string(): string {
    let out = this.#literal();
    for (;;) {
      const save = this.#pos;
      this.#ws();
      const q = this.#s[this.#pos];
      if (q === "'" || q === '"') out += this.#literal();
      else {
        this.#pos = save;
        return out;
      }
    }
  }

  #literal(): string {
    const start = this.#pos;
    const quote = this.#s[start];
    if (quote !== "'" && quote !== '"') throw this.#fail('expected a quoted name');
    this.#pos++;
    let out = '';
    for (;;) {
      if (this.#pos >= this.#s.length) throw this.#fail('unterminated string', start);
      const ch = this.#s[this.#pos++]!;
      if (ch === quote) return out;
      if (ch === '\n') throw this.#fail('line break inside a string', start);
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = this.#s[this.#pos++];
      switch (e) {
        case '\\':
        case "'":
        case '"':
          out += e;
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'x':
          out += this.#hex(2);
          break;
        case 'u':
          out += this.#hex(4);
          break;
        case 'U':
          out += this.#hex(8);
          break;
        case '\n':
          break; // line continuation
        case undefined:
          throw this.#fail('unterminated string', start);
        default:
          if (e >= '0' && e <= '7') {
            // Octal: up to three digits, as Python reads them.
            const m = /^[0-7]{1,3}/.exec(this.#s.slice(this.#pos - 1))![0];
            this.#pos += m.length - 1;
            out += String.fromCharCode(Number.parseInt(m, 8));
          } else {
            out += `\\${e}`; // Python keeps unknown escapes as written
          }
      }
    }
  }

  #hex(n: number): string {
    const h = this.#s.slice(this.#pos, this.#pos + n);
    if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h))
      throw this.#fail(`bad \\${n === 2 ? 'x' : n === 4 ? 'u' : 'U'} escape`);
    const code = Number.parseInt(h, 16);
    if (code > 0x10ffff) throw this.#fail('escape beyond U+10FFFF');
    this.#pos += n;
    return String.fromCodePoint(code);
  }

  #ws(): void {
    while (this.#pos < this.#s.length && /\s/.test(this.#s[this.#pos]!)) this.#pos++;
  }

  #eat(ch: string): boolean {
    if (this.#s[this.#pos] !== ch) return false;
    this.#pos++;
    return true;
  }

  #fail(why: string, at = this.#pos): NamesMetadataError {
    const s = this.#s;
    const near = s.slice(Math.max(0, at - 15), at + 15);
    const where = at >= s.length ? 'at the end' : `at character ${at} (near ${JSON.stringify(near)})`;
    return new NamesMetadataError(`names metadata is not a dict of class index to name: ${why} ${where}`);
  }
}
