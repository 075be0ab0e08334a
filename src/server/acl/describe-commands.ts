// Redis 7.0's ACLDescribeSelectorCommandRules: the command rules are not kept as typed but rebuilt
// from the permission bits. Starting from +@all or -@all, categories are applied while most of
// their commands agree, then single commands fix the remaining differences.
// Redis emits those single commands in its hash table's (random) order; the node walks its table.

import { Selector } from './selector';
import { ACL_CATEGORIES, type AclCommand } from './universe';

function countCategory(selector: Selector, category: string): { on: number; off: number } {
  let on = 0;
  let off = 0;
  for (const cmd of selector.universe.walk()) {
    if (!cmd.categories.has(category)) continue;
    if (selector.allowed.has(cmd.name)) on++;
    else off++;
  }
  return { on, off };
}

export function describeCommandRules(selector: Selector): string {
  const rules: string[] = [];
  const additive = !selector.futureCommands;
  const fake = new Selector(selector.universe, false);
  fake.apply(additive ? '-@all' : '+@all');
  rules.push(additive ? '-@all' : '+@all');
  // A scratch copy of the bits: each category applied is undone on it, so later categories count
  // only what is still unexplained.
  const temp = new Selector(selector.universe, false);
  for (const name of selector.allowed) temp.allowed.add(name);
  // Redis 7.0.15 (observed): each round applies the qualifying category that leaves the fewest
  // commands to fix one by one, then the one covering most, until no category qualifies.
  for (;;) {
    let best: { category: string; wrong: number; right: number } | null = null;
    for (const category of ACL_CATEGORIES) {
      const { on, off } = countCategory(temp, category);
      const [right, wrong] = additive ? [on, off] : [off, on];
      if (right <= wrong) continue;
      if (!best || wrong < best.wrong || (wrong === best.wrong && right > best.right)) best = { category, wrong, right };
    }
    if (!best) break;
    fake.setCategory(best.category, additive);
    temp.setCategory(best.category, !additive);
    rules.push((additive ? '+@' : '-@') + best.category);
  }
  const emit = (cmd: AclCommand): void => {
    const userBit = selector.allowed.has(cmd.name);
    if (userBit !== fake.allowed.has(cmd.name)) {
      rules.push((userBit ? '+' : '-') + cmd.name);
      fake.changePerm(cmd, userBit);
    }
    for (const sub of cmd.subcommands) emit(sub);
    const firstArgs = selector.firstArgs.get(cmd.name);
    if (!userBit && firstArgs) for (const arg of firstArgs) rules.push(`+${cmd.name}|${arg}`);
  };
  for (const cmd of selector.universe.topLevel) emit(cmd);
  return rules.join(' ');
}
