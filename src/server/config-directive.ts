// The shapes of the node's config directives: config.ts's registry and config-accepted.ts's
// accepted-only list both build them.

export interface DirectiveBase {
  name: string;
  aliases?: string[];
  /** False for directives that can only be given at start (CONFIG SET refuses them). */
  mutable?: boolean;
  /** Passwords are never echoed in logs or errors. */
  secret?: boolean;
  /** Redis's HIDDEN_CONFIG: CONFIG GET answers it by exact name only, never through a pattern. */
  hidden?: boolean;
}

export interface BoolDirective extends DirectiveBase {
  kind: 'bool';
  default: boolean;
}
export interface IntDirective extends DirectiveBase {
  kind: 'int';
  default: number;
  min: number;
  max: number;
}
export interface MemoryDirective extends DirectiveBase {
  kind: 'memory';
  default: number;
  min?: number;
  max?: number;
}
export interface EnumDirective extends DirectiveBase {
  kind: 'enum';
  default: string;
  values: string[];
}
export interface StringDirective extends DirectiveBase {
  kind: 'string';
  default: string;
}
/** Directives with their own syntax (save, replicaof, bind...): validated by a function. */
export interface CustomDirective extends DirectiveBase {
  kind: 'custom';
  default: string;
  /** Returns the normalized value or throws ConfigValueError. args are the directive's arguments. */
  parse: (args: string[]) => string;
  /** Number of arguments accepted from a config file line; CONFIG SET always passes one. */
  fileArgs?: 'one' | 'many';
  /** How CONFIG GET prints the stored value, when that differs from it. */
  display?: (value: string) => string;
}

export type Directive = BoolDirective | IntDirective | MemoryDirective | EnumDirective | StringDirective | CustomDirective;
