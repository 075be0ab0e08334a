// An ACL user: on/off, passwords (kept only as SHA-256 hex digests), and its selectors, with the
// rule language of ACL SETUSER and the one-line description ACL LIST and ACL SAVE print.

import { createHash, timingSafeEqual } from 'node:crypto';
import { describeCommandRules } from './describe-commands';
import { hasSpaces, Selector, type RuleError } from './selector';
import type { CommandUniverse } from './universe';

export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

const HASH_PATTERN = /^[0-9a-f]{64}$/;

export class AclUser {
  enabled = false;
  disabled = true;
  nopass = false;
  sanitizePayload = false;
  skipSanitizePayload = false;
  passwords: string[] = [];
  /** selectors[0] is the root selector: the rules given outside parentheses. */
  selectors: Selector[];

  constructor(readonly name: string, private readonly universe: CommandUniverse, private readonly allChannelsByDefault: () => boolean) {
    this.selectors = [new Selector(universe, allChannelsByDefault())];
  }

  get root(): Selector {
    return this.selectors[0];
  }

  cloneAs(name: string): AclUser {
    const copy = new AclUser(name, this.universe, this.allChannelsByDefault);
    copy.enabled = this.enabled;
    copy.disabled = this.disabled;
    copy.nopass = this.nopass;
    copy.sanitizePayload = this.sanitizePayload;
    copy.skipSanitizePayload = this.skipSanitizePayload;
    copy.passwords = [...this.passwords];
    copy.selectors = this.selectors.map((s) => s.clone());
    return copy;
  }

  /** Applies one rule (ACLSetUser); null when understood, else why not. */
  apply(op: string): RuleError | null {
    if (op === '') return null;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        this.disabled = false;
        return null;
      case 'off':
        this.enabled = false;
        this.disabled = true;
        return null;
      case 'skip-sanitize-payload':
        this.skipSanitizePayload = true;
        this.sanitizePayload = false;
        return null;
      case 'sanitize-payload':
        this.skipSanitizePayload = false;
        this.sanitizePayload = true;
        return null;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return null;
      case 'clearselectors':
        this.selectors = [this.root];
        return null;
      case 'reset':
        this.apply('resetpass');
        this.apply('resetkeys');
        this.apply('resetchannels');
        if (this.allChannelsByDefault()) this.apply('allchannels');
        this.apply('off');
        this.apply('sanitize-payload');
        this.apply('clearselectors');
        this.apply('-@all');
        return null;
    }
    if (op[0] === '>' || op[0] === '#') {
      const hash = op[0] === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '#' && !HASH_PATTERN.test(hash)) return 'bad-hash';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return null;
    }
    if (op[0] === '<' || op[0] === '!') {
      const hash = op[0] === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (op[0] === '!' && !HASH_PATTERN.test(hash)) return 'bad-hash';
      const index = this.passwords.indexOf(hash);
      if (index === -1) return 'no-such-password';
      this.passwords.splice(index, 1);
      return null;
    }
    if (op[0] === '(' && op[op.length - 1] === ')') {
      const selector = new Selector(this.universe, this.allChannelsByDefault());
      for (const inner of op.slice(1, -1).split(/[ \t\r\n]+/).filter((s) => s !== '')) {
        const error = selector.apply(inner);
        if (error) return error;
      }
      this.selectors.push(selector);
      return null;
    }
    return this.root.apply(op);
  }

  passwordMatches(password: string): boolean {
    if (this.nopass) return true;
    const given = Buffer.from(hashPassword(password), 'latin1');
    return this.passwords.some((hash) => timingSafeEqual(given, Buffer.from(hash, 'latin1')));
  }

  flagNames(): string[] {
    const flags: string[] = [];
    if (this.enabled) flags.push('on');
    if (this.disabled) flags.push('off');
    if (this.nopass) flags.push('nopass');
    if (this.skipSanitizePayload) flags.push('skip-sanitize-payload');
    if (this.sanitizePayload) flags.push('sanitize-payload');
    return flags;
  }

  /** ACLDescribeUser: the rules after "user <name> " in ACL LIST and the ACL file. */
  describe(): string {
    let out = '';
    for (const flag of this.flagNames()) out += flag + ' ';
    for (const hash of this.passwords) out += '#' + hash + ' ';
    this.selectors.forEach((selector, index) => {
      const text = describeSelector(selector);
      out += index === 0 ? text : ` (${text})`;
    });
    return out;
  }
}

export function describeSelector(selector: Selector): string {
  let out = '';
  if (selector.allKeys) out += '~* ';
  else for (const part of selector.describeKeys().split(' ').filter((s) => s !== '')) out += part + ' ';
  if (selector.allChannels) out += '&* ';
  else {
    out += 'resetchannels ';
    for (const channel of selector.channels) out += '&' + channel + ' ';
  }
  return out + describeCommandRules(selector);
}

/**
 * ACLMergeSelectorArguments: a "(...)" selector may span several arguments. Returns the merged
 * rules, or the argument where an unclosed parenthesis starts.
 */
export function mergeSelectorArguments(args: readonly string[]): { rules: string[] } | { unmatched: number } {
  const rules: string[] = [];
  let openAt = -1;
  let current = '';
  args.forEach((op, index) => {
    if (openAt === -1 && op[0] === '(' && op[op.length - 1] !== ')') {
      current = op;
      openAt = index;
      return;
    }
    if (openAt !== -1) {
      current += ' ' + op;
      if (op[op.length - 1] === ')') {
        openAt = -1;
        rules.push(current);
      }
      return;
    }
    rules.push(op);
  });
  return openAt === -1 ? { rules } : { unmatched: openAt };
}

export { hasSpaces };
