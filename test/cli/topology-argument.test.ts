// The rule that finds a leading TOPOLOGY.yml before a command's own arguments (promote NODE,
// replicaof NODE MASTER, replica add/remove): only the first positional, only with a .yml/.yaml
// ending, never a flag's value.

import { describe, expect, it } from 'vitest';
import { takeTopologyArgument, valueFlagsOf } from '../../commands/_shared/topology-argument';

const flags = valueFlagsOf({
  topology: { type: 'option', char: 't' },
  timeout: { type: 'option' },
  yes: { type: 'boolean', char: 'y' },
  json: { type: 'boolean' },
});

describe('takeTopologyArgument', () => {
  it('takes a first positional ending in .yml or .yaml, in any case, wherever the flags are', () => {
    expect(takeTopologyArgument(['prod.yml', 'slave1'], flags)).toEqual({ file: 'prod.yml', rest: ['slave1'] });
    expect(takeTopologyArgument(['--yes', 'topologies/prod.YAML', 'slave1', '--json'], flags)).toEqual({ file: 'topologies/prod.YAML', rest: ['--yes', 'slave1', '--json'] });
    expect(takeTopologyArgument(['--timeout', '3', 'a.yml', 'n1', 'no', 'one'], flags)).toEqual({ file: 'a.yml', rest: ['--timeout', '3', 'n1', 'no', 'one'] });
  });

  it('leaves a first positional without that ending to the command (a node name or address)', () => {
    expect(takeTopologyArgument(['slave1', 'master'], flags)).toEqual({ rest: ['slave1', 'master'] });
    expect(takeTopologyArgument(['10.0.0.17:6379'], flags)).toEqual({ rest: ['10.0.0.17:6379'] });
    // Only the first positional: a later .yml is an argument of the command (it will say what is wrong).
    expect(takeTopologyArgument(['slave1', 'x.yml'], flags)).toEqual({ rest: ['slave1', 'x.yml'] });
  });

  it('skips the values of flags that take one, and everything after --', () => {
    expect(takeTopologyArgument(['-t', 'a.yml', 'slave1'], flags)).toEqual({ rest: ['-t', 'a.yml', 'slave1'] });
    expect(takeTopologyArgument(['--topology', 'a.yml', 'b.yml', 'n1'], flags)).toEqual({ file: 'b.yml', rest: ['--topology', 'a.yml', 'n1'] });
    expect(takeTopologyArgument(['--topology=a.yml', 'b.yml'], flags)).toEqual({ file: 'b.yml', rest: ['--topology=a.yml'] });
    expect(takeTopologyArgument(['-y', 'b.yml'], flags)).toEqual({ file: 'b.yml', rest: ['-y'] });
    expect(takeTopologyArgument(['--', 'b.yml'], flags)).toEqual({ rest: ['--', 'b.yml'] });
  });
});
